"""API for meetings, agendas, notes and the calendar feed. Same services as the pages."""

from __future__ import annotations

from django.urls import reverse
from ninja import Router

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import Id
from tandem.meetings import action_items, selectors, services
from tandem.meetings.action_items import Destination
from tandem.meetings.models import Meeting
from tandem.meetings.schemas import (
    ActionItemIn,
    ActionItemOut,
    AgendaItemIn,
    AgendaItemOut,
    AgendaItemPatch,
    CancelIn,
    DetailsIn,
    FeedOut,
    FeedStateOut,
    IntroIn,
    MeetingOut,
    NoteIn,
    NoteOut,
    OrderIn,
    PickIn,
    ProposeIn,
    RecordIn,
    SeriesCounterIn,
    SeriesIn,
    SeriesNoteIn,
    SeriesOut,
    SolutionIn,
    SummaryIn,
    TimesIn,
    VideoLinkIn,
)

router = Router(tags=["meetings"])


def _meeting(request: AuthedHttpRequest, meeting_id: Id) -> Meeting:
    return selectors.get_meeting_for_user(request.user, meeting_id)


@router.get("", response=list[MeetingOut])
def meeting_list(request: AuthedHttpRequest):
    return list(selectors.meetings_for_user(user=request.user).order_by("-created_at"))


@router.post("", response={201: MeetingOut})
def meeting_propose(request: AuthedHttpRequest, payload: ProposeIn):
    mentorship = selectors.mentorship_for_user(request.user, payload.mentorship_id)
    meeting = services.meeting_propose(
        mentorship=mentorship,
        by=request.user,
        times=payload.times,
        duration_minutes=payload.duration_minutes,
        channel=payload.channel or "",
        location=payload.location,
        note=payload.note,
        acknowledge_extra=payload.acknowledge_extra,
        video_url=payload.video_url,
    )
    return 201, _meeting(request, meeting.pk)


@router.post("/intro", response={201: MeetingOut})
def intro_propose(request: AuthedHttpRequest, payload: IntroIn):
    """Meet before committing: one short introductory meeting for a try-out, without a
    mentorship. The other side picks a time (`/{id}/pick`) or proposes others."""
    tryout = selectors.tryout_for_user(request.user, payload.tryout_id)
    meeting = services.intro_meeting_propose(
        tryout=tryout,
        by=request.user,
        times=payload.times,
        duration_minutes=payload.duration_minutes,
        channel=payload.channel or "",
        location=payload.location,
        video_url=payload.video_url,
        note=payload.note,
    )
    return 201, _meeting(request, meeting.pk)


@router.post("/record", response={201: MeetingOut})
def meeting_record(request: AuthedHttpRequest, payload: RecordIn):
    """Record a meeting already held outside Tandem (the only way to give a past time)."""
    mentorship = selectors.mentorship_for_user(request.user, payload.mentorship_id)
    meeting = services.meeting_record_past(
        mentorship=mentorship,
        by=request.user,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        channel=payload.channel or "",
        location=payload.location,
        summary=payload.summary,
        private_note=payload.private_note,
    )
    return 201, _meeting(request, meeting.pk)


@router.get("/series", response=list[SeriesOut])
def series_list(request: AuthedHttpRequest):
    return list(selectors.series_for_user(user=request.user).prefetch_related("occurrences"))


@router.post("/series", response={201: SeriesOut})
def series_propose(request: AuthedHttpRequest, payload: SeriesIn):
    """Propose meetings on the agreed rhythm: the first time and how many."""
    mentorship = selectors.mentorship_for_user(request.user, payload.mentorship_id)
    series = services.series_propose(
        mentorship=mentorship,
        by=request.user,
        starts_at=payload.starts_at,
        count=payload.count,
        duration_minutes=payload.duration_minutes,
        channel=payload.channel or "",
        location=payload.location,
        video_url=payload.video_url,
        note=payload.note,
    )
    return 201, selectors.get_series_for_user(request.user, series.pk)


@router.get("/series/{series_id}", response=SeriesOut)
def series_get(request: AuthedHttpRequest, series_id: Id):
    return selectors.get_series_for_user(request.user, series_id)


@router.post("/series/{series_id}/accept", response=SeriesOut)
def series_accept(request: AuthedHttpRequest, series_id: Id):
    series = selectors.get_series_for_user(request.user, series_id)
    services.series_accept(series=series, by=request.user)
    return selectors.get_series_for_user(request.user, series_id)


