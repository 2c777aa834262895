"""Writes for Find a mentor (marks), and whole-cohort matching for the programmes app."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.matching.assign import Assignment, Certificate, assign
from tandem.matching.candidates import IndexSource, Pairs
from tandem.matching.distributed import dask_runner
from tandem.matching.kernel import LocalRunner, Runner
from tandem.matching.progress import ProgressCallback
from tandem.matching.reasons import Reason
from tandem.matching.scoring import build_index, explain_features
from tandem.matching.types import Person, Weights, redact
from tandem.suggestions.adapters import hidden_groups_by_user, persons_for_users
from tandem.suggestions.models import MentorMark
from tandem.suggestions.vectors import resolved, text_encoder

# --- marks ----------------------------------------------------------------------------------


def _mark(*, user: User, mentor: User, kind: str) -> MentorMark:
    if user.pk == mentor.pk:
        raise ValidationError({"mentor_id": [_("You cannot mark yourself.")]})
    with transaction.atomic():
        mark, _created = MentorMark.objects.update_or_create(
            user=user, mentor=mentor, defaults={"kind": kind}
        )
    return mark


def mentor_save(*, user: User, mentor: User) -> MentorMark:
    """Keep a mentor for later (replaces a "not for me" mark on them)."""
    return _mark(user=user, mentor=mentor, kind=MentorMark.Kind.SAVED)


def mentor_dismiss(*, user: User, mentor: User) -> MentorMark:
    """ "Not for me": the mentor stops appearing in the user's suggestions until undone."""
    return _mark(user=user, mentor=mentor, kind=MentorMark.Kind.DISMISSED)


@transaction.atomic
def mark_undo(*, mark: MentorMark) -> None:
    """Forget a mark: a dismissed mentor may be suggested again, a saved one is unsaved."""
    MentorMark.objects.filter(pk=mark.pk).delete()


# --- cohort matching ------------------------------------------------------------------------

Objective = Literal["coverage", "score"]
NO_ALLOWED_MENTOR = "no allowed mentor"
CAPACITY = "capacity"


@dataclass(frozen=True)
class CohortPair:
    mentee: User
    mentor: User
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Unmatched:
    mentee: User
    why: str
    """NO_ALLOWED_MENTOR (the rules or the minimum score leave nobody) or CAPACITY (allowed
    mentors exist, but their places went to others in the optimal assignment)."""


@dataclass(frozen=True)
class CohortResult:
    pairs: list[CohortPair]
    unmatched: list[Unmatched]
    objective: Objective
    matched: int
    total_score: float
    certificate: Certificate
    seconds: float
    # The text encoder that compared goals with experience (`vectors.resolved()`).
    encoder: str = ""

    def summary(self) -> str:
        c = self.certificate
        return (
            f"objective={self.objective} matched={self.matched} pairs={len(self.pairs)} "
            f"unmatched={len(self.unmatched)} total_score={self.total_score:.6f} "
            f"certificate: gap={c.gap} rounds={c.rounds}"
        )


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())


def _places(
    users: Sequence[User], people: Sequence[Person], capacities: Mapping[int, int] | None
) -> list[int]:
    """Each mentor's places in this run (see `cohort_match`)."""
    caps = capacities or {}
    return [
        min(max(0, int(caps[u.pk])), p.free_slots) if u.pk in caps else p.free_slots
        for u, p in zip(users, people, strict=True)
    ]


def _runner(stack: contextlib.ExitStack) -> Runner:
    """Where the scoring runs: the Dask cluster of TANDEM_MATCH_SCHEDULER, else here."""
    if not settings.TANDEM_MATCH_SCHEDULER:
        return LocalRunner()
    runner: Runner = stack.enter_context(dask_runner(scheduler=settings.TANDEM_MATCH_SCHEDULER))
    return runner


