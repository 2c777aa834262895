"""Dask distributed against Ray for matching's candidates: the measurement behind the choice.

    python bench/bench_engines.py                 # both engines, 2 workers, 20,000 x 12,000
    python bench/bench_engines.py --size 10000x3000 --workers 2

Needs both engines (`pip install "dask[distributed]" ray`; Ray is not a Tandem dependency).
For each: start a local cluster of single-threaded workers, send the scoring kernel to every
worker, run 200 empty tasks (the cost of one round trip), then the candidates of a synthetic
cohort (`kernel.initial_task` over row chunks, the real work) and check the pairs are the ones
one process finds. Prints wall times and the resident memory the cluster's processes use.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tandem.matching.candidates import IndexSource
from tandem.matching.kernel import Kernel
from tandem.matching.scoring import build_index
from tandem.matching.synthetic import cohort

REPEATS = 3


def _nothing(kernel: Any, items: Sequence[int]) -> list[int]:
    return list(items)


def _tree_rss_gib(pid: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc), in GiB."""
    import psutil

    root = psutil.Process(pid)
    total = 0
    for proc in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total / 1024**3


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


class RayRunner:
    """`kernel.Runner` on Ray: the kernel put in the object store once, tasks by chunks."""

    def __init__(self, workers: int) -> None:
        import ray

        self.ray = ray
        ray.init(
            num_cpus=workers,
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={"env_vars": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}},
        )
        self.workers = workers
        self._kernels: dict[int, Any] = {}

    def map(
        self,
        fn: Callable[..., list[Any]],
        kernel: Kernel,
        items: Sequence[Any],
        shared: tuple[Any, ...],
        weights: Sequence[int],
        done: Callable[[int], None] | None,
    ) -> list[Any]:
        if not items:
            return []
        ray = self.ray
        ref = self._kernels.get(id(kernel))
        if ref is None:
            ref = self._kernels[id(kernel)] = ray.put(kernel)
        remote = ray.remote(num_cpus=1)(fn)
        size = max(1, -(-len(items) // (self.workers * 4)))
        refs = [
            remote.remote(ref, list(items[a : a + size]), *shared)
            for a in range(0, len(items), size)
        ]
        return [r for part in ray.get(refs) for r in part]

    def describe(self) -> str:
        return f"Ray, {self.workers} worker(s)"

    def close(self) -> None:
        self.ray.shutdown()


def measure(engine: str, workers: int, n: int, m: int, index: Any, expected: Any) -> None:
    start = time.perf_counter()
    if engine == "dask":
        from tandem.matching.distributed import dask_runner

        context = dask_runner(workers=workers)
        runner = context.__enter__()
        close = lambda: context.__exit__(None, None, None)  # noqa: E731
    else:
        runner = RayRunner(workers)
        close = runner.close
    # A first tiny task: workers are up and have imported NumPy and Tandem.
    runner.map(
        _nothing,
        Kernel(np.zeros((1, 1), np.float32), np.zeros((1, 1), np.float32), index.rules),
        [0],
        (),
        [1],
        None,
    )
    up = time.perf_counter() - start
    source = IndexSource(index, runner=runner, device="numpy")
    t = time.perf_counter()
    runner.map(_nothing, source.kernel, [0], (), [1], None)
    ship = time.perf_counter() - t
    t = time.perf_counter()
    runner.map(_nothing, source.kernel, list(range(200)), (), [1] * 200, None)
    # 200 items, grouped into 4 tasks a worker: the cost of a step's round trips.
    trip = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(100):
        runner.map(_nothing, source.kernel, [0], (), [1], None)
    one = (time.perf_counter() - t) / 100
    candidates = cpu = float("inf")
    for _ in range(REPEATS):  # best of a few: the machine may be shared
        t, c = time.perf_counter(), _tree_cpu_s(os.getpid())
        pairs, _bound = source.initial(128, 0.0)
        candidates = min(candidates, time.perf_counter() - t)
        cpu = min(cpu, _tree_cpu_s(os.getpid()) - c)
    same = np.array_equal(pairs.i, expected.i) and pairs.score.tobytes() == expected.score.tobytes()
    rss = _tree_rss_gib(os.getpid())
    close()
    rate = n * m / candidates / workers
    print(
        f"  {engine:5} {workers} workers: cluster up {up:5.2f} s, kernel to every worker "
        f"{ship:5.2f} s, one task {one * 1000:6.1f} ms, a step of 200 chunks (no work) "
        f"{trip:5.2f} s, candidates (best of {REPEATS}) {candidates:6.2f} s wall "
        f"({rate:.3g} pairs/s/worker), {cpu:6.2f} s CPU of every process, same as one process: "
        f"{same}, this process + cluster RSS {rss:.2f} GiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="20000x12000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engines", default="dask,ray")
    args = parser.parse_args()
    n, m = (int(x) for x in args.size.lower().split("x"))
    mentees, mentors = cohort(n, m, capacity=4, seed=4)
    index = build_index(mentees, mentors, text_dim=128)
    best = cpu = float("inf")
    for _ in range(REPEATS):
        t, c = time.perf_counter(), time.process_time()
        expected, _ = IndexSource(index, device="numpy").initial(128, 0.0)
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    print(
        f"[{n:,} x {m:,}] candidates in one process (best of {REPEATS}): {best:.2f} s wall, "
        f"{cpu:.2f} s CPU"
    )
    for engine in args.engines.split(","):
        # Ray is not a Tandem dependency: without it `make bench` says so and goes on.
        module = {"dask": "distributed", "ray": "ray"}[engine]
        if importlib.util.find_spec(module) is None:
            print(f"  {engine}: not installed (pip install {module}), not measured")
            continue
        measure(engine, args.workers, n, m, index, expected)


if __name__ == "__main__":
    main()
