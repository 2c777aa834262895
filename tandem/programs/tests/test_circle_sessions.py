"""A group circle's single sessions and its video link (#15 item 8, with items 4 and 6 for
circles): the mentor or a manager cancels, moves or restores one session; the page, the API,
the reminders and the emails follow, each time in the slot's zone (the mentor's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.programs import selectors, services
from tandem.programs.circle_feed import next_slot, send_circle_reminders
from tandem.programs.models import Circle, CircleSessionChange
from tandem.programs.tests.factories import make_circle

pytestmark = pytest.mark.django_db

LONDON = "Europe/London"
VIDEO = "https://meet.example.org/Tandem-circle"


@pytest.fixture
def circle(manager, mentor, mentee):
    return make_circle(manager, mentor, mentee, video_url=VIDEO)


def _second(circle):
    """A session a week or more ahead (the first may be within the hour)."""
    return selectors.circle_sessions(circle=circle)[1].original


def _url(circle):
    return reverse("programs:circle", args=[circle.pk])


# --- services ------------------------------------------------------------------------------


def test_the_mentor_cancels_a_session_and_its_people_are_told(
    circle, mentor, mentee, django_capture_on_commit_callbacks
):
    start = _second(circle)
    with django_capture_on_commit_callbacks(execute=True):
        services.circle_session_cancel(circle=circle, user=mentor, start=start)
    (session,) = [s for s in selectors.circle_sessions(circle=circle) if s.original == start]
    assert session.cancelled and session.start == start
    assert str(session.start.tzinfo) == LONDON
    (email,) = mail.outbox  # the mentee; the mentor made the change
    assert email.to == [mentee.email]
    assert "cancelled" in email.subject and LONDON in email.body and VIDEO in email.body


def test_a_double_click_changes_and_tells_once(
    circle, mentor, mentee, django_capture_on_commit_callbacks
):
    start = _second(circle)
    with django_capture_on_commit_callbacks(execute=True):
        services.circle_session_cancel(circle=circle, user=mentor, start=start)
        services.circle_session_cancel(circle=circle, user=mentor, start=start)
    assert CircleSessionChange.objects.filter(circle=circle).count() == 1
    assert len(mail.outbox) == 1


def test_a_manager_moves_a_session_and_moving_again_replaces_it(
    circle, manager, mentor, mentee, django_capture_on_commit_callbacks
):
    start = _second(circle)
    to = start + dt.timedelta(days=1, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.circle_session_move(circle=circle, user=manager, start=start, to=to)
    sessions = selectors.circle_sessions(circle=circle)
    (moved,) = [s for s in sessions if s.original == start]
    assert moved.moved and moved.start == to and str(moved.start.tzinfo) == LONDON
    assert [s.start for s in sessions] == sorted(s.start for s in sessions)
    # The mentor reads Indonesian: the email is in Indonesian, the time in the slot's zone.
    (to_mentor,) = [m for m in mail.outbox if m.to == [mentor.email]]
    assert "dipindahkan" in to_mentor.subject
    assert "zona waktu" in to_mentor.body.lower()
    assert LONDON in to_mentor.body and VIDEO in to_mentor.body
    (to_mentee,) = [m for m in mail.outbox if m.to == [mentee.email]]
    assert "Asia/Jakarta" in to_mentee.body  # their own zone too
    later = start + dt.timedelta(days=2)
    services.circle_session_move(circle=circle, user=manager, start=start, to=later)
    change = CircleSessionChange.objects.get(circle=circle)
    assert change.moved_to == later and not change.cancelled
    services.circle_session_cancel(circle=circle, user=manager, start=start)
    change.refresh_from_db()
    assert change.cancelled and change.moved_to is None


def test_restore_deletes_the_change_and_is_harmless_twice(circle, mentor):
    start = _second(circle)
    services.circle_session_cancel(circle=circle, user=mentor, start=start)
    services.circle_session_restore(circle=circle, user=mentor, start=start)
    services.circle_session_restore(circle=circle, user=mentor, start=start)
    assert not CircleSessionChange.objects.exists()
    # Moving a session to the time its rule gives it restores it too.
    services.circle_session_move(
        circle=circle, user=mentor, start=start, to=start + dt.timedelta(hours=2)
    )
    assert services.circle_session_move(circle=circle, user=mentor, start=start, to=start) is None
    assert not CircleSessionChange.objects.exists()


def test_only_the_mentor_and_managers_change_sessions(circle, mentee, outsider):
    start = _second(circle)
    for person in (mentee, outsider):
        with pytest.raises(PermissionDenied):
            services.circle_session_cancel(circle=circle, user=person, start=start)
        with pytest.raises(PermissionDenied):
            services.circle_session_move(
                circle=circle, user=person, start=start, to=start + dt.timedelta(hours=1)
            )
        with pytest.raises(PermissionDenied):
            services.circle_session_restore(circle=circle, user=person, start=start)
        with pytest.raises(PermissionDenied):
            services.circle_set_video_link(circle=circle, user=person, url="")
    assert not CircleSessionChange.objects.exists()


def test_a_time_that_is_no_session_or_is_past_is_refused(circle, mentor):
    start = _second(circle)
    now = timezone.now()
    cases = [
        (start + dt.timedelta(hours=1), "start"),  # not a slot of the rule
        (start.replace(tzinfo=None), "start"),  # no zone
    ]
    for when, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.circle_session_cancel(circle=circle, user=mentor, start=when)
        assert field in exc.value.message_dict
    for to in (now - dt.timedelta(hours=1), now + dt.timedelta(days=400)):
        with pytest.raises(ValidationError) as exc:
            services.circle_session_move(circle=circle, user=mentor, start=start, to=to)
        assert "to" in exc.value.message_dict
    assert not CircleSessionChange.objects.exists()


def test_a_past_session_is_refused(circle, mentor):
    """A circle made weeks ago: its first sessions are past."""
    Circle.objects.filter(pk=circle.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    circle.refresh_from_db()
    upcoming = selectors.circle_sessions(circle=circle)[0].original
    past = upcoming - dt.timedelta(days=14)
    with pytest.raises(ValidationError) as exc:
        services.circle_session_cancel(circle=circle, user=mentor, start=past)
    assert "start" in exc.value.message_dict


def test_the_video_link_is_checked_as_meetings_check_theirs(circle, mentor, settings):
    with pytest.raises(ValidationError):
        services.circle_set_video_link(circle=circle, user=mentor, url="http://insecure.example")
    services.circle_set_video_link(circle=circle, user=mentor, url="")
    circle.refresh_from_db()
    assert circle.video_url == ""
    settings.TANDEM_VIDEO_BASE_URL = "https://meet.example.org"
    services.circle_set_video_link(circle=circle, user=mentor, generate=True)
    circle.refresh_from_db()
    assert circle.video_url.startswith("https://meet.example.org/Tandem-")
    assert services.circle_initial_video_url().startswith("https://meet.example.org/Tandem-")
    settings.TANDEM_VIDEO_BASE_URL = ""
    assert services.circle_initial_video_url() == ""


# --- reminders -----------------------------------------------------------------------------


def test_reminders_skip_a_cancelled_session_and_follow_a_moved_one(
    circle, mentor, mentee, django_capture_on_commit_callbacks
):
    first, second, third = [s.original for s in selectors.circle_sessions(circle=circle)[:3]]
    before_first = first - dt.timedelta(hours=2)  # `now` for the reminder run
    # The first is cancelled: nothing to remind of before it, the next is the second.
    CircleSessionChange.objects.create(circle=circle, original_start=first, cancelled=True)
    assert next_slot(circle, now=before_first) == second
    assert send_circle_reminders(before_first) == 0
    # The second moves a day earlier: reminded a day before its new time, once.
    moved_to = second - dt.timedelta(days=1)
    CircleSessionChange.objects.create(circle=circle, original_start=second, moved_to=moved_to)
    assert next_slot(circle, now=before_first) == moved_to
    with django_capture_on_commit_callbacks(execute=True):
        assert send_circle_reminders(moved_to - dt.timedelta(hours=3)) == 1
        assert send_circle_reminders(moved_to - dt.timedelta(hours=2)) == 0
    circle.refresh_from_db()
    assert circle.reminded_for == moved_to
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    (to_mentee,) = [m for m in mail.outbox if m.to == [mentee.email]]
    assert "moved" in to_mentee.body and VIDEO in to_mentee.body
    # Its original time passes with no reminder; the third is next.
    assert next_slot(circle, now=moved_to + dt.timedelta(minutes=1)) == third


# --- the page ------------------------------------------------------------------------------


def test_the_page_lists_the_sessions_in_the_slots_zone_and_the_viewers(
    circle, mentor, mentee_client
):
    start = _second(circle)
    services.circle_session_cancel(circle=circle, user=mentor, start=start)
    page = mentee_client.get(_url(circle)).content.decode()
    assert "Next sessions" in page and LONDON in page and "Asia/Jakarta" in page
    assert "<s>" in page and "Cancelled" in page
    assert VIDEO in page
    assert 'value="session_cancel"' not in page  # a member only reads them


def test_the_mentor_cancels_moves_and_restores_on_the_page(
    circle, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    client = csrf_client_for(mentor)
    page = client.get(_url(circle)).content.decode()
    assert 'value="session_cancel"' in page and 'type="datetime-local"' in page
    start = _second(circle)
    key = start.isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(circle), {"action": "session_cancel", "start": key})
    assert response.status_code == 302
    assert CircleSessionChange.objects.get(circle=circle).cancelled
    # The move's datetime-local value is read in the slot's zone (London), not the server's.
    new = (start + dt.timedelta(days=1)).astimezone(start.tzinfo)
    response = client.post(
        _url(circle),
        {"action": "session_move", "start": key, "to": new.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    change = CircleSessionChange.objects.get(circle=circle)
    assert change.moved_to == new and not change.cancelled
    client.post(_url(circle), {"action": "session_restore", "start": key})
    assert not CircleSessionChange.objects.exists()
    # Nonsense is an error message, not a crash.
    response = client.post(_url(circle), {"action": "session_cancel", "start": "soon"}, follow=True)
    assert "Masukkan tanggal dan waktu yang valid." in response.content.decode()  # Indonesian
    # Without the CSRF token: refused.
    response = client.post(
        _url(circle), {"action": "session_cancel", "start": key}, without_csrf=True
    )
    assert response.status_code == 403
    assert not CircleSessionChange.objects.exists()


def test_the_video_link_on_the_page(circle, manager, mentor, csrf_client_for):
    client = csrf_client_for(manager)
    client.post(_url(circle), {"action": "video", "video_url": "https://video.example/room"})
    circle.refresh_from_db()
    assert circle.video_url == "https://video.example/room"
    response = client.post(
        _url(circle), {"action": "video", "video_url": "http://video.example/x"}, follow=True
    )
    assert "https://" in response.content.decode()
    circle.refresh_from_db()
    assert circle.video_url == "https://video.example/room"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "session_cancel"},
        {"action": "session_move", "to": "2030-01-01T10:00"},
        {"action": "session_restore"},
        {"action": "video", "video_url": "https://evil.example/room"},
    ],
)
def test_every_post_is_refused_to_members_and_hidden_from_outsiders(
    circle, mentee, outsider, csrf_client_for, data
):
    start = _second(circle)
    data = {**data, "start": start.isoformat()}
    assert csrf_client_for(mentee).post(_url(circle), data).status_code == 403
    assert csrf_client_for(outsider).post(_url(circle), data).status_code == 404
    # A member's malformed time is refused as well, not explained.
    bad = {**data, "start": "garbage"}
    if data["action"] != "video":
        assert csrf_client_for(mentee).post(_url(circle), bad).status_code == 403
    assert not CircleSessionChange.objects.exists()
    circle.refresh_from_db()
    assert circle.video_url == VIDEO


def test_the_circle_page_query_count_is_pinned(
    circle, mentor, mentee_client, django_assert_num_queries
):
    """One query for the sessions' changes, however many sessions are changed."""
    mentee_client.get(_url(circle))
    with django_assert_num_queries(9):
        assert mentee_client.get(_url(circle)).status_code == 200
    for s in selectors.circle_sessions(circle=circle)[1:4]:
        services.circle_session_cancel(circle=circle, user=mentor, start=s.original)
    services.circle_session_move(
        circle=circle, user=mentor, start=_second(circle), to=timezone.now() + dt.timedelta(days=3)
    )
    with django_assert_num_queries(9):
        assert mentee_client.get(_url(circle)).status_code == 200


