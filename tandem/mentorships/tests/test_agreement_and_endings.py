from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.mentorships import selectors, services
from tandem.mentorships.models import Closing, Mentorship, StatusChange
from tandem.mentorships.tests.factories import make_active, make_draft

pytestmark = pytest.mark.django_db


def test_both_sign_the_draft_and_the_mentorship_begins(mentee, mentor):
    mentorship = make_draft(mentee, mentor)
    version = mentorship.latest_agreement()
    services.agreement_sign(agreement=version, user=mentee)
    mentorship.refresh_from_db()
    assert mentorship.status == "draft"
    services.agreement_sign(agreement=version, user=mentor)
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    assert mentorship.status == "active"
    assert mentorship.started_at is not None
    assert mentorship.next_review_on is not None
    assert mentorship.next_review_on > timezone.localdate()
    assert mentorship.current_agreement().is_signed


def test_signing_twice_is_refused(mentee, mentor):
    version = make_draft(mentee, mentor).latest_agreement()
    services.agreement_sign(agreement=version, user=mentee)
    with pytest.raises(ValidationError, match="already signed"):
        services.agreement_sign(agreement=version, user=mentee)


def test_any_change_is_a_new_version_that_the_other_side_confirms(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    v2 = services.agreement_propose(
        mentorship=mentorship,
        user=mentor,
        change_note="Email between meetings",
        between_meetings="Email for quick critiques; a call only when urgent.",
        channels=["video", "email"],
    )
    assert v2.number == 2
    assert v2.mentor_signed_at is not None and v2.mentee_signed_at is None
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    # Version 1 stays in force until the mentee confirms.
    assert mentorship.current_agreement().number == 1
    assert mentorship.pending_agreement().number == 2
    services.agreement_sign(agreement=v2, user=mentee)
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    assert mentorship.current_agreement().number == 2
    assert mentorship.pending_agreement() is None


def test_an_older_version_cannot_be_signed_once_a_newer_one_exists(mentee, mentor):
    mentorship = make_draft(mentee, mentor)
    v1 = mentorship.latest_agreement()
    services.agreement_propose(mentorship=mentorship, user=mentee, meetings_per_month=2)
    with pytest.raises(ValidationError, match="newer version"):
        services.agreement_sign(agreement=v1, user=mentor)


def test_proposing_nothing_new_is_refused(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.agreement_propose(mentorship=mentorship, user=mentee)


def test_bad_terms_give_field_errors(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    with pytest.raises(ValidationError) as exc:
        services.agreement_propose(
            mentorship=mentorship,
            user=mentee,
            meetings_per_month=0,
            channels=["pigeon"],
            end_date=dt.date(2000, 1, 1),
        )
    assert {"meetings_per_month", "channels", "end_date"} <= set(exc.value.message_dict)


def test_the_difference_between_versions_is_readable(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    services.agreement_propose(
        mentorship=mentorship,
        user=mentee,
        meetings_per_month=2,
        goal="Promotion to engineering manager within nine months, with an action plan.",
    )
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    v1, v2 = mentorship._versions()
    changes = {c.field: c for c in selectors.agreement_diff(v1, v2)}
    assert set(changes) == {"goal", "meetings_per_month"}
    parts = changes["goal"].parts
    assert ("removed", "a year,") in [(p.kind, p.text) for p in parts]
    assert ("added", "nine months,") in [(p.kind, p.text) for p in parts]


def test_a_review_asks_both_and_a_concern_offers_revise_or_end(
    mentee, mentor, django_capture_on_commit_callbacks
):
    mentorship = make_active(mentee, mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_open(mentorship=mentorship, user=mentee)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.checkin_submit(
            review=review, user=mentee, working="partly", to_change="Shorter meetings"
        )
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    services.checkin_submit(review=review, user=mentor, working="yes")
    review.refresh_from_db()
    assert review.closed_at is not None
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    assert mentorship.next_review_on is not None
    assert mentorship.next_review_on > timezone.localdate()


def test_answering_a_check_in_twice_is_refused(mentee, mentor):
    review = services.review_open(mentorship=make_active(mentee, mentor), user=mentor)
    services.checkin_submit(review=review, user=mentor, working="yes")
    with pytest.raises(ValidationError, match="already answered"):
        services.checkin_submit(review=review, user=mentor, working="no")


def test_pause_and_resume_by_either_side(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    services.mentorship_pause(mentorship=mentorship, user=mentee, note="Exams this month")
    assert Mentorship.objects.get(pk=mentorship.pk).status == "paused"
    with pytest.raises(ValidationError):
        services.mentorship_pause(mentorship=mentorship, user=mentor)
    services.mentorship_resume(mentorship=mentorship, user=mentor)
    assert Mentorship.objects.get(pk=mentorship.pk).status == "active"
    assert list(
        StatusChange.objects.filter(mentorship=mentorship).values_list("to_status", flat=True)
    ) == [
        "draft",
        "active",
        "paused",
        "active",
    ]


def test_a_draft_cannot_be_paused_or_completed(mentee, mentor):
    mentorship = make_draft(mentee, mentor)
    with pytest.raises(ValidationError):
        services.mentorship_pause(mentorship=mentorship, user=mentee)
    with pytest.raises(ValidationError):
        services.mentorship_end(mentorship=mentorship, user=mentee, completed=True)
    services.mentorship_end(mentorship=mentorship, user=mentee, completed=False)
    assert Mentorship.objects.get(pk=mentorship.pk).status == "ended"


def test_completing_thanks_the_other_and_invites_the_mentee_to_mentor(
    mentee, mentor, django_capture_on_commit_callbacks
):
    mentorship = make_active(mentee, mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.mentorship_end(
            mentorship=mentorship,
            user=mentee,
            completed=True,
            reflection="I learned to plan my growth.",
            thanks="Thank you for every hour.",
        )
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    assert mentorship.status == "completed" and mentorship.ended_by == mentee
    recipients = [m.to[0] for m in mail.outbox]
    assert mentor.email in recipients  # the thank-you
    invite = [m for m in mail.outbox if m.to == [mentee.email]]
    assert invite and "mentor someone else" in invite[0].subject
    services.closing_add(mentorship=mentorship, user=mentor, thanks="It was a pleasure.")
    assert Closing.objects.filter(mentorship=mentorship).count() == 2
    with pytest.raises(ValidationError):
        services.closing_add(mentorship=mentorship, user=mentor, thanks="Again")


def test_an_ended_mentorship_frees_the_place_and_a_new_one_can_start(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    services.mentorship_end(mentorship=mentorship, user=mentor, completed=False)
    assert selectors.active_mentee_count(mentor=mentor) == 0
    assert selectors.mentorship_between(mentee=mentee, mentor=mentor) is None
    assert not selectors.users_share_mentorship(mentee, mentor)  # privacy ends with it
    assert make_draft(mentee, mentor).status == "draft"


def test_the_contract_selectors(mentee, mentor, outsider):
    mentorship = make_active(mentee, mentor)
    assert selectors.active_mentee_count(mentor=mentor) == 1
    assert selectors.mentorship_between(mentee=mentee, mentor=mentor) == mentorship
    assert selectors.users_share_mentorship(mentor, mentee)
    assert not selectors.users_share_mentorship(mentee, outsider)
    assert list(selectors.mentorships_for_user(user=mentee)) == [mentorship]
    assert selectors.get_mentorship_for_user(mentor, mentorship.pk) == mentorship
    current = mentorship.current_agreement()
    assert (current.meetings_per_month, current.meeting_minutes, current.channels) == (
        1,
        60,
        ["video"],
    )
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.get_mentorship_for_user(outsider, mentorship.pk)
    from tandem.people.models import Profile

    annotated = Profile.objects.annotate(n=selectors.active_mentee_count_subquery("user")).get(
        user=mentor
    )
    assert annotated.n == 1


def test_a_second_review_on_the_same_day_is_refused_kindly(mentee, mentor):
    mentorship = make_active(mentee, mentor)
    review = services.review_open(mentorship=mentorship, user=mentee)
    assert services.review_open(mentorship=mentorship, user=mentor) == review  # the open one
    services.checkin_submit(review=review, user=mentee, working="yes")
    services.checkin_submit(review=review, user=mentor, working="yes")
    with pytest.raises(ValidationError, match="already reviewed it together today"):
        services.review_open(mentorship=mentorship, user=mentee)
