"""A person leaving Tandem (`accounts.services.account_deactivate`) ends their relationships
gracefully: the other person is told once, keeps their records, and nothing reaches the one
who left."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tandem.accounts.models import AccountClosure, ApiToken, User
from tandem.accounts.services import account_deactivate, api_token_create
from tandem.accounts.tests.factories import UserFactory
from tandem.mentorships import services
from tandem.mentorships.models import Mentorship, MentorshipRequest, StatusChange, TryOut
from tandem.mentorships.tests.factories import make_active, make_mentor, make_request

pytestmark = pytest.mark.django_db


def test_leaving_ends_mentorships_and_closes_requests(
    mentee: User, mentor: User, django_capture_on_commit_callbacks
) -> None:
    mentorship = make_active(mentee, mentor)
    other_mentor = make_mentor(UserFactory(full_name="Other Mentor"))
    asked = make_request(mentee, other_mentor)
    question = services.tryout_ask(mentee=mentee, mentor=other_mentor, question="A first question?")
    _token, _raw = api_token_create(user=mentee, name="script")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert account_deactivate(user=mentee, reason=AccountClosure.DELETED) is True

    mentee.refresh_from_db()
    assert mentee.is_active is False
    assert not ApiToken.objects.filter(user=mentee, revoked_at__isnull=True).exists()
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert mentorship.ended_by is None
    change = StatusChange.objects.filter(mentorship=mentorship).last()
    assert change is not None and change.reason == StatusChange.Reason.LEFT
    asked.refresh_from_db()
    assert asked.status == MentorshipRequest.Status.WITHDRAWN
    question.refresh_from_db()
    assert question.status == TryOut.Status.WITHDRAWN
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([mentor.email, other_mentor.email])
    # Each in their own language (the mentor persona reads Indonesian).
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[mentor.email] == "Maya Mentee telah meninggalkan Tandem"
    assert subjects[other_mentor.email] == "Maya Mentee has left Tandem"


def test_leaving_twice_tells_nobody_twice(mentee: User, mentor: User) -> None:
    make_active(mentee, mentor)
    assert account_deactivate(user=mentor) is True
    mail.outbox.clear()
    assert account_deactivate(user=mentor) is False
    assert mail.outbox == []


def test_a_request_to_the_one_who_left_expires_and_nothing_reaches_them(
    mentee: User, mentor: User
) -> None:
    req = make_request(mentee, mentor)
    account_deactivate(user=mentor)
    req.refresh_from_db()
    assert req.status == MentorshipRequest.Status.EXPIRED
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="no longer on Tandem"):
        make_request(UserFactory(), mentor)
    with pytest.raises(ValidationError, match="no longer on Tandem"):
        services.tryout_ask(mentee=UserFactory(), mentor=mentor, question="Still there?")
    assert all(m.to != [mentor.email] for m in mail.outbox)
