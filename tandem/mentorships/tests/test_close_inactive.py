"""A programme's inactivity rule ends a mentorship: Tandem itself ends it, once, says why in
its history, and tells both people in their own language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.mentorships import services
from tandem.mentorships.models import Mentorship, StatusChange
from tandem.mentorships.states import check_mentorship_arrow
from tandem.mentorships.tests.factories import make_active, make_draft

pytestmark = pytest.mark.django_db


def test_closing_for_inactivity_ends_it_and_tells_both_in_their_language(
    mentee, mentor, django_capture_on_commit_callbacks
):
    mentorship = make_active(mentee, mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.mentorship_close_inactive(
            mentorship=mentorship, reason_days=92, programme_name="Spring cohort"
        )
    assert closed is not None
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    assert mentorship.status == Mentorship.Status.ENDED
    assert mentorship.ended_at is not None and mentorship.ended_by is None
    assert mentorship.next_review_on is None
    change = mentorship.status_changes.order_by("created_at", "pk").last()
    assert (change.from_status, change.to_status) == ("active", "ended")
    assert change.by is None and change.reason == StatusChange.Reason.INACTIVE
    assert change.reason_days == 92
    assert change.reason_text() == "Closed by the programme after 92 days without activity"
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {mentee.email, mentor.email}
    english, indonesian = by_person[mentee.email], by_person[mentor.email]
    assert "Spring cohort" in english.body and "92 days without activity" in english.body
    assert "Budi Mentor" in english.subject
    assert "tanpa aktivitas" in indonesian.body  # the mentor reads Indonesian
    assert "Maya Mentee" in indonesian.subject


def test_closing_twice_ends_once_and_tells_once(mentee, mentor, django_capture_on_commit_callbacks):
    mentorship = make_draft(mentee, mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mentorship_close_inactive(mentorship=mentorship, reason_days=90)
        assert services.mentorship_close_inactive(mentorship=mentorship, reason_days=91) is None
    assert len(mail.outbox) == 2
    assert StatusChange.objects.filter(mentorship=mentorship, to_status="ended").count() == 1


def test_a_mentorship_they_ended_themselves_is_left_alone(
    mentee, mentor, django_capture_on_commit_callbacks
):
    mentorship = make_active(mentee, mentor)
    services.mentorship_end(mentorship=mentorship, user=mentee, completed=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mentorship_close_inactive(mentorship=mentorship, reason_days=90) is None
    assert Mentorship.objects.get(pk=mentorship.pk).status == "completed"
    assert not mail.outbox


def test_the_days_must_be_given(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    with pytest.raises(ValidationError):
        services.mentorship_close_inactive(mentorship=mentorship, reason_days=0)
    assert Mentorship.objects.get(pk=mentorship.pk).is_live


def test_only_tandem_itself_ends_for_inactivity_not_a_stranger():
    check_mentorship_arrow("paused", "ended", "system")
    with pytest.raises(ValidationError):
        check_mentorship_arrow("active", "completed", "system")


def test_the_history_page_and_api_show_why_in_each_language(
    mentee, mentor, mentee_client, mentor_client
):
    mentorship = make_active(mentee, mentor)
    services.mentorship_close_inactive(mentorship=mentorship, reason_days=90)
    url = reverse("mentorships:detail", args=[mentorship.pk])
    html = mentee_client.get(url).content.decode()
    assert "Closed by the programme after 90 days without activity" in html
    assert 'name="reflection"' in html  # each may still write a closing reflection
    html_id = mentor_client.get(url).content.decode()  # the mentor reads Indonesian
    assert "Ditutup oleh program setelah 90 hari tanpa aktivitas" in html_id
    history = mentee_client.get(f"/api/v1/mentorships/{mentorship.pk}/history").json()
    last = history[-1]
    assert (last["to_status"], last["by_id"], last["reason"]) == ("ended", None, "inactive")
    assert last["reason_days"] == 90
    assert last["reason_text"] == "Closed by the programme after 90 days without activity"
