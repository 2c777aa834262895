"""Reads for meetings, and the one access helper per object type."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import hash_token
from tandem.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Meeting,
    MeetingNote,
    MeetingSeries,
    MeetingSlot,
)

# With no signed agreement yet, one meeting a month is the reasonable start (seed 001).
DEFAULT_MEETINGS_PER_MONTH = 1


# --- The coupling to the mentorships app, kept in one place --------------------------------
def mentorship_terms(mentorship: Any) -> dict[str, Any]:
    """What meetings need from a mentorship: may it meet, how often, how long, which channel.

    The only place that reads the mentorships app's agreement (its contract:
    `mentorship.current_agreement()` with `meetings_per_month`, `meeting_minutes`, `channels`).
    """
    from tandem.mentorships.models import Mentorship

    agreement = mentorship.current_agreement()
    statuses = {Mentorship.Status.DRAFT, Mentorship.Status.ACTIVE}
    channels = list(getattr(agreement, "channels", None) or [])
    return {
        "can_meet": mentorship.status in statuses,
        "meetings_per_month": (
            agreement.meetings_per_month
            if agreement is not None and agreement.meetings_per_month
            else DEFAULT_MEETINGS_PER_MONTH
        ),
        "meeting_minutes": (
            agreement.meeting_minutes if agreement is not None and agreement.meeting_minutes else 60
        ),
        "channel": next((c for c in channels if c in Meeting.Channel.values), ""),
    }


def mentorship_for_user(user: Any, pk: int) -> Any:
    from tandem.mentorships.selectors import get_mentorship_for_user

    return get_mentorship_for_user(user, pk)


def mentorships_for_user(user: Any) -> QuerySet[Any]:
    from tandem.mentorships.selectors import mentorships_for_user as _mentorships

    return _mentorships(user=user).select_related("mentee", "mentor")


# --- Meetings --------------------------------------------------------------------------------
def _participant(user: Any, prefix: str = "") -> Q:
    """The user is the mentee or the mentor of the meeting's mentorship or, for an
    introductory meeting, of its try-out."""
    return (
        Q(**{f"{prefix}mentorship__mentee": user})
        | Q(**{f"{prefix}mentorship__mentor": user})
        | Q(**{f"{prefix}tryout__mentee": user})
        | Q(**{f"{prefix}tryout__mentor": user})
    )


MEETING_RELATED = (
    "mentorship__mentee",
    "mentorship__mentor",
    "tryout__mentee",
    "tryout__mentor",
    "proposed_by",
    "series",
)


def meetings_for_user(*, user: Any) -> QuerySet[Meeting]:
    if not user.is_authenticated:
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(_participant(user))
        .select_related(*MEETING_RELATED)
        .prefetch_related("slots")
    )


def get_meeting_for_user(user: Any, pk: int) -> Meeting:
    """The one access helper for meetings: 404 unless the user is the mentee or the mentor
    (of the mentorship, or of the try-out an introductory meeting belongs to)."""
    meeting = meetings_for_user(user=user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def meetings_upcoming(*, user: Any) -> QuerySet[Meeting]:
    now = timezone.now()
    return meetings_for_user(user=user).filter(
        Q(status=Meeting.Status.PROPOSED)
        | Q(status=Meeting.Status.SCHEDULED, starts_at__gte=now - timedelta(hours=2))
    )


def meetings_past(*, user: Any) -> QuerySet[Meeting]:
    now = timezone.now()
    return (
        meetings_for_user(user=user)
        .filter(
            Q(status=Meeting.Status.CANCELLED)
            | Q(status=Meeting.Status.SCHEDULED, starts_at__lt=now - timedelta(hours=2))
        )
        .order_by("-starts_at", "-pk")
    )


def next_meeting(*, mentorship: Any, after: Meeting | None = None) -> Meeting | None:
    """The next open meeting of a mentorship (after `after`, if given): where items go next."""
    qs = Meeting.objects.filter(mentorship=mentorship).exclude(status=Meeting.Status.CANCELLED)
    if after is not None:
        qs = qs.exclude(pk=after.pk)
        if after.starts_at is not None:
            qs = qs.filter(Q(starts_at__gt=after.starts_at) | Q(starts_at__isnull=True))
    else:
        qs = qs.filter(Q(starts_at__gte=timezone.now()) | Q(starts_at__isnull=True))
    return qs.order_by("starts_at", "pk").first()


def meetings_in_month(*, mentorship: Any, when: datetime, exclude: Meeting | None = None) -> int:
    """Open meetings of the mentorship in the calendar month of `when` (mentee's time zone)."""
    try:
        zone = zoneinfo.ZoneInfo(mentorship.mentee.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = when.astimezone(zone)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    qs = Meeting.objects.filter(mentorship=mentorship).exclude(status=Meeting.Status.CANCELLED)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    in_month = Q(starts_at__gte=start, starts_at__lt=end) | Q(
        starts_at__isnull=True, slots__starts_at__gte=start, slots__starts_at__lt=end
    )
    return qs.filter(in_month).distinct().count()


def slots_beyond_rhythm(meeting: Meeting, slots: list[MeetingSlot]) -> set[int]:
    """The proposed times that would make more meetings that month than agreed."""
    if not slots or meeting.mentorship is None:
        return set()  # an introductory meeting has no rhythm yet
    per_month = mentorship_terms(meeting.mentorship)["meetings_per_month"]
    return {
        slot.pk
        for slot in slots
        if meetings_in_month(mentorship=meeting.mentorship, when=slot.starts_at, exclude=meeting)
        >= per_month
    }


def meeting_role(meeting: Meeting, user: Any) -> str:
    return "mentee" if meeting.pair.mentee_id == user.pk else "mentor"


def meeting_other(meeting: Meeting, user: Any) -> Any:
    m = meeting.pair
    return m.mentor if m.mentee_id == user.pk else m.mentee


# --- Introductory meetings (before committing) -------------------------------------------------
def tryout_for_user(user: Any, pk: int) -> Any:
    """The try-out, through mentorships' one access helper for try-outs (404 to others)."""
    from tandem.mentorships.selectors import get_tryout_for_user

    return get_tryout_for_user(user, pk)


def tryouts_for_intro(*, user: Any) -> list[Any]:
    """The user's try-outs that may still become an introductory meeting: open or answered,
    with no meeting yet (a cancelled one aside). One query."""
    from django.db.models import Exists, OuterRef

    from tandem.mentorships.models import TryOut

    if not user.is_authenticated:
        return []
    has_meeting = Meeting.objects.filter(tryout=OuterRef("pk")).exclude(
        status=Meeting.Status.CANCELLED
    )
    return list(
        TryOut.objects.filter(Q(mentee=user) | Q(mentor=user))
        .filter(status__in=INTRO_TRYOUT_STATUSES)
        .exclude(Exists(has_meeting))
        .select_related("mentee", "mentor")
        .order_by("-created_at")
    )


INTRO_TRYOUT_STATUSES = ("open", "answered")


# --- Series ----------------------------------------------------------------------------------
def series_for_user(*, user: Any) -> QuerySet[MeetingSeries]:
    if not user.is_authenticated:
        return MeetingSeries.objects.none()
    return MeetingSeries.objects.filter(
        Q(mentorship__mentee=user) | Q(mentorship__mentor=user)
    ).select_related("mentorship__mentee", "mentorship__mentor", "proposed_by")


def get_series_for_user(user: Any, pk: int) -> MeetingSeries:
    """The one access helper for meeting series: 404 unless the user is the mentee or the
    mentor of its mentorship."""
    series = series_for_user(user=user).filter(pk=pk).first()
    if series is None:
        raise Http404
    return series


def series_open(*, user: Any) -> QuerySet[MeetingSeries]:
    """Series proposals waiting for an answer, and accepted series (for the meetings page)."""
    return series_for_user(user=user).filter(
        status__in=[MeetingSeries.Status.PROPOSED, MeetingSeries.Status.ACCEPTED]
    )


def series_other(series: MeetingSeries, user: Any) -> Any:
    m = series.mentorship
    return m.mentor if m.mentee_id == user.pk else m.mentee


def series_meetings(*, series: MeetingSeries) -> list[Meeting]:
    return list(Meeting.objects.filter(series=series).order_by("recurrence_id"))


# --- Agenda ----------------------------------------------------------------------------------
def agenda_for_meeting(*, meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("author", "carried_from__meeting")
        .prefetch_related(
            "solutions",
            Prefetch("carried_to", queryset=AgendaItem.objects.select_related("meeting")),
        )
    )


def get_agenda_item_for_user(user: Any, pk: int) -> AgendaItem:
    """The one access helper for agenda items: those of the user's meetings."""
    item = (
        AgendaItem.objects.filter(pk=pk)
        .filter(_participant(user, prefix="meeting__"))
        .select_related(*(f"meeting__{name}" for name in MEETING_RELATED))
        .first()
    )
    if item is None:
        raise Http404
    return item


def get_slot_for_meeting(meeting: Meeting, pk: int) -> MeetingSlot:
    slot = MeetingSlot.objects.filter(meeting=meeting, pk=pk).first()
    if slot is None:
        raise Http404
    return slot


# --- Notes -----------------------------------------------------------------------------------
def private_note_for(*, meeting: Meeting, user: Any) -> MeetingNote | None:
    """The user's own private notes on the meeting; nobody else's ever."""
    return MeetingNote.objects.filter(meeting=meeting, author=user).first()


# --- Calendar feed ---------------------------------------------------------------------------
def calendar_feed_for(*, user: Any) -> CalendarFeed | None:
    """The user's feed, if they made one (its address is not kept: it was shown once)."""
    return CalendarFeed.objects.filter(user_id=user.pk).first()


def feed_owner_for_token(token: str) -> Any | None:
    """Whose feed this raw token opens (looked up by its hash), or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    return feed.user if feed is not None else None


def feed_meetings(*, user: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(_participant(user), starts_at__isnull=False)
        .select_related(*MEETING_RELATED)
        .order_by("starts_at", "pk")
    )


def due_reminders(*, now: datetime | None = None) -> dict[str, list[int]]:
    """Meetings needing the day-before reminder or the 'be early' one, by kind."""
    now = now or timezone.now()
    scheduled = Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now)
    from tandem.meetings.reminders import DAY_BEFORE_WINDOW, ON_THE_DAY_WINDOW

    on_the_day = scheduled.filter(starts_at__lte=now + ON_THE_DAY_WINDOW).exclude(
        reminded_on_the_day_for=F("starts_at")
    )
    day_before = scheduled.filter(
        starts_at__lte=now + DAY_BEFORE_WINDOW, starts_at__gt=now + ON_THE_DAY_WINDOW
    ).exclude(reminded_day_before_for=F("starts_at"))
    return {
        "day_before": list(day_before.values_list("pk", flat=True)),
        "on_the_day": list(on_the_day.values_list("pk", flat=True)),
    }


def home_panel(user: Any) -> dict[str, Any] | None:
    """The home page's meetings panel: my next meeting and how many agenda items it has."""
    from django.db.models import Count

    meeting = (
        meetings_upcoming(user=user)
        .annotate(agenda_count=Count("agenda_items"))
        .order_by(F("starts_at").asc(nulls_last=True), "pk")
        .first()
    )
    if meeting is None:
        return None
    return {"meeting": meeting, "other": meeting_other(meeting, user)}
