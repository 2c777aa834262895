"""Lists: programmes, participants, questions, runs, pairs, matches, circles, check-ins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.programs import circle_schedule
from tandem.programs.models import (
    CheckIn,
    Circle,
    Match,
    MatchRun,
    Membership,
    PairRule,
    Programme,
    ProposedPair,
    Question,
    Role,
    Unmatched,
)

# --- lists ----------------------------------------------------------------------------------


def programmes_managed(*, user: User) -> QuerySet[Programme]:
    """The programmes `user` manages, each with `n_mentees` and `n_mentors` (one query).

    Which programmes is a subquery, not a filter on `memberships`: filtering on the same
    relation the counts aggregate would join them to the manager's own membership row only,
    and every programme would count 0 mentees and 0 mentors."""
    managed = Membership.objects.filter(user_id=user.pk, role=Role.MANAGER).values("programme_id")
    return (
        Programme.objects.filter(pk__in=managed)
        .annotate(
            n_mentees=Count("memberships", filter=Q(memberships__role=Role.MENTEE), distinct=True),
            n_mentors=Count("memberships", filter=Q(memberships__role=Role.MENTOR), distinct=True),
        )
        .order_by("-created_at")
    )


def programmes_joined(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user.pk)
        .exclude(role=Role.MANAGER)
        .select_related("programme")
        .order_by("-joined_at")
    )


def users_share_programme(a: User, b: User) -> bool:
    """Are `a` and `b` members of one programme (people's `share_programme` hook)?"""
    return Membership.objects.filter(user_id=a.pk, programme__memberships__user_id=b.pk).exists()


def questions_for(*, programme: Programme, role: str | None = None) -> QuerySet[Question]:
    qs = programme.questions.all()
    return qs.filter(role=role) if role else qs


def participants(*, programme: Programme, role: str = "") -> QuerySet[Membership]:
    qs = (
        Membership.objects.filter(programme=programme)
        .exclude(role=Role.MANAGER)
        .select_related("user")
        .order_by("role", "user__full_name", "pk")
    )
    return qs.filter(role=role) if role else qs


def member_id_by_email(*, programme: Programme, role: str, email: str) -> int | None:
    """The user id of the programme's member in `role` with this email (any case), or None."""
    return (
        Membership.objects.filter(programme=programme, role=role, user__email__iexact=email.strip())
        .values_list("user_id", flat=True)
        .first()
    )


def managers_of(*, programme: Programme) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(programme=programme, role=Role.MANAGER).select_related(
            "user"
        )
    ]


def runs_for(*, programme: Programme) -> QuerySet[MatchRun]:
    return programme.runs.all()


def pairs_for(*, run: MatchRun) -> QuerySet[ProposedPair]:
    return run.pairs.select_related("mentee", "mentor")


def pairs_not_published(*, run: MatchRun) -> QuerySet[ProposedPair]:
    """The pairs publishing left out: skipped by the programme's limits, or refused by
    mentorships' rules."""
    return pairs_for(run=run).filter(~Q(skipped="") | ~Q(publish_error=""))


def unmatched_for(*, run: MatchRun) -> QuerySet[Unmatched]:
    return run.unmatched.select_related("mentee")


def rules_for(*, programme: Programme) -> dict[tuple[int, int], str]:
    return {
        (r.mentee_id, r.mentor_id): r.kind
        for r in PairRule.objects.filter(programme=programme).only("mentee_id", "mentor_id", "kind")
    }


def rule_count(*, programme: Programme) -> int:
    """How many pins and forbids apply to the programme's next run."""
    return PairRule.objects.filter(programme=programme).count()


def published_run(*, programme: Programme) -> MatchRun | None:
    return programme.runs.filter(published_at__isnull=False).first()


def my_matches(*, user: User, programme: Programme) -> QuerySet[Match]:
    return (
        Match.objects.filter(programme=programme)
        .filter(Q(mentee_id=user.pk) | Q(mentor_id=user.pk))
        .select_related("mentee", "mentor", "circle")
    )


def circles_for_user(*, user: User, programme: Programme) -> QuerySet[Circle]:
    return (
        Circle.objects.filter(programme=programme)
        .filter(Q(mentor_id=user.pk) | Q(members__mentee_id=user.pk))
        .distinct()
    )


def circles_of(*, programme: Programme) -> QuerySet[Circle]:
    return (
        Circle.objects.filter(programme=programme)
        .select_related("mentor")
        .annotate(n_members=Count("members"))
    )


def circle_members(*, circle: Circle) -> list[User]:
    return [m.mentee for m in circle.members.select_related("mentee").order_by("mentee__full_name")]


def circle_sessions(
    *, circle: Circle, now: dt.datetime | None = None, count: int = circle_schedule.UPCOMING
) -> list[circle_schedule.Session]:
    """The circle's next sessions, each with the time the rule gives it, when it takes place
    and whether it is cancelled, in the slot's zone (one query: the changes still ahead)."""
    now = now or timezone.now()
    changes = list(circle_schedule.upcoming_changes(circle, now=now))
    return circle_schedule.upcoming_sessions(circle, changes, now=now, count=count)


def checkins_open_for(*, user: User) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(user_id=user.pk, answered_at__isnull=True, sent_at__isnull=False)
        .select_related("match__programme", "match__mentee", "match__mentor")
        .order_by("due_on")
    )


def checkins_home_panel(user: User) -> dict[str, Any] | None:
    """The home page's "check-ins due" panel: my programme check-ins sent and not answered
    yet, soonest first, each with the person it is about (one query)."""
    due = list(checkins_open_for(user=user)[:5])
    if not due:
        return None
    return {
        "checkins": [
            (c, c.match.mentor if c.match.mentee_id == user.pk else c.match.mentee) for c in due
        ]
    }
