"""Comparing two matching runs of a programme."""

from __future__ import annotations

from dataclasses import dataclass

from tandem.programs.models import MatchRun, ProposedPair

# --- comparing runs -------------------------------------------------------------------------


@dataclass(frozen=True)
class RunComparison:
    a: MatchRun
    b: MatchRun
    coverage_a: float
    coverage_b: float
    total_a: float
    total_b: float
    kept: int
    changed: int
    only_a: int
    only_b: int


def compare_runs(*, a: MatchRun, b: MatchRun) -> RunComparison:
    """Coverage, total score, and how many mentees got a different mentor."""
    pairs_a = set(ProposedPair.objects.filter(run=a).values_list("mentee_id", "mentor_id"))
    pairs_b = set(ProposedPair.objects.filter(run=b).values_list("mentee_id", "mentor_id"))
    mentees_a = {m for m, _ in pairs_a}
    mentees_b = {m for m, _ in pairs_b}
    by_a: dict[int, set[int]] = {}
    by_b: dict[int, set[int]] = {}
    for m, j in pairs_a:
        by_a.setdefault(m, set()).add(j)
    for m, j in pairs_b:
        by_b.setdefault(m, set()).add(j)
    both = mentees_a & mentees_b
    changed = sum(1 for m in both if by_a[m] != by_b[m])
    return RunComparison(
        a=a,
        b=b,
        coverage_a=a.coverage,
        coverage_b=b.coverage,
        total_a=a.total_score,
        total_b=b.total_score,
        kept=len(both) - changed,
        changed=changed,
        only_a=len(mentees_a - mentees_b),
        only_b=len(mentees_b - mentees_a),
    )
