from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.accounts.tests.factories import UserFactory
from tandem.mentorships import services
from tandem.mentorships.models import AgreementVersion, Mentorship, MentorshipRequest
from tandem.mentorships.tests.factories import make_mentor, make_request, plan

pytestmark = pytest.mark.django_db


def test_a_request_carries_the_plan_and_the_mentor_is_told_in_their_language(
    mentee, mentor, django_capture_on_commit_callbacks
):
    make_mentor(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(mentee, mentor)
    assert req.status == MentorshipRequest.Status.PENDING
    assert req.goal.startswith("Promotion to engineering manager")
    assert req.expires_at > timezone.now() + dt.timedelta(days=13)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [mentor.email]
    # The mentor reads Indonesian.
    assert "meminta Anda menjadi mentornya" in mail.outbox[0].subject
    assert "bukan permintaan pekerjaan" in mail.outbox[0].body


def test_the_mentee_must_say_it_is_not_a_request_for_a_job(mentee, mentor):
    make_mentor(mentor)
    with pytest.raises(ValidationError) as exc:
        services.request_send(mentee=mentee, mentor=mentor, initiated_by=mentee, **plan())
    assert "not_a_job" in exc.value.message_dict


def test_the_plan_needs_a_goal_and_a_known_guidance_kind(mentee, mentor):
    make_mentor(mentor)
    with pytest.raises(ValidationError) as exc:
        make_request(mentee, mentor, goal=" ", guidance_kind="astrology", meetings_per_month=12)
    assert {"goal", "guidance_kind", "meetings_per_month"} <= set(exc.value.message_dict)


def test_no_second_open_request_to_the_same_person(mentee, mentor):
    make_request(mentee, mentor)
    with pytest.raises(ValidationError, match="already an open request"):
        make_request(mentee, mentor)


def test_the_database_refuses_a_duplicate_open_request(mentee, mentor):
    req = make_request(mentee, mentor)
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorshipRequest.objects.create(
            mentee=mentee,
            mentor=mentor,
            initiated_by=mentee,
            expires_at=req.expires_at,
            expectations="x",
            guidance_kind="promotion",
            goal="x",
            channel="video",
        )


def test_a_closed_request_does_not_block_a_new_one(mentee, mentor):
    req = make_request(mentee, mentor)
    services.request_withdraw(req=req, user=mentee)
    assert make_request(mentee, mentor).status == "pending"


def test_at_most_the_configured_number_of_open_requests(mentee, settings):
    settings.TANDEM_MAX_OPEN_REQUESTS = 2
    make_request(mentee, UserFactory())
    make_request(mentee, UserFactory())
    with pytest.raises(ValidationError, match="2 requests waiting"):
        make_request(mentee, UserFactory())


def test_a_paused_mentor_is_not_asked_and_the_reason_is_given(mentee, mentor):
    make_mentor(mentor, paused=True)
    with pytest.raises(ValidationError, match="paused mentoring"):
        make_request(mentee, mentor)


def test_a_full_mentor_is_not_asked_and_the_reason_is_given(mentee, mentor, outsider):
    make_mentor(mentor, capacity=1)
    services.request_accept(req=make_request(outsider, mentor), user=mentor)
    with pytest.raises(ValidationError, match="full at the moment"):
        make_request(mentee, mentor)


def test_accepting_makes_the_draft_agreement_from_the_plan(mentee, mentor):
    req = make_request(mentee, mentor, meetings_per_month=2, channel="phone", duration_months=3)
    mentorship = services.request_accept(req=req, user=mentor)
    assert mentorship.status == Mentorship.Status.DRAFT
    version = AgreementVersion.objects.get(mentorship=mentorship)
    assert version.number == 1
    assert version.meetings_per_month == 2
    assert version.channels == ["phone"]
    assert version.goal == req.goal
    assert version.end_date is not None
    assert not version.is_signed
    req.refresh_from_db()
    assert req.status == "accepted"


def test_only_the_answering_side_may_accept(mentee, mentor):
    req = make_request(mentee, mentor)
    with pytest.raises(ValidationError, match="Only the other person"):
        services.request_accept(req=req, user=mentee)


def test_a_declined_request_cannot_be_accepted_later(mentee, mentor):
    req = make_request(mentee, mentor)
    services.request_decline(req=req, user=mentor)
    with pytest.raises(ValidationError, match="already declined"):
        services.request_accept(req=req, user=mentor)


def test_declining_with_a_kind_template_tells_the_mentee_gently_in_their_language(
    mentee, mentor, django_capture_on_commit_callbacks
):
    req = make_request(mentee, mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_decline(req=req, user=mentor, template="no_time")
    assert mail.outbox[0].to == [mentee.email]
    assert "fully committed" in mail.outbox[0].body
    assert "not a judgement" in mail.outbox[0].body


def test_thinking_it_over_sets_a_reminder_for_tomorrow(mentee, mentor):
    req = make_request(mentee, mentor)
    req = services.request_think(req=req, user=mentor)
    assert req.status == "thinking"
    assert req.think_remind_at is not None
    assert dt.timedelta(hours=23) < req.think_remind_at - timezone.now() <= dt.timedelta(days=1)
    # Thinking it over keeps the answer open: accept still works.
    assert services.request_accept(req=req, user=mentor).status == "draft"


def test_a_mentor_can_invite_and_the_mentee_answers(mentee, mentor):
    make_mentor(mentor)
    req = services.request_send(mentee=mentee, mentor=mentor, initiated_by=mentor, **plan())
    assert req.is_invitation
    with pytest.raises(ValidationError):
        services.request_accept(req=req, user=mentor)
    mentorship = services.request_accept(req=req, user=mentee)
    assert mentorship.mentor == mentor


def test_a_contact_becomes_a_mentorship_by_mutual_confirmation(mentee, mentor):
    make_mentor(mentor)
    req = services.mentorship_start_from_contact(
        initiator=mentor, other=mentee, initiator_is_mentor=True
    )
    assert req.initiated_by == mentor and req.mentee == mentee
    mentorship = services.request_accept(req=req, user=mentee)
    assert mentorship.latest_agreement() is not None


def test_accept_refuses_when_the_last_place_is_gone(mentee, mentor, outsider):
    make_mentor(mentor, capacity=1)
    first = make_request(mentee, mentor)
    second = make_request(outsider, mentor)
    services.request_accept(req=first, user=mentor)
    with pytest.raises(ValidationError, match="All your mentoring places are taken"):
        services.request_accept(req=second, user=mentor)
    second.refresh_from_db()
    assert second.status == "pending"
