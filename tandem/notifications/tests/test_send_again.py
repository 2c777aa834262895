"""An email whose worker died mid-send (UNKNOWN) is never sent again by Tandem itself; an
operator may decide to, from the admin, knowing it may arrive twice."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.tests.factories import UserFactory
from tandem.notifications.models import OutgoingEmail
from tandem.notifications.services import email_queue_message

pytestmark = pytest.mark.django_db


def _stuck(status: str) -> OutgoingEmail:
    email = email_queue_message(to="x@example.org", subject="Hello", body_text="Hi", kind="t")
    OutgoingEmail.objects.filter(pk=email.pk).update(status=status)
    return email


def test_staff_send_an_unknown_email_again_from_the_admin(
    client, django_capture_on_commit_callbacks
) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    unknown, sent = _stuck(OutgoingEmail.Status.UNKNOWN), _stuck(OutgoingEmail.Status.SENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_outgoingemail_changelist"),
            {"action": "send_again", "_selected_action": [unknown.pk, sent.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert "1 email queued again." in response.content.decode()
    unknown.refresh_from_db()
    assert unknown.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [["x@example.org"]]  # the sent one is left alone


def test_people_who_are_not_staff_cannot(client) -> None:
    client.force_login(UserFactory())
    unknown = _stuck(OutgoingEmail.Status.UNKNOWN)
    response = client.post(
        reverse("admin:notifications_outgoingemail_changelist"),
        {"action": "send_again", "_selected_action": [unknown.pk]},
    )
    assert response.status_code == 302  # to the admin's login
    unknown.refresh_from_db()
    assert unknown.status == OutgoingEmail.Status.UNKNOWN
