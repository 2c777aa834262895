"""Proposing, picking, rescheduling and cancelling meetings; the agreed rhythm; reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tandem.meetings import reminders, services
from tandem.meetings.models import Meeting
from tandem.meetings.tasks import send_due_reminders
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting, soon

pytestmark = pytest.mark.django_db


def _ics(message) -> str:
    content = message.attachments[0][1]
    return content.decode() if isinstance(content, bytes) else content


def _propose(mentorship, by, *times, **kw):
    return services.meeting_propose(
        mentorship=mentorship, by=by, times=list(times) or [month_ahead()], **kw
    )


def test_proposal_shows_each_time_in_each_persons_time_zone(
    mentorship, mentee, mentor, mentee_client
):
    mentor.timezone = "Europe/London"
    mentor.save()
    meeting = _propose(mentorship, mentee, month_ahead(hour=2))  # 09:00 in Jakarta
    html = mentee_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "09:00" in html and "Asia/Jakarta" in html
    assert "02:00" in html and "Europe/London" in html


def test_the_other_side_picks_a_time_and_both_get_an_ics_invitation(
    mentorship, mentee, mentor, mentor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _propose(mentorship, mentee, month_ahead(day=10), month_ahead(day=12))
    assert [m.to[0] for m in mail.outbox] == [mentor.email]
    assert "mengusulkan" in mail.outbox[0].subject  # the mentor reads Indonesian
    slot = meeting.slots.order_by("starts_at").last()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor_client.post(
            reverse("meetings:pick", args=[meeting.pk]), {"slot": slot.pk}
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.starts_at == month_ahead(day=12)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    for message in mail.outbox:
        (name, _content, mimetype) = message.attachments[0]
        assert name == "invite.ics" and mimetype.startswith("text/calendar")
        assert "METHOD:REQUEST" in _ics(message)
        assert f"UID:meeting-{meeting.pk}@" in _ics(message)


def test_the_proposer_cannot_pick_their_own_time(mentorship, mentee):
    meeting = _propose(mentorship, mentee)
    with pytest.raises(ValidationError):
        services.meeting_pick(meeting=meeting, by=mentee, slot=meeting.slots.first())


def test_propose_back_hands_the_choice_to_the_other_side(mentorship, mentee, mentor):
    meeting = _propose(mentorship, mentee)
    services.meeting_counter(meeting=meeting, by=mentor, times=[month_ahead(day=15)], note="Later?")
    meeting.refresh_from_db()
    assert meeting.proposed_by == mentor
    assert [s.starts_at for s in meeting.slots.all()] == [month_ahead(day=15)]
    services.meeting_pick(meeting=meeting, by=mentee, slot=meeting.slots.get())
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_reschedule_needs_a_note_and_raises_the_calendar_sequence(mentorship, mentee, mentor):
    meeting = scheduled_meeting(mentorship)
    with pytest.raises(ValidationError) as exc:
        services.meeting_reschedule(
            meeting=meeting, by=mentor, times=[month_ahead(day=20)], note=""
        )
    assert "note" in exc.value.message_dict
    services.meeting_reschedule(
        meeting=meeting, by=mentor, times=[month_ahead(day=20)], note="Travelling that week."
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PROPOSED
    assert meeting.sequence == 2
    services.meeting_pick(meeting=meeting, by=mentee, slot=meeting.slots.get())
    meeting.refresh_from_db()
    assert meeting.starts_at == month_ahead(day=20) and meeting.sequence == 3


def test_cancel_with_a_note_sends_a_cancellation_ics(
    mentorship, mentee, mentor, mentee_client, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(mentorship)
    with django_capture_on_commit_callbacks(execute=True):
        response = mentee_client.post(
            reverse("meetings:cancel", args=[meeting.pk]), {"note": "I am ill, sorry."}
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.cancel_note == "I am ill, sorry."
    (message,) = mail.outbox
    assert message.to == [mentor.email]
    assert "METHOD:CANCEL" in _ics(message)
    assert "STATUS:CANCELLED" in _ics(message)


def test_cancel_without_a_note_is_refused_on_the_page(mentorship, mentee_client):
    meeting = scheduled_meeting(mentorship)
    response = mentee_client.post(reverse("meetings:cancel", args=[meeting.pk]), {"note": ""})
    assert response.status_code == 422
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_a_note_longer_than_the_api_takes_is_refused_on_the_page_too(mentorship, mentee_client):
    from tandem.meetings.models import NOTE_MAX_LENGTH

    meeting = scheduled_meeting(mentorship)
    url = reverse("meetings:cancel", args=[meeting.pk])
    response = mentee_client.post(url, {"note": "x" * (NOTE_MAX_LENGTH + 1)})
    assert response.status_code == 422
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert mentee_client.post(url, {"note": "x" * NOTE_MAX_LENGTH}).status_code == 302


def test_past_times_are_refused(mentorship, mentee):
    with pytest.raises(ValidationError) as exc:
        _propose(mentorship, mentee, timezone.now() - timedelta(hours=1))
    assert "times" in exc.value.message_dict


# --- rhythm ----------------------------------------------------------------------------------
def test_mentee_is_warned_beyond_the_agreed_rhythm(mentorship, mentee):
    scheduled_meeting(mentorship, at=month_ahead(day=3))
    with pytest.raises(ValidationError) as exc:
        _propose(mentorship, mentee, month_ahead(day=20))
    assert exc.value.error_dict["times"][0].code == "over_rhythm"
    assert Meeting.objects.count() == 1


def test_the_warning_shows_on_the_page_with_a_box_to_confirm(mentorship, mentee_client):
    scheduled_meeting(mentorship, at=month_ahead(day=3))
    local = month_ahead(day=20).astimezone(timezone.get_default_timezone())
    data = {
        "mentorship": mentorship.pk,
        "time_1": (month_ahead(day=20) + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 60,
        "channel": "video",
    }
    assert local
    response = mentee_client.post(reverse("meetings:new"), data)
    html = response.content.decode()
    assert "more meetings than you agreed" in html
    assert 'name="acknowledge_extra"' in html
    response = mentee_client.post(reverse("meetings:new"), {**data, "acknowledge_extra": "on"})
    assert response.status_code == 302
    meeting = Meeting.objects.exclude(status="scheduled").get()
    assert meeting.over_rhythm and meeting.rhythm_approved_at is None


def test_an_extra_meeting_needs_the_mentors_explicit_yes(mentorship, mentee, mentor):
    scheduled_meeting(mentorship, at=month_ahead(day=3))
    meeting = _propose(mentorship, mentee, month_ahead(day=20), acknowledge_extra=True)
    with pytest.raises(ValidationError) as exc:
        services.meeting_pick(meeting=meeting, by=mentor, slot=meeting.slots.get())
    assert "approve_extra" in exc.value.message_dict
    services.meeting_pick(meeting=meeting, by=mentor, slot=meeting.slots.get(), approve_extra=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.rhythm_approved_at


def test_a_mentors_own_extra_proposal_is_their_yes(mentorship, mentee, mentor):
    scheduled_meeting(mentorship, at=month_ahead(day=3))
    meeting = _propose(mentorship, mentor, month_ahead(day=20))
    services.meeting_pick(meeting=meeting, by=mentee, slot=meeting.slots.get())
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.over_rhythm


def test_the_database_refuses_a_scheduled_extra_meeting_without_the_yes(mentorship):
    with pytest.raises(IntegrityError), transaction.atomic():
        scheduled_meeting(mentorship, over_rhythm=True)


def test_no_meetings_in_a_paused_mentorship(mentorship, mentee):
    mentorship.status = "paused"
    mentorship.save()
    with pytest.raises(ValidationError):
        _propose(mentorship, mentee)


# --- details ---------------------------------------------------------------------------------
def test_details_change_sends_an_update_with_a_higher_sequence(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(mentorship)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update_details(
            meeting=meeting,
            by=mentee,
            duration_minutes=45,
            channel="in_person",
            location="Café Kopi",
        )
    (message,) = mail.outbox
    assert message.to == [mentor.email]
    assert "SEQUENCE:2" in _ics(message)
    assert "LOCATION:Café Kopi" in _ics(message)


# --- reminders -------------------------------------------------------------------------------
def test_day_before_reminder_is_sent_once_to_both(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(mentorship, at=soon(20))
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.enqueue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.enqueue()
        assert reminders.send_reminder(meeting.pk, "day_before") == "already-sent"
    assert mail.outbox == []


def test_be_early_on_the_day_and_only_to_the_mentee_as_advice(
    mentorship, mentee, django_capture_on_commit_callbacks
):
    scheduled_meeting(mentorship, at=soon(2))
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.enqueue()
    assert len(mail.outbox) == 2
    to_mentee = next(m for m in mail.outbox if m.to == [mentee.email])
    assert "Be early" in to_mentee.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.enqueue()
    assert mail.outbox == []


def test_a_rescheduled_meeting_gets_fresh_reminders(mentorship, django_capture_on_commit_callbacks):
    meeting = scheduled_meeting(mentorship, at=soon(20))
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.enqueue()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=soon(22))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.enqueue()
    assert len(mail.outbox) == 2


def test_the_management_command_enqueues_the_sweep(mentorship, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    scheduled_meeting(mentorship, at=soon(20))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings_send_reminders")
    assert len(mail.outbox) == 2


# --- pages -----------------------------------------------------------------------------------
def test_meeting_list_and_new_pages_render(mentorship, mentee_client):
    scheduled_meeting(mentorship)
    assert mentee_client.get(reverse("meetings:list")).status_code == 200
    html = mentee_client.get(reverse("meetings:new")).content.decode()
    assert 'type="datetime-local"' in html and "<label" in html


def test_proposing_on_the_page_uses_the_users_time_zone(mentorship, mentee_client):
    response = mentee_client.post(
        reverse("meetings:new"),
        {
            "mentorship": mentorship.pk,
            "time_1": month_ahead(day=10).strftime("%Y-%m-%dT") + "16:00",
            "duration_minutes": 60,
            "channel": "video",
            "location": "https://meet.example.com/abc",
        },
    )
    assert response.status_code == 302
    slot = Meeting.objects.get().slots.get()
    assert slot.starts_at == month_ahead(day=10, hour=9)  # 16:00 Jakarta = 09:00 UTC


def test_the_mentor_is_asked_for_a_yes_when_a_time_became_extra_meanwhile(
    mentorship, mentee, mentor_client
):
    meeting = _propose(mentorship, mentee, month_ahead(day=20))
    assert not meeting.over_rhythm
    scheduled_meeting(mentorship, at=month_ahead(day=3))  # the month filled up meanwhile
    html = mentor_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'name="approve_extra"' in html
    slot = meeting.slots.get()
    response = mentor_client.post(reverse("meetings:pick", args=[meeting.pk]), {"slot": slot.pk})
    assert response.status_code == 422
    response = mentor_client.post(
        reverse("meetings:pick", args=[meeting.pk]), {"slot": slot.pk, "approve_extra": "on"}
    )
    assert response.status_code == 302
