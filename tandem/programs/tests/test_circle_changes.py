"""A group circle's changes after review (#15 item 8): a session's time is bounded before the
rule is searched (CPU), changing the slot is the service's to allow and tells the circle's
people (page and API), the circle is reminded the day before and on the day as pairs are,
and the emails about one session carry an .ics for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.programs import circle_schedule, selectors, services
from tandem.programs.models import Circle, CircleSessionChange
from tandem.programs.tests.factories import make_circle

pytestmark = pytest.mark.django_db

FAR = "9999-12-28T18:30:00+00:00"
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def circle(manager, mentor, mentee):
    return make_circle(manager, mentor, mentee)


def _url(circle):
    return reverse("programs:circle", args=[circle.pk])


def _api(circle, tail=""):
    return f"/api/v1/programs/circles/{circle.pk}{tail}"


@pytest.fixture
def no_rule_search(monkeypatch):
    """Searching the rule for a time that must be refused before it is a failure."""

    def refuse(*args, **kwargs):
        raise AssertionError("is_occurrence was called")

    monkeypatch.setattr(circle_schedule, "is_occurrence", refuse)


# --- 1. a far time is refused before the rule is searched -------------------------------------


def test_the_service_refuses_a_far_session_without_searching_the_rule(
    circle, mentor, no_rule_search
):
    far = dt.datetime(9999, 12, 28, 18, 30, tzinfo=dt.UTC)
    for start in (far, circle_schedule.first_slot(circle) + dt.timedelta(days=7 * 60)):
        with pytest.raises(ValidationError) as exc:
            services.circle_session_cancel(circle=circle, user=mentor, start=start)
        assert "start" in exc.value.message_dict
    past = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)  # past and unchanged: refused as well
    with pytest.raises(ValidationError):
        services.circle_session_restore(circle=circle, user=mentor, start=past)


def test_the_api_refuses_a_far_session_with_422(circle, mentor, token_client_for, no_rule_search):
    api = token_client_for(mentor)
    for tail, body in (
        ("/sessions/cancel", {"start": FAR}),
        ("/sessions/restore", {"start": FAR}),
        ("/sessions/move", {"start": FAR, "to": FAR}),
        ("/sessions/cancel", {"start": "2199-12-31T18:30:00+00:00"}),  # sane, beyond the year
    ):
        response = api.post(_api(circle, tail), body, "application/json")
        assert response.status_code == 422, (tail, body)
    assert not CircleSessionChange.objects.exists()


def test_the_page_refuses_a_far_session_with_a_message(
    circle, mentor, csrf_client_for, no_rule_search
):
    client = csrf_client_for(mentor)
    for data in (
        {"action": "session_cancel", "start": FAR},
        {"action": "session_move", "start": FAR, "to": "9999-12-28T18:30"},
    ):
        response = client.post(_url(circle), data, follow=True)
        assert response.status_code == 200
        assert "Masukkan tanggal antara tahun 1900 dan 2200." in response.content.decode(), data
    assert not CircleSessionChange.objects.exists()


# --- 2 and 3. changing the slot: the service's rule, the API, and telling people ------------


def _update(circle, user, **changes):
    fields = {
        "name": circle.name,
        "weekday": circle.weekday,
        "time": circle.time,
        "frequency": circle.frequency,
        **changes,
    }
    return services.circle_update(circle=circle, user=user, **fields)


def test_only_the_mentor_and_managers_change_the_slot(circle, mentee, outsider, manager):
    for person in (mentee, outsider):
        with pytest.raises(PermissionDenied):
            _update(circle, person, weekday=Circle.Weekday.FRIDAY)
    circle.refresh_from_db()
    assert circle.weekday == Circle.Weekday.TUESDAY
    assert _update(circle, manager, weekday=Circle.Weekday.FRIDAY).weekday == 4


def test_a_new_slot_emails_the_others_in_their_language_and_zone(
    circle, mentor, mentee, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _update(circle, manager, weekday=Circle.Weekday.THURSDAY, time=dt.time(9, 15))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])
    (to_mentee,) = [m for m in mail.outbox if m.to == [mentee.email]]
    assert "new slot" in to_mentee.subject
    assert "Thursday at 09:15 (Europe/London), every week." in to_mentee.body
    assert "Asia/Jakarta" in to_mentee.body and "https://meet.example.org/Tandem-circle" in (
        to_mentee.body
    )
    (to_mentor,) = [m for m in mail.outbox if m.to == [mentor.email]]  # reads Indonesian
    assert "Kamis" in to_mentor.body and "jadwal baru" in to_mentor.subject.lower()


def test_a_same_slot_save_or_a_new_name_emails_nobody(
    circle, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _update(circle, mentor)
        _update(circle, mentor, name="Renamed")
    assert mail.outbox == []
    circle.refresh_from_db()
    assert circle.name == "Renamed"


def test_the_page_saves_the_slot_and_tells_the_circle(
    circle, mentor, mentee, csrf_client_for, django_capture_on_commit_callbacks
):
    data = {"action": "slot", "name": circle.name, "weekday": 4, "time": "19:00",
            "frequency": "fortnightly"}  # fmt: skip
    assert csrf_client_for(mentee).post(_url(circle), data).status_code == 403
    assert csrf_client_for(mentee).post(_url(circle), {**data, "weekday": 9}).status_code == 403
    client = csrf_client_for(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(circle), data).status_code == 302
        assert client.post(_url(circle), data).status_code == 302  # the same slot again
    circle.refresh_from_db()
    assert (circle.weekday, circle.time, circle.frequency) == (4, dt.time(19), "fortnightly")
    (email,) = mail.outbox
    assert email.to == [mentee.email]
    response = client.post(_url(circle), {**data, "weekday": 9})
    assert response.status_code == 200 and "weekday" in response.context["slot_form"].errors


def test_the_api_changes_the_slot_with_a_token(
    circle, mentor, mentee, manager, outsider, token_client_for, django_capture_on_commit_callbacks
):
    url = _api(circle)
    body = {"weekday": 0, "time": "08:00"}
    assert token_client_for(mentee).patch(url, body, "application/json").status_code == 403
    assert token_client_for(outsider).patch(url, body, "application/json").status_code == 404
    api = token_client_for(mentor)
    for bad in ({"weekday": 7}, {"frequency": "daily"}, {"time": "08:00+07:00"},
                {"name": ""}, {"name": "x" * 121}, {"name": None}, {"colour": "red"}):  # fmt: skip
        response = api.patch(url, bad, "application/json")
        assert response.status_code == 422, bad
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(url, body, "application/json")
    assert response.status_code == 200
    out = response.json()
    assert (out["weekday"], out["time"], out["frequency"]) == (0, "08:00:00", "weekly")
    assert out["name"] == "Tuesday leaders"  # left out: kept
    assert [m.to for m in mail.outbox] == [[mentee.email]]
    assert (
        token_client_for(manager).patch(url, {"name": "Mondays"}, "application/json").json()["name"]
        == "Mondays"
    )


def test_the_api_slot_change_in_a_browser_session_needs_the_csrf_token(
    circle, mentor, csrf_client_for
):
    client = csrf_client_for(mentor)
    body = {"frequency": "monthly"}
    response = client.patch(_api(circle), body, "application/json", without_csrf=True)
    assert response.status_code == 403
    circle.refresh_from_db()
    assert circle.frequency == "weekly"
    assert client.patch(_api(circle), body, "application/json").status_code == 200
    circle.refresh_from_db()
    assert circle.frequency == "monthly"


# --- 4. reminded the day before and on the day, as pairs are -------------------------------


def test_a_session_is_reminded_the_day_before_and_on_the_day_once_each(
    circle, mentor, mentee, django_capture_on_commit_callbacks
):
    from tandem.meetings.reminders import DAY_BEFORE_WINDOW, ON_THE_DAY_WINDOW
    from tandem.programs.circle_feed import send_circle_reminders

    hour = dt.timedelta(hours=1)
    _first, second, third, fourth = [
        s.original for s in selectors.circle_sessions(circle=circle)[:4]
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_circle_reminders(second - DAY_BEFORE_WINDOW - hour) == 0  # not yet
        assert send_circle_reminders(second - DAY_BEFORE_WINDOW + hour) == 1
        assert send_circle_reminders(second - ON_THE_DAY_WINDOW - hour) == 0  # sent already
        assert send_circle_reminders(second - ON_THE_DAY_WINDOW + hour) == 1
        assert send_circle_reminders(second - hour / 2) == 0
    circle.refresh_from_db()
    assert circle.reminded_for == second and circle.reminded_today_for == second
    to_mentee = [m.subject for m in mail.outbox if m.to == [mentee.email]]
    assert len(to_mentee) == 2 and to_mentee[1].startswith("Today at")
    (today_body,) = [m.body for m in mail.outbox if "Today at" in m.subject]
    assert "a few minutes early" in today_body
    mail.outbox.clear()

    # A cancelled session is reminded of neither time; a moved one at its new time.
    CircleSessionChange.objects.create(circle=circle, original_start=third, cancelled=True)
    moved_to = fourth + dt.timedelta(days=1)
    CircleSessionChange.objects.create(circle=circle, original_start=fourth, moved_to=moved_to)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_circle_reminders(third - DAY_BEFORE_WINDOW + hour) == 0
        assert send_circle_reminders(third - hour) == 0
        assert send_circle_reminders(fourth - hour) == 0  # its old time
        assert send_circle_reminders(moved_to - DAY_BEFORE_WINDOW + hour) == 1
        assert send_circle_reminders(moved_to - hour) == 1
    circle.refresh_from_db()
    assert circle.reminded_for == moved_to and circle.reminded_today_for == moved_to
    assert len(mail.outbox) == 4  # two people, two reminders


def test_a_session_already_close_gets_the_on_the_day_reminder_only(
    circle, mentor, mentee, django_capture_on_commit_callbacks
):
    from tandem.programs.circle_feed import send_circle_reminders

    second = selectors.circle_sessions(circle=circle)[1].original
    with django_capture_on_commit_callbacks(execute=True):
        assert send_circle_reminders(second - dt.timedelta(minutes=30)) == 1
        assert send_circle_reminders(second - dt.timedelta(minutes=10)) == 0
    assert len(mail.outbox) == 2 and all("Today at" in m.subject or "hari ini" in m.subject
                                         for m in mail.outbox)  # fmt: skip


# --- 5. the emails about one session carry its .ics ----------------------------------------


def _ics(email):
    import icalendar

    ((name, content, mimetype),) = email.attachments
    cal = icalendar.Calendar.from_ical(content)
    (event,) = cal.walk("VEVENT")
    return name, mimetype, cal, event


def test_cancel_move_and_restore_emails_carry_the_sessions_ics(
    circle, mentor, mentee, django_capture_on_commit_callbacks
):
    from tandem.programs.circle_feed import circle_uid

    start = selectors.circle_sessions(circle=circle)[1].original
    with django_capture_on_commit_callbacks(execute=True):
        services.circle_session_cancel(circle=circle, user=mentor, start=start)
    name, mimetype, cal, event = _ics(mail.outbox[-1])
    assert name == "cancel.ics" and mimetype == "text/calendar; method=CANCEL"
    assert cal["method"] == "CANCEL" and event["status"] == "CANCELLED"
    assert str(event["uid"]) == circle_uid(circle)
    assert event.decoded("recurrence-id") == start and event["sequence"] == 1

    to = start + dt.timedelta(days=1, hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.circle_session_move(circle=circle, user=mentor, start=start, to=to)
    name, mimetype, cal, event = _ics(mail.outbox[-1])
    assert name == "invite.ics" and cal["method"] == "REQUEST"
    assert event.decoded("recurrence-id") == start and event.decoded("dtstart") == to
    assert event["sequence"] == 2 and str(event["uid"]) == circle_uid(circle)
    assert str(event.decoded("dtstart").tzinfo) == "Europe/London"
    assert mail.outbox[-1].to == [mentee.email]

    with django_capture_on_commit_callbacks(execute=True):
        services.circle_session_restore(circle=circle, user=mentor, start=start)
    _name, _mimetype, cal, event = _ics(mail.outbox[-1])
    assert cal["method"] == "REQUEST" and event["sequence"] == 3
    assert event.decoded("dtstart") == start == event.decoded("recurrence-id")

    # A change after the restore still goes up, or calendars would ignore it.
    from tandem.programs.models import Circle

    Circle.objects.filter(pk=circle.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    circle.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.circle_session_cancel(circle=circle, user=mentor, start=start)
    _name, _mimetype, cal, event = _ics(mail.outbox[-1])
    assert cal["method"] == "CANCEL" and event["sequence"] > 3


def test_the_feed_carries_the_moved_sessions_sequence(circle, mentor):
    from tandem.programs.circle_feed import circle_events

    start = selectors.circle_sessions(circle=circle)[1].original
    services.circle_session_move(circle=circle, user=mentor, start=start, to=start + HOUR)
    services.circle_session_move(circle=circle, user=mentor, start=start, to=start + 2 * HOUR)
    (moved,) = [e for e in circle_events(mentor) if "recurrence-id" in e]
    assert moved["sequence"] == 2 and moved.decoded("dtstart") == start + 2 * HOUR


def _moved_from_the_past(circle, mentor):
    """A session whose usual time is past, moved to a day still ahead."""
    Circle.objects.filter(pk=circle.pk).update(created_at=timezone.now() - dt.timedelta(days=70))
    circle.refresh_from_db()
    past = next(circle_schedule.occurrences_after(circle, timezone.now() - dt.timedelta(days=40)))
    assert past < timezone.now()
    to = timezone.now() + dt.timedelta(days=2)
    CircleSessionChange.objects.create(
        circle=circle, original_start=past, moved_to=to, changed_by=mentor, sequence=1
    )
    return past, to


def test_a_session_moved_from_a_past_day_is_moved_again_not_restored_or_cancelled(circle, mentor):
    past, to = _moved_from_the_past(circle, mentor)
    for action in (services.circle_session_restore, services.circle_session_cancel):
        with pytest.raises(ValidationError) as refused:
            action(circle=circle, user=mentor, start=past)
        assert "start" in refused.value.message_dict
    assert CircleSessionChange.objects.get(circle=circle).moved_to == to  # still listed
    later = to + dt.timedelta(hours=3)
    services.circle_session_move(circle=circle, user=mentor, start=past, to=later)
    assert CircleSessionChange.objects.get(circle=circle).moved_to == later


def test_a_new_slot_drops_a_session_moved_from_a_past_day(circle, mentor):
    _moved_from_the_past(circle, mentor)
    services.circle_update(
        circle=circle,
        user=mentor,
        name=circle.name,
        weekday=(circle.weekday + 1) % 7,
        time=circle.time,
        frequency=circle.frequency,
    )
    assert not CircleSessionChange.objects.filter(circle=circle).exists()