# --- the API -------------------------------------------------------------------------------


def _api(circle, tail=""):
    return f"/api/v1/programs/circles/{circle.pk}{tail}"


def test_the_api_lists_and_changes_sessions_with_a_token(
    circle, mentor, mentee, manager, outsider, token_client_for
):
    start = _second(circle)
    member = token_client_for(mentee)
    listed = member.get(_api(circle, "/sessions")).json()
    assert len(listed) == 6 and dt.datetime.fromisoformat(listed[1]["original_start"]) == start
    assert token_client_for(manager).get(_api(circle, "/sessions")).status_code == 200
    assert token_client_for(outsider).get(_api(circle, "/sessions")).status_code == 404
    out = member.get(_api(circle)).json()
    assert out["video_url"] == VIDEO and out["zone"] == LONDON

    body = {"start": start.isoformat()}
    assert (
        member.post(_api(circle, "/sessions/cancel"), body, "application/json").status_code == 403
    )
    assert (
        token_client_for(outsider)
        .post(_api(circle, "/sessions/cancel"), body, "application/json")
        .status_code
        == 404
    )
    api = token_client_for(mentor)
    response = api.post(_api(circle, "/sessions/cancel"), body, "application/json")
    assert response.status_code == 200
    (row,) = [r for r in response.json() if dt.datetime.fromisoformat(r["original_start"]) == start]
    assert row["cancelled"] is True

    to = start + dt.timedelta(hours=3)
    response = api.post(
        _api(circle, "/sessions/move"), {**body, "to": to.isoformat()}, "application/json"
    )
    assert response.status_code == 200
    (row,) = [r for r in response.json() if dt.datetime.fromisoformat(r["original_start"]) == start]
    assert row["moved"] is True and dt.datetime.fromisoformat(row["start"]) == to

    response = api.post(_api(circle, "/sessions/restore"), body, "application/json")
    assert response.status_code == 200 and not CircleSessionChange.objects.exists()

    not_a_session = {"start": (start + dt.timedelta(minutes=5)).isoformat()}
    response = api.post(_api(circle, "/sessions/cancel"), not_a_session, "application/json")
    assert response.status_code == 422 and "start" in response.json()["errors"]
    response = api.post(
        _api(circle, "/sessions/move"),
        {**body, "to": "2000-01-01T10:00:00+00:00"},
        "application/json",
    )
    assert response.status_code == 422 and "to" in response.json()["errors"]


