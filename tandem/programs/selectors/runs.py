"""Comparing two matching runs of a programme: totals, and the pairs that changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from tandem.accounts.models import User
from tandem.programs.models import MatchRun, ProposedPair

# --- comparing runs -------------------------------------------------------------------------


@dataclass(frozen=True)
class PairChange:
    """One mentee whose mentors differ between the two runs: `added` when only the second
    run matches them, `removed` when only the first does, `moved` when both do with
    different mentors. Mentor names are sorted; `before` is the first run's."""

    kind: str
    mentee_id: int
    mentee_name: str
    before: list[tuple[int, str]] = field(default_factory=list)
    after: list[tuple[int, str]] = field(default_factory=list)


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
    changes: list[PairChange] = field(default_factory=list)


def _mentors_by_mentee(run: MatchRun) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for mentee, mentor in ProposedPair.objects.filter(run=run).values_list(
        "mentee_id", "mentor_id"
    ):
        out.setdefault(mentee, set()).add(mentor)
    return out


def compare_runs(*, a: MatchRun, b: MatchRun) -> RunComparison:
    """Coverage, total score, how many mentees got a different mentor, and who: every mentee
    whose mentors changed, with the names on both sides (three queries)."""
    by_a, by_b = _mentors_by_mentee(a), _mentors_by_mentee(b)
    both = by_a.keys() & by_b.keys()
    differ = sorted(m for m in by_a.keys() | by_b.keys() if by_a.get(m) != by_b.get(m))
    people = set(differ) | {j for m in differ for j in (by_a.get(m, set()) | by_b.get(m, set()))}
    names = {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=people).only("full_name")}

    def named(ids: set[int]) -> list[tuple[int, str]]:
        return sorted(((j, names.get(j, "")) for j in ids), key=lambda t: (t[1].lower(), t[0]))

    changes = [
        PairChange(
            kind="moved" if m in both else "added" if m in by_b else "removed",
            mentee_id=m,
            mentee_name=names.get(m, ""),
            before=named(by_a.get(m, set())),
            after=named(by_b.get(m, set())),
        )
        for m in differ
    ]
    changes.sort(key=lambda c: (c.mentee_name.lower(), c.mentee_id))
    changed = sum(1 for c in changes if c.kind == "moved")
    return RunComparison(
        a=a,
        b=b,
        coverage_a=a.coverage,
        coverage_b=b.coverage,
        total_a=a.total_score,
        total_b=b.total_score,
        kept=len(both) - changed,
        changed=changed,
        only_a=len(by_a.keys() - by_b.keys()),
        only_b=len(by_b.keys() - by_a.keys()),
        changes=changes,
    )