def cohort_match(
    *,
    mentees: Sequence[User],
    mentors: Sequence[User],
    weights: Weights | None = None,
    objective: Objective = "coverage",
    min_score: float | None = None,
    per_mentee: int = 1,
    pinned: Iterable[tuple[User, User]] = (),
    forbidden: Iterable[tuple[User, User]] = (),
    progress: ProgressCallback | None = None,
    capacities: Mapping[int, int] | None = None,
) -> CohortResult:
    """The certified optimal assignment of a cohort's mentees to its mentors.

    Every rule applies (own reporting line, competitors, languages, paused or full mentors,
    mentors who take only their own organisation); `forbidden` adds pairs by hand. Pinned
    pairs are kept and use capacity; a pinned pair the rules forbid raises ValidationError.
    Nothing is written: the programmes app stages the result for review.

    Capacity: a mentor takes at most their free places today (their profile's capacity
    minus their live mentorships, none while paused). `capacities` (mentor user pk -> places)
    can only lower that: a mentor in it takes at most min(capacities[pk], free places), a
    negative number counting as zero; a mentor not in it keeps their free places. A
    programme passes its own capacity for each mentor less their live mentorships in that
    programme, so neither the programme's limit nor the person's own is ever exceeded.

    `progress` hears the core's `Progress` events. With TANDEM_MATCH_SCHEDULER set, the
    candidates and pricing scans run on that Dask cluster (same result, bit for bit); an
    unreachable cluster raises `distributed.DistributedUnavailable`.
    """
    if objective not in ("coverage", "score"):
        raise ValidationError({"objective": [_("Choose coverage or score.")]})
    if per_mentee < 1:
        raise ValidationError({"per_mentee": [_("Each mentee needs at least one mentor.")]})
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise ValidationError({"min_score": [_("The minimum score lies between 0 and 1.")]})
    mentee_users, mentor_users = _unique(mentees), _unique(mentors)
    mentee_people = persons_for_users(mentee_users)
    mentor_people = persons_for_users(mentor_users)
    mentee_pos = {u.pk: i for i, u in enumerate(mentee_users)}
    mentor_pos = {u.pk: j for j, u in enumerate(mentor_users)}
    forbid = frozenset(
        (str(a.pk), str(b.pk)) for a, b in forbidden if a.pk in mentee_pos and b.pk in mentor_pos
    )
    pins = list(pinned)
    unknown = [(a, b) for a, b in pins if a.pk not in mentee_pos or b.pk not in mentor_pos]
    if unknown:
        raise ValidationError({"pinned": [_("A pinned pair is not part of this cohort.")]})
    if not mentee_users:
        empty = Certificate(0, 0, 0, 0, 0, 0)
        return CohortResult([], [], objective, 0, 0.0, empty, 0.0)
    if not mentor_users:
        unmatched = [Unmatched(u, NO_ALLOWED_MENTOR) for u in mentee_users]
        return CohortResult([], unmatched, objective, 0, 0.0, Certificate(0, 0, 0, 0, 0, 0), 0.0)
    # Kept vectors only, as for Find a mentor: during a switch of encoder, a text whose
    # vector is not computed yet counts as empty (see vectors).
    index = build_index(
        mentee_people, mentor_people, weights, encoder=text_encoder(), forbidden=forbid
    )
    pinned_pairs = Pairs(
        np.array([mentee_pos[a.pk] for a, _b in pins], dtype=np.int64),
        np.array([mentor_pos[b.pk] for _a, b in pins], dtype=np.int64),
        np.zeros(len(pins), dtype=np.float32),
    )
    floor = float(min_score or 0.0)
    with contextlib.ExitStack() as stack:
        source = IndexSource(index, runner=_runner(stack))
        try:
            result: Assignment = assign(
                source,
                _places(mentor_users, mentor_people, capacities),
                per_mentee=per_mentee,
                objective=objective,
                min_score=floor,
                pinned=pinned_pairs if pins else None,
                progress=progress,
            )
        except ValueError as exc:  # AssignmentError: pins that cannot hold
            raise ValidationError({"pinned": [str(exc)]}) from exc
    # The optimisation uses everything; the reasons, which people read, name nothing either
    # side hid (see README, "What matching may use").
    hidden = hidden_groups_by_user([u.pk for u in (*mentee_users, *mentor_users)])

    def shown(user: User, person: Person) -> Person:
        return redact(person, hidden.get(user.pk, frozenset()))

    pairs = []
    found = zip(result.pairs.i.tolist(), result.pairs.j.tolist(), result.pairs.score, strict=True)
    for i, j, s in found:
        mentee, mentor = mentee_users[i], mentor_users[j]
        explanation = explain_features(
            index.space,
            shown(mentee, mentee_people[i]),
            shown(mentor, mentor_people[j]),
            index.mentee_features[i],
            index.mentor_features[j],
        )
        pairs.append(CohortPair(mentee, mentor, float(s), explanation.reasons))
    matched_rows = set(result.pairs.i.tolist())
    unmatched = []
    all_mentors = np.arange(len(mentor_users), dtype=np.int64)
    for i, user in enumerate(mentee_users):
        if i in matched_rows:
            continue
        rows = np.full(all_mentors.size, i, dtype=np.int64)
        scores, allowed = source.lookup(rows, all_mentors)
        possible = bool((allowed & (scores >= floor)).any())
        unmatched.append(Unmatched(user, CAPACITY if possible else NO_ALLOWED_MENTOR))
    return CohortResult(
        pairs=pairs,
        unmatched=unmatched,
        objective=objective,
        matched=result.matched_mentees,
        total_score=result.total_score,
        certificate=result.certificate,
        seconds=result.seconds,
        encoder=resolved(),
    )
