"""Check-ins, the daily health sweep and the daily job that runs both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.programs import adapters, health, selectors
from tandem.programs.models import CheckIn, HealthSnapshot, Match, Programme
from tandem.programs.services._common import _notify, _url

# --- check-ins ------------------------------------------------------------------------------


@transaction.atomic
def checkin_answer(
    *,
    checkin: CheckIn,
    user: User,
    satisfaction: int,
    meets_as_agreed: bool,
    comment: str = "",
) -> CheckIn:
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.user_id != user.pk:
        raise ValidationError({"__all__": [_("This check-in is someone else's.")]})
    if checkin.answered_at is not None:
        raise ValidationError({"__all__": [_("You have already answered this check-in.")]})
    if not 1 <= int(satisfaction) <= 5:
        raise ValidationError({"satisfaction": [_("Choose from 1 to 5.")]})
    checkin.satisfaction = int(satisfaction)
    checkin.meets_as_agreed = bool(meets_as_agreed)
    checkin.comment = comment.strip()[:2000]
    checkin.answered_at = timezone.now()
    checkin.save(update_fields=["satisfaction", "meets_as_agreed", "comment", "answered_at"])
    return checkin


def _send_checkins_for(match_id: int, now: dt.datetime) -> int:
    today = selectors.server_localdate(now)
    with transaction.atomic():
        match = (
            Match.objects.select_for_update()
            .select_related("programme", "mentee", "mentor")
            .filter(pk=match_id, closed_at__isnull=True, next_checkin_on__lte=today)
            .first()
        )
        if match is None:
            return 0
        due = match.next_checkin_on
        assert due is not None
        sent = 0
        for user in (match.mentee, match.mentor):
            checkin, created = CheckIn.objects.get_or_create(
                match=match, user=user, due_on=due, defaults={"sent_at": now}
            )
            if created:
                _notify(
                    user,
                    "checkin",
                    programme=match.programme,
                    other=match.mentor if user.pk == match.mentee_id else match.mentee,
                    url=_url("programs:checkin", checkin.pk),
                )
                sent += 1
        match.next_checkin_on = due + dt.timedelta(days=match.programme.checkin_every_days)
        match.save(update_fields=["next_checkin_on"])
        return sent


def checkins_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every check-in that is due (30 days after matching, then every 60 by default).
    Idempotent: a due date's check-in exists once per person, and a match moves to its next
    date in the same transaction."""
    now = now or timezone.now()
    ids = list(
        Match.objects.filter(
            closed_at__isnull=True, next_checkin_on__lte=selectors.server_localdate(now)
        ).values_list("pk", flat=True)
    )
    return sum(_send_checkins_for(pk, now) for pk in ids)


@dataclass
class SweepResult:
    snapshots: int = 0
    alerts: int = 0
    warnings: int = 0
    closed: int = 0
    linked: int = 0
    unanswered: int = 0


def match_follow_request(
    *, request_id: int, mentorship_id: int | None, now: dt.datetime | None = None
) -> int:
    """A request held by programme matches was answered (mentorships' `request_answered`,
    connected in `apps.py`): accepted, each open match holding it follows the mentorship it
    became; ended unanswered (declined, withdrawn, expired), each is closed quietly, with no
    relationship to follow, so no alerts, warnings or check-ins. A match started again
    since on another request is left alone. Returns the number of matches changed."""
    matches = Match.objects.filter(request_id=request_id, mentorship__isnull=True)
    if mentorship_id is not None:
        return matches.update(mentorship_id=mentorship_id)
    return matches.filter(closed_at__isnull=True).update(closed_at=now or timezone.now())


# The sweep's own pass over the requests: a safety net for an answer whose signal was lost
# (a process stopped between the commit and the receiver, or the receiver failed).


def _link_mentorships(programme: Programme) -> int:
    """Record the mentorship each accepted programme request became."""
    pending = list(
        Match.objects.filter(
            programme=programme, mentorship__isnull=True, request__isnull=False
        ).values_list("pk", "request_id")
    )
    found = adapters.mentorships_for_requests([r for _pk, r in pending])
    n = 0
    for pk, request_id in pending:
        if request_id in found:
            Match.objects.filter(pk=pk).update(mentorship_id=found[request_id])
            n += 1
    return n


