from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tandem.mentorships import services
from tandem.mentorships.models import MentorshipRequest, Review, TryOut
from tandem.mentorships.tests.factories import make_active, make_request

pytestmark = pytest.mark.django_db


def test_one_open_question_per_pair_and_the_mentor_answers(
    mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tryout = services.tryout_ask(
            mentee=mentee, mentor=mentor, question="How did you move into management?"
        )
    assert mail.outbox[-1].to == [mentor.email]
    with pytest.raises(ValidationError, match="already have a question"):
        services.tryout_ask(mentee=mentee, mentor=mentor, question="And another?")
    with pytest.raises(ValidationError):
        services.tryout_answer(tryout=tryout, user=mentee, answer="Myself")
    services.tryout_answer(tryout=tryout, user=mentor, answer="By leading a small project first.")
    tryout.refresh_from_db()
    assert tryout.status == TryOut.Status.ANSWERED
    # Answered, so a new question may be asked.
    assert (
        services.tryout_ask(mentee=mentee, mentor=mentor, question="Thanks! One more?").status
        == "open"
    )


def test_the_mentor_may_let_a_question_go(mentee, mentor):
    tryout = services.tryout_ask(mentee=mentee, mentor=mentor, question="Coffee?")
    services.tryout_let_go(tryout=tryout, user=mentor)
    tryout.refresh_from_db()
    assert tryout.status == "let_go"
    with pytest.raises(ValidationError, match="closed already"):
        services.tryout_answer(tryout=tryout, user=mentor, answer="Late answer")


def test_think_it_over_reminds_the_mentor_the_next_day_once(
    mentee, mentor, django_capture_on_commit_callbacks
):
    req = services.request_think(req=make_request(mentee, mentor), user=mentor)
    mail.outbox.clear()
    assert services.reminders_run()["think_reminders"] == 0
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_run(now=later)["think_reminders"] == 1
        assert services.reminders_run(now=later)["think_reminders"] == 0
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    req.refresh_from_db()
    assert req.think_reminded_at is not None


def test_unanswered_requests_remind_the_mentor_then_expire_kindly(
    mentee, mentor, django_capture_on_commit_callbacks
):
    req = make_request(mentee, mentor)
    mail.outbox.clear()
    eleven_days = timezone.now() + dt.timedelta(days=11, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.reminders_run(now=eleven_days)
    assert done["expiry_reminders"] == 1 and done["expired"] == 0
    assert mail.outbox[-1].to == [mentor.email]
    fifteen_days = timezone.now() + dt.timedelta(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_run(now=fifteen_days)["expired"] == 1
        assert services.reminders_run(now=fifteen_days)["expired"] == 0
    req.refresh_from_db()
    assert req.status == MentorshipRequest.Status.EXPIRED
    assert mail.outbox[-1].to == [mentee.email]
    assert "says nothing about you" in mail.outbox[-1].body


def test_expiry_follows_the_setting(mentee, mentor, settings):
    settings.TANDEM_REQUEST_EXPIRY_DAYS = 3
    req = make_request(mentee, mentor)
    assert req.expires_at < timezone.now() + dt.timedelta(days=3, minutes=1)


def test_a_review_date_opens_a_check_in_for_both_once(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    day = mentorship.next_review_on
    assert day is not None
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    assert services.reminders_run(now=at)["reviews"] == 1
    assert services.reminders_run(now=at)["reviews"] == 0
    assert Review.objects.filter(mentorship=mentorship, due_on=day).count() == 1


def test_the_management_command_enqueues_the_sweep(mentee, mentor, capsys):
    call_command("mentorship_reminders")
    assert "Enqueued" in capsys.readouterr().out
    call_command("mentorship_reminders", "--now")
    assert "expired" in capsys.readouterr().out
