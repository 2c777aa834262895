"""The programme dashboard: aggregates only, never a person's answers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, Min, OuterRef, Subquery
from django.utils import timezone

from tandem.programs import adapters, health
from tandem.programs.models import CheckIn, HealthSnapshot, Match, Membership, Programme, Role
from tandem.programs.selectors.access import server_localdate
from tandem.programs.selectors.relationships import relationship_rows

# --- dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LiteMatch:
    """The few fields of a match the dashboard needs, without building model instances."""

    pk: int
    mentee_id: int
    matched_at: dt.datetime
    closed_at: dt.datetime | None
    request_id: int | None
    mentorship_id: int | None


@dataclass
class Dashboard:
    enrolment: list[tuple[str, int]]
    mentees: int
    matched_mentees: int
    match_rate: float
    time_to_match: list[tuple[str, int]]
    median_days_to_match: float | None
    meetings_per_month: list[tuple[str, int]]
    goals_progress: list[tuple[str, int]]
    satisfaction: list[tuple[str, int]]
    health_now: list[tuple[str, int]]
    health_over_time: list[tuple[str, dict[str, int]]] = field(default_factory=list)


TIME_BUCKETS = ((7, "0-7"), (14, "8-14"), (30, "15-30"), (60, "31-60"), (10**6, "61+"))
GOAL_BUCKETS = ((24, "0-24%"), (49, "25-49%"), (74, "50-74%"), (99, "75-99%"), (100, "100%"))


def _bucket(value: float, buckets: tuple[tuple[int, str], ...]) -> str:
    for top, label in buckets:
        if value <= top:
            return label
    return buckets[-1][1]


def _months_back(now: dt.datetime, n: int) -> list[str]:
    year, month = now.year, now.month
    out = []
    for _i in range(n):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


def _month_start(label: str) -> dt.datetime:
    return dt.datetime(int(label[:4]), int(label[5:]), 1, tzinfo=dt.UTC)


def _next_month(label: str) -> str:
    year, month = int(label[:4]), int(label[5:])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def dashboard(*, programme: Programme, now: dt.datetime | None = None) -> Dashboard:
    """Every figure of the programme dashboard: counts and distributions only."""
    now = now or timezone.now()
    roles = dict(
        Membership.objects.filter(programme=programme)
        .exclude(role=Role.MANAGER)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    mentees = int(roles.get(Role.MENTEE, 0))
    # Days from enrolment to first match, computed by the database (one duration a mentee).
    joined_at = Membership.objects.filter(
        programme=programme, role=Role.MENTEE, user_id=OuterRef("mentee_id")
    ).values("joined_at")[:1]
    waits = list(
        Match.objects.filter(programme=programme)
        .values("mentee_id")
        .annotate(
            wait=ExpressionWrapper(
                Min("matched_at") - Subquery(joined_at), output_field=DurationField()
            )
        )
        .values_list("wait", flat=True)
    )
    matched_mentees = len(waits)
    days = sorted(max(0, w.days) for w in waits if w is not None)
    ttm = Counter(_bucket(d, TIME_BUCKETS) for d in days)
    months = _months_back(now, 6)
    bounds = [_month_start(m) for m in months] + [_month_start(_next_month(months[-1]))]
    per_month = adapters.meetings_per_month(
        Match.objects.filter(programme=programme, mentorship__isnull=False).values("mentorship_id"),
        months=[(m, bounds[k], bounds[k + 1]) for k, m in enumerate(months)],
        now=now,
    )
    goals = Counter(
        _bucket(p, GOAL_BUCKETS)
        for p in adapters.goals_progress(
            Membership.objects.filter(programme=programme, role=Role.MENTEE).values("user_id")
        )
    )
    sat = dict(
        CheckIn.objects.filter(match__programme=programme, satisfaction__isnull=False)
        .values_list("satisfaction")
        .annotate(n=Count("pk"))
        .values_list("satisfaction", "n")
    )
    per_day: dict[dt.date, dict[str, int]] = {}
    for on, status, n in (
        HealthSnapshot.objects.filter(
            programme=programme, on__gte=server_localdate(now) - dt.timedelta(days=84)
        )
        .values_list("on", "health")
        .annotate(n=Count("pk"))
        .values_list("on", "health", "n")
        .order_by("on")
    ):
        per_day.setdefault(on, {})[status] = n
    over_time: dict[str, dict[str, int]] = {}
    for on in sorted(per_day):  # a week shows its latest day
        over_time[(on - dt.timedelta(days=on.weekday())).isoformat()] = per_day[on]
    # Health now: today's snapshot when the daily sweep has run (one grouped query, whatever
    # the cohort's size), else computed live.
    today = server_localdate(now)
    if today in per_day:
        now_counts = Counter(per_day[today])
        now_counts[health.CLOSED] += Match.objects.filter(
            programme=programme, closed_at__isnull=False
        ).count()
    else:
        matches = [
            _LiteMatch(*row)
            for row in Match.objects.filter(programme=programme).values_list(
                "pk", "mentee_id", "matched_at", "closed_at", "request_id", "mentorship_id"
            )
        ]
        rows = relationship_rows(
            matches=matches, programme=programme, now=now, whole_programme=True
        )
        now_counts = Counter(r.health.status for r in rows)
    health_order = [health.HEALTHY, health.NEEDS_CHECKIN, health.AT_RISK, health.CLOSED]
    return Dashboard(
        enrolment=[(Role.MENTEE, mentees), (Role.MENTOR, int(roles.get(Role.MENTOR, 0)))],
        mentees=mentees,
        matched_mentees=matched_mentees,
        match_rate=matched_mentees / mentees if mentees else 0.0,
        time_to_match=[(label, ttm.get(label, 0)) for _top, label in TIME_BUCKETS],
        median_days_to_match=float(days[len(days) // 2]) if days else None,
        meetings_per_month=[(m, per_month.get(m, 0)) for m in months],
        goals_progress=[(label, goals.get(label, 0)) for _top, label in GOAL_BUCKETS],
        satisfaction=[(str(s), int(sat.get(s, 0))) for s in range(1, 6)],
        health_now=[(h, now_counts.get(h, 0)) for h in health_order],
        health_over_time=[
            (week, {h: v.get(h, 0) for h in health_order}) for week, v in over_time.items()
        ],
    )


def dashboard_counts(*, programme: Programme) -> dict[str, int]:
    """People per role and matches, for the programme's overview."""
    counts = dict(
        Membership.objects.filter(programme=programme)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    counts["matches"] = Match.objects.filter(programme=programme).count()
    return {k: int(v) for k, v in counts.items()}