def _close_unanswered(programme: Programme, now: dt.datetime) -> int:
    """Close, quietly, the open matches whose request ended without a mentorship (declined,
    expired or withdrawn): no relationship to follow, so no alerts, warnings or check-ins."""
    pending = dict(
        Match.objects.filter(
            programme=programme,
            closed_at__isnull=True,
            mentorship__isnull=True,
            request__isnull=False,
        ).values_list("pk", "request_id")
    )
    ended = adapters.requests_ended_unanswered(pending.values())
    ids = [pk for pk, request_id in pending.items() if request_id in ended]
    if not ids:
        return 0
    # Still holding the ended request: a match started again since is left open.
    return Match.objects.filter(pk__in=ids, closed_at__isnull=True, request_id__in=ended).update(
        closed_at=now
    )


def _close_for_inactivity(
    match: Match, *, programme: Programme, days: int, now: dt.datetime
) -> None:
    """Close the match and, in the same transaction, its mentorship (mentorships' own ending,
    which tells both people). When there is no live mentorship to end (a circle, a request
    never accepted, or one they already ended), the programme tells them itself: either
    way each person gets one email."""
    match.closed_at = now
    match.save(update_fields=["closed_at"])
    ended = match.mentorship_id is not None and adapters.mentorship_close_inactive(
        mentorship_id=match.mentorship_id, days=days, programme_name=programme.name, now=now
    )
    if not ended:
        for user, other in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
            _notify(user, "closed", programme=programme, other=other)


def health_sweep(*, programme: Programme, now: dt.datetime | None = None) -> SweepResult:
    """Snapshot every open match's health; alert the managers about relationships inactive
    for 21 days; warn both sides 7 days before closing; close after 90 days (settings),
    the match and its mentorship together. Matches follow their request's answer as it
    happens (`match_follow_request`); the sweep first catches up any it missed."""
    now = now or timezone.now()
    out = SweepResult(linked=_link_mentorships(programme))
    out.unanswered = _close_unanswered(programme, now)
    today = selectors.server_localdate(now)
    matches = list(selectors.matches_of(programme=programme, open_only=True))
    rows = selectors.relationship_rows(matches=matches, programme=programme, now=now)
    HealthSnapshot.objects.bulk_create(
        [
            HealthSnapshot(match=r.match, programme=programme, on=today, health=r.health.status)
            for r in rows
        ],
        ignore_conflicts=True,
    )
    out.snapshots = len(rows)
    newly_inactive = []
    url = _url("programs:relationships", programme.pk)
    for r in rows:
        m, inactive = r.match, r.health.days_inactive
        with transaction.atomic():
            locked = (
                Match.objects.select_for_update(of=("self",))
                .select_related("mentee", "mentor")
                .get(pk=m.pk)
            )
            if locked.closed_at is not None or locked.matched_at != m.matched_at:
                continue  # closed, or started again since its health was read
            if inactive < health.alert_days():
                if locked.inactive_alerted_at or locked.close_warned_at:
                    locked.inactive_alerted_at = locked.close_warned_at = None
                    locked.save(update_fields=["inactive_alerted_at", "close_warned_at"])
                continue
            if locked.inactive_alerted_at is None:
                locked.inactive_alerted_at = now
                locked.save(update_fields=["inactive_alerted_at"])
                newly_inactive.append((m, inactive))
            warn_at = health.close_days() - health.close_warning_days()
            if inactive >= warn_at and locked.close_warned_at is None:
                locked.close_warned_at = now
                locked.save(update_fields=["close_warned_at"])
                for user, other in ((m.mentee, m.mentor), (m.mentor, m.mentee)):
                    _notify(
                        user, "closing_warning", programme=programme, other=other,
                        days=health.close_warning_days(), url=_url("programs:detail", programme.pk),
                    )  # fmt: skip
                out.warnings += 1
            elif (
                inactive >= health.close_days()
                and locked.close_warned_at is not None
                and (now - locked.close_warned_at).days >= health.close_warning_days()
            ):
                _close_for_inactivity(locked, programme=programme, days=inactive, now=now)
                out.closed += 1
    if newly_inactive:
        with transaction.atomic():
            for manager in selectors.managers_of(programme=programme):
                _notify(
                    manager, "inactive_alert", programme=programme,
                    count=len(newly_inactive), days=health.alert_days(), url=url,
                    pairs=[(m.mentee.get_full_name(), m.mentor.get_full_name(), d)
                           for m, d in newly_inactive],
                )  # fmt: skip
                out.alerts += 1
    return out


def daily(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: due check-ins, then every programme's health sweep."""
    now = now or timezone.now()
    totals = {"checkins": checkins_send_due(now=now), "alerts": 0, "warnings": 0, "closed": 0}
    programmes = Programme.objects.filter(matches__closed_at__isnull=True).distinct()
    for programme in programmes:
        result = health_sweep(programme=programme, now=now)
        totals["alerts"] += result.alerts
        totals["warnings"] += result.warnings
        totals["closed"] += result.closed
    return totals
