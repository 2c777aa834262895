"""Development mail goes to files under the data dir, and staff read them at /inbox/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.tests.factories import UserFactory


def test_default_backend_writes_files_under_the_data_dir(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env["TANDEM_DATA_DIR"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "tandem.settings"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(settings.EMAIL_BACKEND); print(settings.EMAIL_FILE_PATH)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["django.core.mail.backends.filebased.EmailBackend", str(tmp_path / "mail")]


@pytest.fixture
def file_mail(settings, tmp_path: Path) -> Path:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"


@pytest.mark.django_db
def test_staff_reads_a_sent_email(client, file_mail: Path) -> None:
    mail.send_mail("Your first meeting", "See you on Monday.", None, ["maya@example.com"])
    (log,) = file_mail.iterdir()
    client.force_login(UserFactory(is_staff=True))
    listing = client.get(reverse("inbox"))
    assert listing.status_code == 200
    assert log.name in listing.content.decode()
    page = client.get(reverse("inbox_file", args=[log.name]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Your first meeting" in body
    assert "maya@example.com" in body
    assert "See you on Monday." in body
    assert client.get(reverse("inbox_file", args=["secret_key"])).status_code == 404


@pytest.mark.django_db
def test_inbox_is_hidden_from_non_staff(client, file_mail: Path) -> None:
    mail.send_mail("Private", "Body", None, ["maya@example.com"])
    (log,) = file_mail.iterdir()
    client.force_login(UserFactory())
    assert client.get(reverse("inbox")).status_code == 404
    assert client.get(reverse("inbox_file", args=[log.name])).status_code == 404


@pytest.mark.django_db
def test_inbox_sends_visitors_to_log_in(client) -> None:
    response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
