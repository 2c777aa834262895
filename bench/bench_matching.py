"""Matching engine benchmark: exact baselines, the 100k cohort, suggestions, greedy.

    python bench/bench_matching.py            # the issue's sizes (several minutes on 2 cores)
    python bench/bench_matching.py --quick    # small sizes, a smoke run
    python bench/bench_matching.py --huge     # adds 1,000,000 x 250,000 (long)
    python bench/bench_matching.py --only large   # one section: exact, large or suggest
    python bench/bench_matching.py --workers 2    # adds: one process vs local Dask clusters of
                                                  # 1..N workers (needs the distributed extra)
    python bench/bench_matching.py --only distributed --workers 2 --size 40000x12000

Each line gives wall time, CPU time (all threads) and the peak resident memory during that step
(Linux resets the peak through /proc/self/clear_refs); the process's peak is printed at the
end. On a shared machine, compare CPU times: wall time there includes waiting for a core.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tandem.matching.assign import Assignment, assign, greedy, total
from tandem.matching.candidates import SCALE, IndexSource, scaled
from tandem.matching.kernel import Kernel
from tandem.matching.scoring import ScoringIndex, build_index
from tandem.matching.suggest import MentorIndex, suggest
from tandem.matching.synthetic import cohort

TEXT_DIM = 128
GiB = 1024**3


def _peak_reset() -> bool:
    """Reset the process's peak resident memory (Linux); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_gib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


@contextmanager
def measured(label: str, out: dict[str, float]) -> Iterator[None]:
    """Wall time and peak resident memory of a block (the process's peak where no reset)."""
    gc.collect()
    reset = _peak_reset()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        out["seconds"] = time.perf_counter() - start
        out["cpu"] = time.process_time() - cpu
        out["peak_gib"] = _peak_gib()
        kind = "peak RSS" if reset else "process peak RSS"
        print(
            f"  {label}: {out['seconds']:.2f} s wall, {out['cpu']:.2f} s CPU, "
            f"{kind} {out['peak_gib']:.2f} GiB",
            flush=True,
        )


def _index(n: int, m: int, seed: int = 0) -> tuple[ScoringIndex, np.ndarray]:
    mentees, mentors = cohort(n, m, capacity=4, seed=seed)
    index = build_index(mentees, mentors, text_dim=TEXT_DIM)
    return index, np.array([p.free_slots for p in mentors], dtype=np.int64)


def _describe(result: Assignment, n: int) -> str:
    c = result.certificate
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    return (
        f"matched {result.matched_mentees:,}/{n:,}, total score {result.total_score:,.3f}, "
        f"gap {c.gap}, rounds {c.rounds}, arcs {c.arcs:,}, "
        f"pairs scanned {c.pairs_scanned:,} ({steps})"
    )


def _greedy_line(index: ScoringIndex, cap: np.ndarray, ours: Assignment) -> None:
    """Greedy on each mentee's top 50 allowed mentors, beside the certified optimum."""
    graph, _ = IndexSource(index).initial(50, 0.0)
    stats: dict[str, float] = {}
    with measured("greedy (top-50 lists)", stats):
        chosen = greedy(graph, index.shape[0], cap)
    matched = np.unique(chosen.i).size
    gap = (total(chosen) - ours.total_score) / ours.total_score * 100
    print(
        f"    greedy: matched {matched:,} ({matched - ours.matched_mentees:+,} vs ours), "
        f"total score {total(chosen):,.3f} ({gap:+.2f}% vs ours)"
    )


def exact_baseline(n: int, m: int) -> None:
    """Ours against SciPy's linear_sum_assignment on the dense slot-expanded matrix."""
    print(f"\n[{n:,} x {m:,}, capacity 4] ours vs SciPy linear_sum_assignment (coverage)")
    index, cap = _index(n, m)
    ours: dict[str, float] = {}
    with measured("ours: candidates + min-cost flow + certificate", ours):
        result = assign(IndexSource(index), cap)
    print("    " + _describe(result, n))
    scipy_stats: dict[str, float] = {}
    with measured("SciPy: score matrix + rules + slot expansion + LSA", scipy_stats):
        rows = np.arange(n)
        scores = index.score_rows(rows)
        i, j = (a.ravel() for a in np.meshgrid(rows, np.arange(m), indexing="ij"))
        allowed = index.rules.allowed(i, j).reshape(n, m)
        offset = SCALE * (min(n, int(cap.sum())) + 1)
        weights = np.where(allowed, offset + scaled(scores), 0)
        expanded = np.repeat(weights, cap, axis=1)
        r, c = linear_sum_assignment(expanded, maximize=True)
        scipy_objective = int(expanded[r, c].sum())
    same = scipy_objective == result.certificate.primal
    print(
        f"    same objective: {same} ({scipy_objective} vs {result.certificate.primal}); "
        f"ours is {scipy_stats['seconds'] / ours['seconds']:.1f}x faster in wall time, "
        f"{scipy_stats['cpu'] / ours['cpu']:.1f}x in CPU time"
    )
    _greedy_line(index, cap, result)