def test_the_api_sets_the_video_link(circle, mentor, mentee, outsider, token_client_for):
    url = _api(circle, "/video-link")
    body = {"url": "https://video.example/new"}
    assert token_client_for(mentee).put(url, body, "application/json").status_code == 403
    assert token_client_for(outsider).put(url, body, "application/json").status_code == 404
    response = token_client_for(mentor).put(url, body, "application/json")
    assert response.status_code == 200 and response.json()["video_url"] == body["url"]
    response = token_client_for(mentor).put(url, {"url": "ftp://x"}, "application/json")
    assert response.status_code == 422
    response = token_client_for(mentor).put(url, {"url": ""}, "application/json")
    assert response.json()["video_url"] == ""


def test_the_api_in_a_browser_session_needs_the_csrf_token(circle, mentor, csrf_client_for):
    client = csrf_client_for(mentor)
    body = {"start": _second(circle).isoformat()}
    response = client.post(
        _api(circle, "/sessions/cancel"), body, "application/json", without_csrf=True
    )
    assert response.status_code == 403
    assert not CircleSessionChange.objects.exists()
    response = client.post(_api(circle, "/sessions/cancel"), body, "application/json")
    assert response.status_code == 200
    assert CircleSessionChange.objects.get().cancelled


# --- personal data ------------------------------------------------------------------------


def test_erasing_the_person_who_changed_a_session_keeps_the_change(circle, mentor):
    from tandem.programs import privacy

    start = _second(circle)
    change = services.circle_session_cancel(circle=circle, user=mentor, start=start)
    assert privacy.export(mentor)["circle_sessions_changed"] == [change.pk]
    privacy.erase(mentor)
    change.refresh_from_db()
    assert change.changed_by is None and change.cancelled


def test_changing_the_slot_drops_the_changes_to_sessions_it_no_longer_has(circle, mentor):
    start = _second(circle)
    services.circle_session_cancel(circle=circle, user=mentor, start=start)
    services.circle_update(
        circle=circle,
        user=mentor,
        name=circle.name,
        weekday=circle.weekday,
        time=circle.time,
        frequency="weekly",
    )
    assert CircleSessionChange.objects.exists()  # the same rule: the change stays
    services.circle_update(
        circle=circle,
        user=mentor,
        name=circle.name,
        weekday=Circle.Weekday.WEDNESDAY,
        time=circle.time,
        frequency="weekly",
    )
    assert not CircleSessionChange.objects.exists()
    assert not any(s.cancelled for s in selectors.circle_sessions(circle=circle))