@router.post("/series/{series_id}/counter", response=SeriesOut)
def series_counter(request: AuthedHttpRequest, series_id: Id, payload: SeriesCounterIn):
    series = selectors.get_series_for_user(request.user, series_id)
    services.series_counter(
        series=series, by=request.user, starts_at=payload.starts_at, note=payload.note
    )
    return selectors.get_series_for_user(request.user, series_id)


@router.post("/series/{series_id}/decline", response=SeriesOut)
def series_decline(request: AuthedHttpRequest, series_id: Id, payload: SeriesNoteIn):
    """Decline a proposed series (or withdraw your own proposal)."""
    series = selectors.get_series_for_user(request.user, series_id)
    services.series_decline(series=series, by=request.user, note=payload.note)
    return selectors.get_series_for_user(request.user, series_id)


@router.post("/series/{series_id}/cancel", response=SeriesOut)
def series_cancel(request: AuthedHttpRequest, series_id: Id, payload: CancelIn):
    """Cancel the next meetings of an accepted series (those already held stay)."""
    series = selectors.get_series_for_user(request.user, series_id)
    services.series_cancel(series=series, by=request.user, note=payload.note)
    return selectors.get_series_for_user(request.user, series_id)


@router.get("/calendar-feed", response=FeedStateOut)
def calendar_feed_get(request: AuthedHttpRequest):
    """Whether you have a feed address; the address itself was shown once, when made."""
    feed = selectors.calendar_feed_for(user=request.user)
    return {
        "exists": feed is not None,
        "created_at": feed.created_at if feed else None,
        "regenerated_at": feed.regenerated_at if feed else None,
    }


@router.post("/calendar-feed/regenerate", response=FeedOut)
def calendar_feed_regenerate(request: AuthedHttpRequest):
    """Make your feed address (or a new one: the old one stops working at once). The answer
    is the only time the address is shown."""
    _feed, raw = services.calendar_feed_regenerate(user=request.user)
    return {"url": request.build_absolute_uri(reverse("meetings:feed", args=[raw]))}


@router.get("/{meeting_id}", response=MeetingOut)
def meeting_get(request: AuthedHttpRequest, meeting_id: Id):
    return _meeting(request, meeting_id)


@router.patch("/{meeting_id}", response=MeetingOut)
def meeting_update(request: AuthedHttpRequest, meeting_id: Id, payload: DetailsIn):
    meeting = _meeting(request, meeting_id)
    services.meeting_update_details(meeting=meeting, by=request.user, **payload.dict())
    return _meeting(request, meeting_id)


@router.put("/{meeting_id}/video-link", response=MeetingOut)
def meeting_video_link(request: AuthedHttpRequest, meeting_id: Id, payload: VideoLinkIn):
    """Paste a video link, make one (`generate`), or clear it (an empty `url`)."""
    meeting = _meeting(request, meeting_id)
    services.meeting_set_video_link(
        meeting=meeting, by=request.user, url=payload.url, generate=payload.generate
    )
    return _meeting(request, meeting_id)


@router.post("/{meeting_id}/pick", response=MeetingOut)
def meeting_pick(request: AuthedHttpRequest, meeting_id: Id, payload: PickIn):
    meeting = _meeting(request, meeting_id)
    slot = selectors.get_slot_for_meeting(meeting, payload.slot_id)
    services.meeting_pick(
        meeting=meeting, by=request.user, slot=slot, approve_extra=payload.approve_extra
    )
    return _meeting(request, meeting_id)


@router.post("/{meeting_id}/counter", response=MeetingOut)
def meeting_counter(request: AuthedHttpRequest, meeting_id: Id, payload: TimesIn):
    meeting = _meeting(request, meeting_id)
    services.meeting_counter(
        meeting=meeting, by=request.user, times=payload.times, note=payload.note
    )
    return _meeting(request, meeting_id)


@router.post("/{meeting_id}/reschedule", response=MeetingOut)
def meeting_reschedule(request: AuthedHttpRequest, meeting_id: Id, payload: TimesIn):
    meeting = _meeting(request, meeting_id)
    services.meeting_reschedule(
        meeting=meeting, by=request.user, times=payload.times, note=payload.note
    )
    return _meeting(request, meeting_id)


