"""Account invitations: the has_joined rule, sending, re-sending, expiry, the accept page,
and no notification email to anyone who has not joined."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts import rules
from tandem.accounts.models import AccountInvitation, User
from tandem.accounts.services import invitation_create
from tandem.core.tests.clients import CsrfClient
from tandem.notifications.models import Notification
from tandem.notifications.services import email_send_templated
from tandem.people.services import account_invitation_send

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-secret-2026"


def _imported(email: str = "new@example.com", language: str = "en") -> User:
    return User.objects.create(
        email=email, full_name="Nia Newcomer", language=language, password=make_password(None)
    )


def _token_from_mail() -> str:
    match = re.search(r"/accounts/invitation/([^/\s]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _send(user: User, capture, **kwargs) -> AccountInvitation:
    with capture(execute=True):
        invitation = account_invitation_send(user=user, **kwargs)
    assert invitation is not None
    return invitation


def test_has_joined_rule(mentee: User) -> None:
    newcomer = _imported()
    assert rules.has_joined(mentee)
    assert not rules.has_joined(newcomer)
    newcomer.last_login = timezone.now()  # signed in some other way (single sign-on)
    assert rules.has_joined(newcomer)
    mentee.is_active = False
    assert not rules.has_joined(mentee)
    ids = set(User.objects.filter(rules.joined_q()).values_list("pk", flat=True))
    assert newcomer.pk not in ids


def test_invitation_email_in_the_persons_language(django_capture_on_commit_callbacks) -> None:
    user = _imported(language="id")
    invitation = _send(user, django_capture_on_commit_callbacks, organisation_name="Acme")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Undangan" in message.subject
    assert "Acme" in message.body
    assert reverse("account_login") in message.body
    assert invitation.sent_at is not None
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    # Only the hash of the token is stored.
    assert _token_from_mail() not in invitation.token_hash


def test_no_notification_email_to_someone_who_has_not_joined(
    django_capture_on_commit_callbacks, mentee: User
) -> None:
    user = _imported()
    with django_capture_on_commit_callbacks(execute=True):
        sent = email_send_templated(
            user=user,
            template="programs/matched_mentee",
            context={"programme": None, "url": "/"},
        )
    assert sent is None
    assert mail.outbox == []
    note = Notification.objects.get(user=user)  # kept in their list for when they join
    assert note.email == Notification.Email.NONE


def test_accept_sets_password_logs_in_and_joins(django_capture_on_commit_callbacks) -> None:
    user = _imported()
    _send(user, django_capture_on_commit_callbacks)
    token = _token_from_mail()
    client = CsrfClient()
    url = reverse("account_invitation", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert user.email in page.content.decode()
    # A weak password is refused by Django's validators.
    weak = client.post(url, {"new_password1": "1234", "new_password2": "1234"})
    assert weak.status_code == 200
    user.refresh_from_db()
    assert not user.has_usable_password()
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert rules.has_joined(user)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accounts:settings")).status_code == 200  # signed in
    # The link is used now: a clear page, not the form.
    again = Client().get(url)
    assert again.status_code == 410
    assert "already accepted" in again.content.decode()


def test_accept_post_needs_csrf(django_capture_on_commit_callbacks) -> None:
    user = _imported()
    _send(user, django_capture_on_commit_callbacks)
    url = reverse("account_invitation", args=[_token_from_mail()])
    client = CsrfClient()
    refused = client.post(
        url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, without_csrf=True
    )
    assert refused.status_code == 403
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_expired_invitation_is_refused(django_capture_on_commit_callbacks, settings) -> None:
    settings.TANDEM_INVITATION_DAYS = 2
    user = _imported()
    invitation = _send(user, django_capture_on_commit_callbacks)
    assert invitation.expires_at <= timezone.now() + dt.timedelta(days=2)
    AccountInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    url = reverse("account_invitation", args=[_token_from_mail()])
    response = CsrfClient().post(
        url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_resend_invalidates_the_earlier_link(django_capture_on_commit_callbacks) -> None:
    user = _imported()
    _send(user, django_capture_on_commit_callbacks)
    first = _token_from_mail()
    _send(user, django_capture_on_commit_callbacks)
    second = _token_from_mail()
    assert first != second
    old = Client().get(reverse("account_invitation", args=[first]))
    assert old.status_code == 410
    assert "newer invitation" in old.content.decode()
    assert Client().get(reverse("account_invitation", args=[second])).status_code == 200


def test_unknown_token_is_404() -> None:
    response = Client().get(reverse("account_invitation", args=["not-a-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_nothing_sent_to_someone_who_joined(mentee: User) -> None:
    assert account_invitation_send(user=mentee) is None
    assert mail.outbox == []


def test_accept_page_in_indonesian(django_capture_on_commit_callbacks) -> None:
    user = _imported(language="id")
    invitation, raw = invitation_create(user=user)
    response = Client(HTTP_ACCEPT_LANGUAGE="id").get(
        reverse("account_invitation", args=[raw]), headers={"Cookie": "django_language=id"}
    )
    assert response.status_code == 200
    assert invitation.state() == "valid"


def test_a_link_does_not_reset_the_password_of_someone_who_joined_since(
    django_capture_on_commit_callbacks,
) -> None:
    user = _imported()
    _send(user, django_capture_on_commit_callbacks)
    url = reverse("account_invitation", args=[_token_from_mail()])
    user.set_password("chosen-by-reset-2026")  # joined through a password reset
    user.save()
    response = CsrfClient().post(
        url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    user.refresh_from_db()
    assert user.check_password("chosen-by-reset-2026")
