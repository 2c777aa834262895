"""Relationship health: one row per programme match, for its managers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.programs import adapters, health
from tandem.programs.models import CheckIn, Match, Programme
from tandem.programs.selectors.access import server_localdate

# --- health ---------------------------------------------------------------------------------


@dataclass
class RelationshipRow:
    match: Any  # a Match, or the dashboard's lighter stand-in
    health: health.Health
    # The date the pair last wrote to each other: that they are in touch, never what.
    last_message_at: dt.datetime | None = None


def _mentorship_ids(matches: list[Any]) -> dict[int, int]:
    """match id -> mentorship id, resolving requests accepted since publishing."""
    pending = [m.request_id for m in matches if m.mentorship_id is None and m.request_id]
    via_request = adapters.mentorships_for_requests(pending)
    out = {}
    for m in matches:
        mid = m.mentorship_id or via_request.get(m.request_id or 0)
        if mid:
            out[m.pk] = mid
    return out


def relationship_rows(
    *,
    matches: list[Any],
    programme: Programme,
    now: dt.datetime | None = None,
    whole_programme: bool = False,
) -> list[RelationshipRow]:
    """Health of each match, in a fixed number of queries whatever their number. With
    `whole_programme`, `matches` are all the programme's and the queries select by programme
    (subqueries) instead of by long lists of ids."""
    now = now or timezone.now()
    if not matches:
        return []
    ms = _mentorship_ids(matches)
    if whole_programme:
        scope = Q(match__programme=programme)
        facts = adapters.relationship_facts(
            Match.objects.filter(programme=programme, mentorship__isnull=False).values(
                "mentorship_id"
            ),
            now=now,
        )
        if any(mid not in facts for mid in ms.values()):
            facts.update(adapters.relationship_facts(set(ms.values()) - set(facts), now=now))
    else:
        scope = Q(match_id__in=[m.pk for m in matches])
        facts = adapters.relationship_facts(set(ms.values()), now=now)
    latest: dict[int, Any] = {}
    for row in (
        CheckIn.objects.filter(scope, answered_at__isnull=False)
        .order_by("match_id", "answered_at")
        .values("match_id", "satisfaction", "meets_as_agreed", "answered_at")
    ):
        latest[row["match_id"]] = row
    grace = server_localdate(now) - dt.timedelta(days=7)
    overdue = set(
        CheckIn.objects.filter(
            scope, answered_at__isnull=True, sent_at__isnull=False, due_on__lte=grace
        ).values_list("match_id", flat=True)
    )
    rows = []
    for m in matches:
        f = facts.get(ms.get(m.pk, 0))
        last_checkin = latest.get(m.pk)
        activity = [
            f.last_meeting_at if f else None,
            last_checkin["answered_at"] if last_checkin else None,
        ]
        rows.append(
            RelationshipRow(
                match=m,
                health=health.classify(
                    now=now,
                    matched_at=m.matched_at,
                    closed=m.closed_at is not None or (f is not None and not f.live),
                    agreed_per_month=f.agreed_per_month if f else programme.meetings_per_month,
                    held=f.held if f else 0,
                    last_activity=max(filter(None, activity), default=None),
                    satisfaction=last_checkin["satisfaction"] if last_checkin else None,
                    meets_as_agreed=last_checkin["meets_as_agreed"] if last_checkin else None,
                    checkin_overdue=m.pk in overdue,
                ),
                last_message_at=f.last_message_at if f else None,
            )
        )
    return rows


def matches_of(*, programme: Programme, open_only: bool = False) -> QuerySet[Match]:
    qs = Match.objects.filter(programme=programme).select_related("mentee", "mentor")
    return qs.filter(closed_at__isnull=True) if open_only else qs
