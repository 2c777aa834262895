"""Candidate generation and pricing scans on a Dask cluster (the `distributed` extra).

Both are independent work over chunks of mentee rows (`kernel.initial_task`,
`kernel.scan_task`); the min-cost-flow solve and the prices stay in the calling process.
The kernel (both sides' features and the rules) is sent to every worker once; each scan
sends the prices once and each task only its chunks' rows, cuts and excluded pair codes.
Results come back in chunk order, so the assignment is the one the single process finds,
bit for bit (`tandem/matching/tests/test_distributed.py` checks it on a local cluster).

Workers need the same Tandem (with this extra) installed: they import `tandem.matching`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np

from tandem.matching.kernel import Kernel

EXTRA = 'pip install -e ".[distributed]"'
MISSING = f"needs Dask distributed, which is not installed: {EXTRA}"
TASKS_PER_THREAD = 4
"""Tasks per worker thread in each step: enough to balance uneven chunks, few enough that
each task carries several chunks (one scheduler round trip each)."""
SHARED_BYTES = 1 << 16
"""Arrays shared by every task above this size go to the workers once, not with each task."""

T = TypeVar("T")
R = TypeVar("R")


class DistributedUnavailable(RuntimeError):
    """Dask distributed is not installed, or the cluster cannot be reached."""


def available() -> bool:
    """Whether Dask distributed can be imported."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


class DaskRunner:
    """Runs the kernel's tasks on a Dask cluster through `client` (see `kernel.Runner`)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._kernels: dict[int, tuple[Kernel, Any]] = {}

    def threads(self) -> int:
        """Worker threads in the cluster now."""
        workers = self.client.scheduler_info()["workers"].values()
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers))

    def describe(self) -> str:
        workers = self.client.scheduler_info()["workers"]
        return f"{len(workers)} Dask worker(s), {self.threads()} thread(s), {self.address}"

    @property
    def address(self) -> str:
        return str(self.client.scheduler.address)

    def _kernel(self, kernel: Kernel) -> Any:
        """The kernel's future on the cluster, sent to every worker the first time."""
        held = self._kernels.get(id(kernel))
        if held is None or held[0] is not kernel:
            future = self.client.scatter(kernel, broadcast=True, hash=False)
            held = self._kernels[id(kernel)] = (kernel, future)
        return held[1]

    def map(
        self,
        fn: Callable[..., list[R]],
        kernel: Kernel,
        items: Sequence[T],
        shared: tuple[Any, ...],
        weights: Sequence[int],
        done: Callable[[int], None] | None,
    ) -> list[R]:
        """`fn(kernel, group, *shared)` over consecutive groups of items, results in order."""
        if not items:
            return []
        from distributed import as_completed

        kernel_f = self._kernel(kernel)
        sent = tuple(
            self.client.scatter(a, broadcast=True, hash=False)
            if isinstance(a, np.ndarray) and a.nbytes > SHARED_BYTES
            else a
            for a in shared
        )
        size = math.ceil(len(items) / min(len(items), self.threads() * TASKS_PER_THREAD))
        starts = range(0, len(items), size)
        futures = [
            self.client.submit(fn, kernel_f, list(items[a : a + size]), *sent, pure=False)
            for a in starts
        ]
        position = {f.key: n for n, f in enumerate(futures)}
        results: list[list[R] | None] = [None] * len(futures)
        for future, result in as_completed(futures, with_results=True):
            n = position[future.key]
            results[n] = result
            if done is not None:
                done(sum(weights[starts[n] : starts[n] + size]))
        return [r for part in results if part is not None for r in part]

    def release(self) -> None:
        """Drop the kernels held on the cluster."""
        for _kernel, future in self._kernels.values():
            future.release()
        self._kernels.clear()


def _require() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DistributedUnavailable(MISSING) from exc
    return distributed


@contextmanager
def dask_runner(
    workers: int | None = None,
    scheduler: str | None = None,
    processes: bool = True,
    timeout: float | None = None,
) -> Iterator[DaskRunner]:
    """A runner on the Dask scheduler at `scheduler`, or on a new local cluster of `workers`
    single-threaded worker processes (threads with `processes=False`), closed on exit.

    Raises DistributedUnavailable when Dask distributed is missing or the scheduler does not
    answer within `timeout` seconds (default: Dask's `distributed.comm.timeouts.connect`,
    30 s unless configured).
    """
    distributed = _require()
    cluster = None
    try:
        if scheduler:
            wait = {} if timeout is None else {"timeout": f"{timeout}s"}
            client = distributed.Client(scheduler, **wait)
        else:
            import dask

            # Dask's nannies set MALLOC_TRIM_THRESHOLD_=65536 for the workers they start, so
            # that freed memory goes back to the system at once. Scoring allocates and frees
            # a block of tens of MB per chunk: with that setting each one faults its pages in
            # again (measured: 4-8x the page faults, chunks up to 2x slower). Local workers
            # keep the C library's own threshold, as one process does.
            trim = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
            with dask.config.set(trim):
                cluster = distributed.LocalCluster(
                    n_workers=max(1, workers or 1),
                    threads_per_worker=1,
                    processes=processes,
                    # Worker processes talk over TCP on the loopback only (threads: in-process).
                    host="127.0.0.1" if processes else None,
                    # No fixed port: its HTTP server (the dashboard, if bokeh is installed)
                    # takes a free one, so several runs on one machine never collide.
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
            client = distributed.Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = scheduler or "a local cluster"
        raise DistributedUnavailable(f"could not reach {where}: {exc}") from exc
    runner = DaskRunner(client)
    try:
        yield runner
    finally:
        runner.release()
        client.close()
        if cluster is not None:
            cluster.close()
