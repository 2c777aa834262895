"""allauth's account emails name the site: "Hello from Tandem!", never "Hello from !"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tandem.core.tests.clients import CsrfClient


def _sign_up(email: str, language: str):
    return CsrfClient().post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "a-long-Passphrase-2026",
            "password2": "a-long-Passphrase-2026",
            "full_name": "Ani Wijaya",
            "language": language,
            "timezone": "Asia/Jakarta",
        },
    )


@pytest.mark.django_db
def test_signup_email_names_the_site_and_its_address(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://tandem.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        assert _sign_up("ani@example.com", "en").status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("[Tandem] ")
    assert "Hello from Tandem!" in message.body
    assert "Thank you for using Tandem!" in message.body
    assert "tandem.example.org" in message.body
    assert "from !" not in message.body


@pytest.mark.django_db
def test_signup_email_in_indonesian_names_the_site(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _sign_up("budi@example.com", "id").status_code == 302
    (message,) = mail.outbox
    assert "Halo dari Tandem!" in message.body
    assert "Terima kasih telah menggunakan Tandem!" in message.body


@pytest.mark.django_db
def test_password_reset_email_names_the_site(mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        CsrfClient().post(reverse("account_reset_password"), {"email": mentee.email})
    (message,) = mail.outbox
    assert "Hello from Tandem!" in message.body