@router.post("/{meeting_id}/cancel", response=MeetingOut)
def meeting_cancel(request: AuthedHttpRequest, meeting_id: Id, payload: CancelIn):
    meeting = _meeting(request, meeting_id)
    services.meeting_cancel(meeting=meeting, by=request.user, note=payload.note)
    return _meeting(request, meeting_id)


@router.get("/{meeting_id}/agenda", response=list[AgendaItemOut])
def agenda_list(request: AuthedHttpRequest, meeting_id: Id):
    return selectors.agenda_for_meeting(meeting=_meeting(request, meeting_id))


@router.post("/{meeting_id}/agenda", response={201: AgendaItemOut})
def agenda_add(request: AuthedHttpRequest, meeting_id: Id, payload: AgendaItemIn):
    item = services.agenda_item_add(
        meeting=_meeting(request, meeting_id),
        by=request.user,
        kind=payload.kind,
        title=payload.title,
        details=payload.details,
        solutions=payload.solutions,
    )
    return 201, item


@router.put("/{meeting_id}/agenda/order", response=list[AgendaItemOut])
def agenda_reorder(request: AuthedHttpRequest, meeting_id: Id, payload: OrderIn):
    meeting = _meeting(request, meeting_id)
    services.agenda_reorder(meeting=meeting, by=request.user, order=payload.order)
    return selectors.agenda_for_meeting(meeting=meeting)


@router.patch("/agenda/{item_id}", response=AgendaItemOut)
def agenda_item_update(request: AuthedHttpRequest, item_id: Id, payload: AgendaItemPatch):
    item = selectors.get_agenda_item_for_user(request.user, item_id)
    return services.agenda_item_set_done(item=item, by=request.user, done=payload.done)


@router.post("/agenda/{item_id}/carry-over", response={201: AgendaItemOut})
def agenda_item_carry(request: AuthedHttpRequest, item_id: Id):
    item = selectors.get_agenda_item_for_user(request.user, item_id)
    return 201, services.agenda_item_carry_over(item=item, by=request.user)


@router.post("/agenda/{item_id}/solutions", response={201: AgendaItemOut})
def agenda_item_solution(request: AuthedHttpRequest, item_id: Id, payload: SolutionIn):
    item = selectors.get_agenda_item_for_user(request.user, item_id)
    services.agenda_solution_add(item=item, by=request.user, text=payload.text)
    return 201, item


@router.delete("/agenda/{item_id}", response={204: None})
def agenda_item_delete(request: AuthedHttpRequest, item_id: Id):
    item = selectors.get_agenda_item_for_user(request.user, item_id)
    services.agenda_item_delete(item=item, by=request.user)
    return 204, None


@router.get("/{meeting_id}/notes/mine", response=NoteOut)
def note_get(request: AuthedHttpRequest, meeting_id: Id):
    meeting = _meeting(request, meeting_id)
    note = selectors.private_note_for(meeting=meeting, user=request.user)
    return {"meeting_id": meeting.pk, "body": note.body if note else ""}


@router.put("/{meeting_id}/notes/mine", response=NoteOut)
def note_put(request: AuthedHttpRequest, meeting_id: Id, payload: NoteIn):
    meeting = _meeting(request, meeting_id)
    note = services.meeting_note_save(meeting=meeting, by=request.user, body=payload.body)
    return {"meeting_id": meeting.pk, "body": note.body}


@router.put("/{meeting_id}/summary", response=MeetingOut)
def summary_put(request: AuthedHttpRequest, meeting_id: Id, payload: SummaryIn):
    meeting = _meeting(request, meeting_id)
    services.meeting_summary_save(
        meeting=meeting, by=request.user, summary=payload.summary, version=payload.version
    )
    return _meeting(request, meeting_id)


@router.post("/{meeting_id}/action-items", response={201: ActionItemOut})
def action_item_create(request: AuthedHttpRequest, meeting_id: Id, payload: ActionItemIn):
    created = action_items.action_item_create(
        meeting=_meeting(request, meeting_id),
        by=request.user,
        title=payload.title,
        due_date=payload.due_date,
        destination=payload.destination,
    )
    kind = "action_step" if payload.destination == Destination.PLAN else "assignment"
    return 201, {"kind": kind, "id": created.pk, "title": created.title}