def _device_line(index: ScoringIndex, device: str) -> str:
    used = Kernel(index.mentee_features, index.mentor_features, index.rules, device=device)
    return used.resolved_device()


def large(n: int, m: int, k: int, device: str = "auto") -> None:
    """End to end from profiles: features, scoring, candidates, solve, certificate."""
    print(f"\n[{n:,} x {m:,}, capacity 4] end to end from synthetic profiles")
    mentees, mentors = cohort(n, m, capacity=4, seed=1)
    cap = np.array([p.free_slots for p in mentors], dtype=np.int64)
    stats: dict[str, float] = {}
    holder: dict[str, Any] = {}
    with measured("features + assignment", stats):
        start = time.perf_counter()
        index = build_index(mentees, mentors, text_dim=TEXT_DIM)
        holder["features"] = time.perf_counter() - start
        holder["device"] = _device_line(index, device)
        holder["result"] = assign(IndexSource(index, device=device), cap, k=k)
    result: Assignment = holder["result"]
    print(f"    scored on: {holder['device']}; features {holder['features']:.1f}s")
    print("    " + _describe(result, n))
    could = min(n, int(cap.sum()))
    print(
        f"    left unmatched: {n - result.matched_mentees:,}; the certificate proves no "
        f"assignment matches more (capacity allows at most {could:,})"
    )
    _greedy_line(index, cap, result)


