"""Journey: someone asks for their data, watches it being prepared while the worker builds
it, and downloads the zip from the link that then appears."""

from __future__ import annotations

import json
import zipfile
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tandem.accounts import services
from tandem.accounts.models import PersonalDataExport, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": page.base_url}]
    )


def test_download_my_data(page: Any, mentee: User, settings: Any) -> None:
    # A real queue: nothing is built until the worker runs the task.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _sign_in(page, mentee)
    page.goto(reverse("accounts:personal_data"))
    page.get_by_role("button", name="Download my data").click()
    exports = page.locator("#exports")
    exports.locator("progress").wait_for()
    assert "You may leave this page and come back." in exports.inner_text()
    job = PersonalDataExport.objects.get(user=mentee)

    services.personal_data_export_build(export_id=job.pk)  # what the worker does

    link = exports.get_by_role("link", name="Download the zip")
    link.wait_for(timeout=10_000)  # the page asks every 2 s
    assert exports.locator("progress").count() == 0
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        json_name = next(n for n in names if n.endswith(".json"))
        document = json.loads(archive.read(json_name))
    assert mentee.email in json.dumps(document)
