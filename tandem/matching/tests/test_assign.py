"""Cohort assignment: feasibility and exact optimality against a reference solver."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from tandem.matching.assign import Assignment, AssignmentError, assign, greedy, total
from tandem.matching.candidates import SCALE, IndexSource, Pairs, SparsePairs, scaled
from tandem.matching.scoring import build_index
from tandem.matching.synthetic import cohort
from tandem.matching.tests.exact import best_objective
from tandem.matching.types import Person

FAST = settings(max_examples=100, deadline=None)


@st.composite
def instances(draw: st.DrawFn) -> tuple[Pairs, int, int, np.ndarray, int]:
    n = draw(st.integers(1, 9))
    m = draw(st.integers(1, 6))
    cells = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, m - 1)), max_size=40, unique=True)
    )
    scores = draw(st.lists(st.integers(0, 1000), min_size=len(cells), max_size=len(cells)))
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), np.int64)
    per_mentee = draw(st.integers(1, 2))
    pairs = Pairs(
        np.array([c[0] for c in cells], np.int64),
        np.array([c[1] for c in cells], np.int64),
        (np.array(scores, np.float32) / 1000).astype(np.float32),
    )
    return pairs, n, m, capacity, per_mentee


def _check_feasible(
    chosen: Pairs, allowed: Pairs, m: int, capacity: np.ndarray, per_mentee: int
) -> None:
    allowed_codes = set((allowed.i * m + allowed.j).tolist())
    codes = (chosen.i * m + chosen.j).tolist()
    assert set(codes) <= allowed_codes, "a pair outside the allowed ones was assigned"
    assert len(set(codes)) == len(codes), "a pair was assigned twice"
    assert (np.bincount(chosen.j, minlength=m) <= capacity).all(), "a capacity was exceeded"
    if len(chosen):
        assert np.bincount(chosen.i).max() <= per_mentee


@FAST
@given(instances(), st.sampled_from(["coverage", "score"]), st.integers(1, 3), st.integers(1, 3))
def test_assignment_is_feasible_and_exactly_optimal(
    instance: tuple[Pairs, int, int, np.ndarray, int], objective: str, k: int, q: int
) -> None:
    pairs, n, m, capacity, per_mentee = instance
    result = assign(SparsePairs(pairs, n, m), capacity, per_mentee, objective, k=k, q=q)
    _check_feasible(result.pairs, pairs, m, capacity, per_mentee)
    assert result.certificate.gap == 0
    assert result.certificate.primal == best_objective(pairs, n, m, capacity, per_mentee, objective)


@FAST
@given(instances(), st.integers(0, 1000))
def test_min_score_removes_weak_pairs_and_stays_optimal(
    instance: tuple[Pairs, int, int, np.ndarray, int], floor: int
) -> None:
    pairs, n, m, capacity, per_mentee = instance
    min_score = floor / 1000
    result = assign(SparsePairs(pairs, n, m), capacity, per_mentee, min_score=min_score, k=1)
    assert (result.pairs.score >= np.float32(min_score)).all()
    strong = pairs.score >= np.float32(min_score)
    kept = Pairs(pairs.i[strong], pairs.j[strong], pairs.score[strong])
    assert result.certificate.primal == best_objective(kept, n, m, capacity, per_mentee, "coverage")


def test_coverage_matches_more_people_than_score_when_they_conflict() -> None:
    # Mentor 0 suits both mentees best; mentor 1 only suits mentee 0, poorly.
    pairs = Pairs(np.array([0, 1, 0]), np.array([0, 0, 1]), np.array([0.9, 0.8, 0.1], np.float32))
    capacity = np.array([1, 1])
    coverage = assign(SparsePairs(pairs, 2, 2), capacity, objective="coverage")
    by_score = assign(SparsePairs(pairs, 2, 2), capacity, objective="score")
    assert coverage.matched_mentees == 2
    assert sorted(zip(coverage.pairs.i.tolist(), coverage.pairs.j.tolist(), strict=True)) == [
        (0, 1),
        (1, 0),
    ]
    assert by_score.total_score == pytest.approx(0.9)


def test_pinned_pairs_are_kept_and_use_capacity() -> None:
    pairs = Pairs(np.array([0, 1]), np.array([0, 0]), np.array([0.2, 0.9], np.float32))
    result = assign(
        SparsePairs(pairs, 2, 1),
        [1],
        pinned=Pairs(np.array([0]), np.array([0]), np.zeros(1, np.float32)),
    )
    assert list(zip(result.pairs.i.tolist(), result.pairs.j.tolist(), strict=True)) == [(0, 0)]
    assert result.total_score == pytest.approx(0.2)


def test_a_forbidden_or_unknown_pin_is_refused() -> None:
    pairs = Pairs(np.array([0]), np.array([0]), np.array([0.5], np.float32))
    with pytest.raises(AssignmentError):
        assign(
            SparsePairs(pairs, 2, 1),
            [1],
            pinned=Pairs(np.array([1]), np.array([0]), np.zeros(1, np.float32)),
        )


def _slot_expanded_check(
    mentees: list[Person], mentors: list[Person], objective: str, **options: int
) -> Assignment:
    """Assign from profiles and compare with SciPy on the dense slot-expanded matrix."""
    index = build_index(mentees, mentors, text_dim=64)
    n, m = index.shape
    i, j = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
    ok = index.rules.allowed(i, j)
    scores = index.score_rows(np.arange(n))
    capacity = np.array([p.free_slots for p in mentors])
    result = assign(IndexSource(index, chunk=16), capacity, objective=objective, **options)
    allowed = Pairs(i[ok], j[ok], scores[i[ok], j[ok]])
    _check_feasible(result.pairs, allowed, m, capacity, 1)
    # Reference: one column per mentor slot, a forbidden pair worth nothing.
    offset = SCALE * (min(n, int(capacity.sum())) + 1) if objective == "coverage" else 0
    weights = np.where(ok.reshape(n, m), offset + scaled(scores), 0)
    expanded = np.repeat(weights, capacity, axis=1)
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    assert result.certificate.primal == int(expanded[rows, cols].sum())
    assert result.certificate.gap == 0
    return result


@pytest.mark.parametrize("pool", [2, 128])
@pytest.mark.parametrize("seed", range(4))
def test_profiles_never_get_a_forbidden_pair_and_match_the_slot_expanded_optimum(
    seed: int, pool: int
) -> None:
    mentees, mentors = cohort(90, 25, capacity=3, seed=seed)
    _slot_expanded_check(mentees, mentors, "score", k=2, q=2, pool=pool)


@pytest.mark.parametrize("objective", ["coverage", "score"])
@pytest.mark.parametrize("seed", range(3))
def test_scans_that_keep_only_each_rows_best_violators_stay_exact(
    seed: int, objective: str
) -> None:
    # One candidate a mentee, no pool, one pair added a row a round: full-row scans meet rows
    # with far more violators than they keep (4q + 32), and must still certify.
    mentees, mentors = cohort(400, 120, capacity=2, seed=seed)
    result = _slot_expanded_check(mentees, mentors, objective, k=1, q=1, pool=1)
    assert result.certificate.rounds > 1


@pytest.mark.parametrize("objective", ["coverage", "score"])
def test_look_alike_profiles_spread_over_tied_mentors(objective: str) -> None:
    # Everyone scores every mentor the same: ties must not pile every mentee onto the same
    # few mentors (which made rounds grow with the number of mentors).
    goals = ["lead a team", "move into product"]
    mentors = [
        Person(id=f"m{k}", languages=frozenset({"en"}), goals=goals[k % 2], capacity=2)
        for k in range(150)
    ]
    mentees = [
        Person(id=f"e{k}", languages=frozenset({"en"}), goals=goals[k % 2]) for k in range(280)
    ]
    result = _slot_expanded_check(mentees, mentors, objective, k=5, q=5, pool=5)
    assert result.matched_mentees == 280
    assert result.certificate.rounds <= 3
    assert result.certificate.arcs <= 12 * 280


def test_greedy_is_feasible_but_can_leave_people_out() -> None:
    pairs = Pairs(np.array([0, 1, 0]), np.array([0, 0, 1]), np.array([0.9, 0.8, 0.1], np.float32))
    chosen = greedy(pairs, 2, [1, 1])
    assert sorted(chosen.i.tolist()) == [0]
    assert total(chosen) == pytest.approx(0.9)
