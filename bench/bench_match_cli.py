"""`tandem match --scores` against a plain OR-Tools solve of the same pairs.

    python bench/bench_match_cli.py                  # 20,000 x 6,000, 800,000 score rows
    python bench/bench_match_cli.py --quick          # 2,000 x 600, 80,000 rows

Writes the three CSV files to a temporary folder, runs the management command in this process
(`call_command("match", ...)`: reading, validating, solving and writing MATCHES.csv), then
solves the same pairs with OR-Tools' min-cost flow directly (arrays already in memory, no
files), and prints both times (wall and CPU) and their ratio. The issue asks for a ratio of 3
or less.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

SCALE = 1_000_000


def make_files(folder: Path, n_mentees: int, n_mentors: int, n_rows: int, seed: int = 7) -> dict:
    """Mentees (id), mentors (id, capacity 1-4) and `n_rows` distinct scored pairs."""
    rng = np.random.default_rng(seed)
    capacity = rng.integers(1, 5, n_mentors)
    codes = np.unique(rng.integers(0, n_mentees * n_mentors, int(n_rows * 1.05)))
    codes = rng.permutation(codes)[:n_rows]
    i, j = np.divmod(codes, n_mentors)
    score = rng.random(codes.size).round(6)
    (folder / "mentees.csv").write_text(
        "id\n" + "".join(f"e{k}\n" for k in range(n_mentees)), encoding="utf-8"
    )
    (folder / "mentors.csv").write_text(
        "id,capacity\n" + "".join(f"r{k},{c}\n" for k, c in enumerate(capacity)), encoding="utf-8"
    )
    with (folder / "scores.csv").open("w", encoding="utf-8") as handle:
        handle.write("mentee_id,mentor_id,score\n")
        rows = zip(i.tolist(), j.tolist(), score.tolist(), strict=True)
        handle.writelines(f"e{a},r{b},{s}\n" for a, b, s in rows)
    return {"i": i, "j": j, "score": score, "capacity": capacity}


def plain_solve(data: dict, n_mentees: int, n_mentors: int) -> tuple[float, int, float]:
    """Max coverage, then max score: one min-cost flow (source -> mentee -> mentor -> sink)."""
    from ortools.graph.python import min_cost_flow

    start = time.perf_counter()
    i, j, score, capacity = data["i"], data["j"], data["score"], data["capacity"]
    source, sink = n_mentees + n_mentors, n_mentees + n_mentors + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    big = SCALE + 1  # covering one more mentee beats any score
    tails = np.concatenate([np.full(n_mentees, source), i, n_mentees + np.arange(n_mentors)])
    heads = np.concatenate([np.arange(n_mentees), n_mentees + j, np.full(n_mentors, sink)])
    caps = np.concatenate([np.ones(n_mentees), np.ones(i.size), capacity]).astype(np.int64)
    costs = np.concatenate(
        [np.zeros(n_mentees), -(big + np.rint(score * SCALE)), np.zeros(n_mentors)]
    ).astype(np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    n = n_mentees + n_mentors + 2
    supplies = np.zeros(n, dtype=np.int64)
    flow.set_nodes_supplies(np.arange(n), supplies)
    # Free flow from the sink back to the source: the solve sends as much as pays.
    flow.add_arc_with_capacity_and_unit_cost(sink, source, n_mentees, 0)
    status = flow.solve()
    assert status == flow.OPTIMAL, status
    used = flow.flows(np.arange(n_mentees, n_mentees + i.size))
    matched = int(used.sum())
    total = float(score[used > 0].sum())
    return time.perf_counter() - start, matched, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_mentees, n_mentors, n_rows = (2_000, 600, 80_000) if args.quick else (20_000, 6_000, 800_000)

    import django

    django.setup()
    from django.core.management import call_command

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = make_files(folder, n_mentees, n_mentors, n_rows)
        out = io.StringIO()
        start, cpu = time.perf_counter(), time.process_time()
        call_command(
            "match",
            *("--mentees", str(folder / "mentees.csv"), "--mentors", str(folder / "mentors.csv")),
            *("--scores", str(folder / "scores.csv"), "--out", str(folder / "matches.csv")),
            stdout=out,
            stderr=io.StringIO(),
        )
        command, command_cpu = time.perf_counter() - start, time.process_time() - cpu
        cpu = time.process_time()
        solve, matched, total = plain_solve(data, n_mentees, n_mentors)
        solve_cpu = time.process_time() - cpu
    print(f"{n_mentees:,} mentees x {n_mentors:,} mentors, {n_rows:,} score rows")
    print("                         wall (s)  CPU (s)")
    print(f"tandem match --scores   {command:8.2f} {command_cpu:8.2f}   {out.getvalue().strip()}")
    print(f"plain OR-Tools solve    {solve:8.2f} {solve_cpu:8.2f}   matched={matched} "
          f"total_score={total:.6f}")  # fmt: skip
    print(
        f"ratio                   {command / solve:8.2f} {command_cpu / solve_cpu:8.2f}   "
        "(goal: 3 or less; on a shared machine compare CPU)"
    )


if __name__ == "__main__":
    main()