def _tree_cpu_s() -> float:
    """CPU seconds used so far by this process and every process it started (the workers)."""
    import psutil

    me = psutil.Process()
    total = 0.0
    for proc in [me, *me.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _worker_peaks(runner: Any) -> list[float]:
    """Each Dask worker's peak resident memory so far, in GiB."""
    peaks = runner.client.run(_peak_gib)
    return sorted(float(v) for v in peaks.values())


def distributed_scaling(n: int, m: int, max_workers: int, device: str) -> None:
    """One process against local Dask clusters of 1..max_workers single-threaded workers."""
    from tandem.matching.distributed import dask_runner

    print(f"\n[{n:,} x {m:,}, capacity 4] candidates and pricing scans: one process vs Dask")
    index, cap = _index(n, m, seed=3)
    base: Assignment | None = None
    rows: list[tuple[str, Assignment, float]] = []
    stats: dict[str, float] = {}
    _device_line(index, device)  # "auto" decided (and PyTorch imported, if asked) beforehand
    cpu = _tree_cpu_s()
    with measured("one process (NumPy; OpenBLAS uses every core for the matmul)", stats):
        base = assign(IndexSource(index, device=device), cap)
    rows.append(("one process", base, _tree_cpu_s() - cpu))
    for workers in range(1, max_workers + 1):
        start = time.perf_counter()
        with dask_runner(workers=workers) as runner:
            up = time.perf_counter() - start
            stats = {}
            cpu = _tree_cpu_s()
            with measured(f"{workers} worker(s) (cluster started in {up:.1f} s)", stats):
                result = assign(IndexSource(index, runner=runner, device=device), cap)
            cpu = _tree_cpu_s() - cpu
            peaks = _worker_peaks(runner)
        same = (
            np.array_equal(result.pairs.i, base.pairs.i)
            and np.array_equal(result.pairs.j, base.pairs.j)
            and result.pairs.score.tobytes() == base.pairs.score.tobytes()
            and result.certificate == base.certificate
        )
        print(
            f"    same pairs, scores and certificate as one process: {same}; "
            f"worker peak RSS {', '.join(f'{p:.2f}' for p in peaks)} GiB"
        )
        rows.append((f"{workers} worker(s)", result, cpu))
    pairs = n * m
    # pairs/s/worker: pair scores (candidates + scans) per second of those two steps, per
    # worker. pairs/CPU-s: the same per CPU second of every process (this one and the
    # workers, the whole run): what a core delivers, whatever else the machine is doing.
    print(
        f"    {'':14} {'total s':>8} {'cand. s':>8} {'scan s':>8} {'CPU s':>8} "
        f"{'pairs/s/worker':>15} {'pairs/CPU-s':>12}"
    )
    for label, r, used in rows:
        workers = int(label.split()[0]) if label[0].isdigit() else 1
        scored = pairs + r.certificate.pairs_scanned
        rate = scored / ((r.timings["candidates"] + r.timings["scan"]) * workers)
        print(
            f"    {label:14} {r.seconds:8.2f} {r.timings['candidates']:8.2f} "
            f"{r.timings['scan']:8.2f} {used:8.2f} {rate:15.3g} {scored / used:12.3g}"
        )
    print(
        f"    gap {base.certificate.gap}, {base.certificate.rounds} rounds, "
        f"{base.certificate.pairs_scanned:,} pair scores in scans, {pairs:,} in candidates"
    )


def _chunk_cpu(kernel: Kernel, n: int, k: int) -> list[tuple[float, float, int]]:
    """In a worker: wall and CPU seconds of each candidates chunk, and its pair scores."""
    out = []
    for start in range(0, n, kernel.chunk):
        stop = min(n, start + kernel.chunk)
        before = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.perf_counter()
        kernel.initial_chunk(start, stop, k, 0.0)
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        out.append((time.perf_counter() - wall, cpu, (stop - start) * kernel.shape[1]))
    return out


def worker_throughput(n: int, m: int, device: str) -> None:
    """What one single-threaded Dask worker delivers on candidates at a given width."""
    from tandem.matching.distributed import dask_runner

    print(f"\n[{n:,} x {m:,}] candidates (top 128) in one single-threaded Dask worker")
    stats: dict[str, float] = {}
    with measured("profiles and features", stats):
        index, _cap = _index(n, m, seed=5)
    kernel = Kernel(index.mentee_features, index.mentor_features, index.rules, device=device)
    with dask_runner(workers=1) as runner:
        sent = runner.client.scatter(kernel, broadcast=True, hash=False)
        chunks = runner.client.submit(_chunk_cpu, sent, n, 128, pure=False).result()
        peak = max(_worker_peaks(runner))
    wall = sum(c[0] for c in chunks)
    cpu = sum(c[1] for c in chunks)
    scored = sum(c[2] for c in chunks)
    print(
        f"    {len(chunks)} chunks of {kernel.chunk} rows, {index.mentee_features.shape[1]} "
        f"feature columns: {wall:.2f} s wall, {cpu:.2f} s CPU in the worker; "
        f"{cpu / scored * 1e9:.2f} ns CPU a pair ({scored / cpu:.3g} pairs/CPU-s), "
        f"worker peak RSS {peak:.2f} GiB"
    )


def suggestions(m: int, queries: int) -> None:
    """Suggestion latency with a warm mentor index."""
    print(f"\n[suggestions among {m:,} mentors, warm index, {queries} mentees]")
    mentees, mentors = cohort(queries, m, capacity=4, seed=2)
    stats: dict[str, float] = {}
    with measured("index build", stats):
        index = MentorIndex.build(mentors, text_dim=TEXT_DIM)
    times = []
    for mentee in mentees:
        start = time.perf_counter()
        suggest(index, mentee, 10)
        times.append(time.perf_counter() - start)
    ms = np.array(times) * 1000
    print(
        f"    p50 {np.percentile(ms, 50):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms, "
        f"max {ms.max():.1f} ms (top 10 with reasons)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--huge", action="store_true", help="also 1,000,000 x 250,000")
    parser.add_argument(
        "--only",
        choices=("exact", "large", "suggest", "distributed", "worker"),
        help="one section (worker: one Dask worker's candidates throughput, --size)",
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="the distributed section with 1..N workers"
    )
    parser.add_argument(
        "--size",
        default=None,
        help="mentees x mentors of the distributed section, e.g. 40000x12000",
    )
    parser.add_argument(
        "--device",
        choices=("auto", "numpy", "cuda", "torch-cpu"),
        default="auto",
        help="where scores are computed (auto: a GPU through PyTorch where CUDA is present)",
    )
    args = parser.parse_args()
    quick = args.quick
    runs: dict[str, Callable[[], None]] = {
        "exact": lambda: exact_baseline(*((1000, 300) if quick else (5000, 1500))),
        "large": lambda: large(*((10_000, 3_000) if quick else (100_000, 30_000)), 20, args.device),
        "suggest": lambda: suggestions(*((10_000, 50) if quick else (100_000, 200))),
    }
    if args.huge:
        runs["huge"] = lambda: large(1_000_000, 250_000, 10, args.device)
    if args.workers or args.only == "distributed":
        default = "10000x3000" if quick else "100000x30000"
        n, m = (int(x) for x in (args.size or default).lower().split("x"))
        runs["distributed"] = lambda: distributed_scaling(n, m, max(1, args.workers), args.device)
    if args.only == "worker":
        n, m = (int(x) for x in (args.size or "2048x250000").lower().split("x"))
        runs["worker"] = lambda: worker_throughput(n, m, args.device)
    for name, run in runs.items():
        if args.only in (None, name):
            run()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"\npeak resident memory of the process: {rss:.2f} GiB")


if __name__ == "__main__":
    main()
