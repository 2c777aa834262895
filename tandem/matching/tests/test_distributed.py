"""Candidates and pricing scans on a Dask cluster: the same certified assignment, bit for bit."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from tandem.matching.tests.helpers import assert_same, require

require("distributed")

from tandem.matching.assign import assign  # noqa: E402
from tandem.matching.candidates import IndexSource  # noqa: E402
from tandem.matching.distributed import (  # noqa: E402
    DaskRunner,
    DistributedUnavailable,
    dask_runner,
)
from tandem.matching.scoring import build_index  # noqa: E402
from tandem.matching.synthetic import cohort  # noqa: E402
from tandem.matching.types import Person  # noqa: E402


@pytest.fixture(scope="module")
def runner() -> Iterator[DaskRunner]:
    # Two workers in this process (threads): each task still goes through the scheduler,
    # and the kernel and prices are scattered as on a real cluster.
    with dask_runner(workers=2, processes=False) as r:
        yield r


def _executed(runner: DaskRunner) -> int:
    counts = runner.client.run(lambda dask_worker: dask_worker.state.executed_count)
    return int(sum(counts.values()))


@pytest.mark.parametrize(
    ("n", "m", "objective", "k", "pool"),
    [
        (700, 210, "coverage", 20, 128),  # the defaults' shape
        (500, 150, "score", 2, 4),  # small pools: many rows scanned in full
        (300, 90, "coverage", 1, 1),  # one candidate each: several rounds of scans
    ],
)
def test_a_cluster_finds_the_same_certified_assignment_bit_for_bit(
    runner: DaskRunner, n: int, m: int, objective: str, k: int, pool: int
) -> None:
    mentees, mentors = cohort(n, m, capacity=3, seed=n)
    index = build_index(mentees, mentors, text_dim=64)
    cap = np.array([p.free_slots for p in mentors], dtype=np.int64)
    here = assign(
        IndexSource(index, chunk=64, device="numpy"), cap, objective=objective, k=k, pool=pool
    )
    before = _executed(runner)
    there = assign(
        IndexSource(index, chunk=64, runner=runner, device="numpy"),
        cap,
        objective=objective,
        k=k,
        pool=pool,
    )
    assert _executed(runner) > before  # the work did run on the workers
    assert_same(here, there)
    assert here.certificate.rows_scanned > 0 or k == 20


def test_look_alike_profiles_tie_the_same_way_on_a_cluster(runner: DaskRunner) -> None:
    goals = ["lead a team", "move into product"]
    mentors = [
        Person(id=f"m{k}", languages=frozenset({"en"}), goals=goals[k % 2], capacity=2)
        for k in range(150)
    ]
    mentees = [
        Person(id=f"e{k}", languages=frozenset({"en"}), goals=goals[k % 2]) for k in range(280)
    ]
    index = build_index(mentees, mentors)
    cap = np.full(len(mentors), 2, dtype=np.int64)
    here = assign(IndexSource(index, chunk=32, device="numpy"), cap, k=5, q=5, pool=5)
    there = assign(
        IndexSource(index, chunk=32, runner=runner, device="numpy"), cap, k=5, q=5, pool=5
    )
    assert_same(here, there)
    assert here.matched_mentees == 280


def test_progress_comes_from_the_cluster_too(runner: DaskRunner) -> None:
    mentees, mentors = cohort(300, 90, capacity=3, seed=5)
    index = build_index(mentees, mentors, text_dim=32)
    cap = np.array([p.free_slots for p in mentors], dtype=np.int64)
    seen: list[tuple[str, int, int, int]] = []
    assign(
        IndexSource(index, chunk=32, runner=runner),
        cap,
        k=1,
        pool=1,
        progress=lambda p: seen.append((p.stage, p.done, p.total, p.round)),
    )
    candidates = [s for s in seen if s[0] == "candidates"]
    assert candidates[0] == ("candidates", 0, 300, 0) and candidates[-1][1] == 300
    assert len(candidates) > 2  # several tasks reported as they finished
    assert seen[-1][0] == "done"


def test_without_dask_the_runner_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    expected = r'pip install -e "\.\[distributed\]"'
    with pytest.raises(DistributedUnavailable, match=expected), dask_runner(workers=1):
        pass


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    unreachable = "tcp://127.0.0.1:9"
    with (
        pytest.raises(DistributedUnavailable, match=re.escape(f"could not reach {unreachable}")),
        dask_runner(scheduler=unreachable, timeout=1),
    ):
        pass
