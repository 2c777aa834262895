"""The attachments app on its own: limits by content, the registry failing closed, the
download's headers, deletion on commit, the data export's selector, and the storage switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import Http404
from django.urls import reverse

from tandem.attachments import checks, registry, selectors, services
from tandem.attachments.models import Attachment
from tandem.attachments.tests.helpers import EXE, PDF, PNG, TEXT, settings_with, upload
from tandem.matching.tests.helpers import require

pytestmark = pytest.mark.django_db

KIND = "test.thing"


def _stored_files() -> list[str]:
    root = Path(storages["attachments"].location)
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- What a file must be --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("work.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("notes.txt", TEXT, "text/plain"),
        ("notes.md", TEXT, "text/plain"),
    ],
)
def test_a_file_is_known_by_its_content(name, content, expected):
    checked = checks.check_upload(upload(name, content, content_type="application/x-anything"))
    assert checked.content_type == expected
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", EXE),  # a program named like a PDF
        ("work.png", PDF),  # a PDF named like an image
        ("work.exe", EXE),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),  # text named like a PDF
        ("notes.txt", b"\x00\x01\x02binary\xff"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 40),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_a_type_tandem_does_not_take_is_refused(name, content):
    with pytest.raises(ValidationError) as caught:
        checks.check_upload(upload(name, content))
    assert checks.error_status(caught.value) == 415
    assert "PDF" in caught.value.message_dict["file"][0]


def test_too_large_and_empty_files_are_refused(settings):
    settings.TANDEM_ATTACHMENT_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError) as caught:
        checks.check_upload(upload())
    assert checks.error_status(caught.value) == 413
    assert "too large" in caught.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as caught:
        checks.check_upload(upload("empty.pdf", b""))
    assert checks.error_status(caught.value) == 422


def test_the_name_loses_its_folders_and_is_limited_in_length():
    assert checks.check_upload(upload("C:\\Users\\maya\\work.pdf")).name == "work.pdf"
    assert checks.check_upload(upload("../../etc/work\x00.pdf")).name == "work.pdf"
    # Django's upload handling already cuts a longer name to 255, keeping its extension.
    long = checks.check_upload(upload("a" * 300 + ".pdf")).name
    assert len(long) == 255 and long.endswith(".pdf")
    with pytest.raises(ValidationError) as caught:
        checks.clean_name("a" * 256)
    assert checks.error_status(caught.value) == 422


# --- Storing and deleting --------------------------------------------------------------------
def test_a_refused_file_stores_nothing(thing_kind, mentee, settings):
    before = _stored_files()
    settings.TANDEM_ATTACHMENT_MAX_BYTES = 10
    for bad in (upload(), upload("x.pdf", EXE)):
        with pytest.raises(ValidationError):
            services.attachment_add(kind=thing_kind, object_id=1, by=mentee, upload=bad)
    assert Attachment.objects.count() == 0
    assert _stored_files() == before


def test_an_attached_file_is_stored_privately_under_a_random_name(thing_kind, mentee):
    attachment = services.attachment_add(kind=thing_kind, object_id=1, by=mentee, upload=upload())
    assert attachment.original_name == "work.pdf"
    assert attachment.content_type == "application/pdf"
    assert "work" not in attachment.stored_name
    with storages["attachments"].open(attachment.stored_name, "rb") as handle:
        assert handle.read() == PDF


def test_only_the_kind_decides_who_attaches(thing_kind, mentee, outsider):
    with pytest.raises(ValidationError):
        services.attachment_add(kind=thing_kind, object_id=1, by=outsider, upload=upload())
    with pytest.raises(ValidationError):
        services.attachment_add(kind=thing_kind, object_id=2, by=mentee, upload=upload())
    assert Attachment.objects.count() == 0


def test_an_unregistered_kind_fails_closed(mentee):
    with pytest.raises(ValidationError):
        services.attachment_add(kind="nobody.registered", object_id=1, by=mentee, upload=upload())
    orphan = Attachment.objects.create(
        kind="nobody.registered",
        object_id=1,
        uploaded_by=mentee,
        stored_name="x/orphan",
        original_name="a.pdf",
        size=1,
        content_type="application/pdf",
    )
    assert not registry.can_see(mentee, orphan)
    with pytest.raises(Http404):
        selectors.get_attachment_for_user(mentee, orphan.pk)


def test_the_uploader_deletes_and_the_file_goes_on_commit(
    thing_kind, mentee, mentor, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(kind=thing_kind, object_id=1, by=mentee, upload=upload())
    name = attachment.stored_name
    with pytest.raises(ValidationError):
        services.attachment_delete(attachment=attachment, by=mentor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.attachment_delete(attachment=attachment, by=mentee)
    assert storages["attachments"].exists(name)  # not before the commit
    for callback in callbacks:
        callback()
    assert not storages["attachments"].exists(name)
    assert not Attachment.objects.exists()


def test_the_data_export_selector_lists_what_the_person_attached(thing_kind, mentee, mentor):
    mine = services.attachment_add(kind=thing_kind, object_id=1, by=mentee, upload=upload())
    services.attachment_add(kind=thing_kind, object_id=1, by=mentor, upload=upload("b.png", PNG))
    assert list(selectors.attachments_of_user(mentee)) == [mine]
    assert selectors.attachments_of_user(mentee).count() == 1


# --- The download ---------------------------------------------------------------------------
def test_download_is_an_attachment_with_its_real_type(thing_kind, mentee, mentor_client, client):
    attachment = services.attachment_add(
        kind=thing_kind, object_id=1, by=mentee, upload=upload("Laporan akhir.pdf")
    )
    url = reverse("attachments:download", args=[attachment.pk])
    response = mentor_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Laporan" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    anonymous = client.get(url)
    assert anonymous.status_code == 302


def test_outsiders_get_404_on_download_and_delete(
    thing_kind, mentee, outsider_client, csrf_client_for, outsider
):
    attachment = services.attachment_add(kind=thing_kind, object_id=1, by=mentee, upload=upload())
    assert (
        outsider_client.get(reverse("attachments:download", args=[attachment.pk])).status_code
        == 404
    )
    form = csrf_client_for(outsider)
    assert form.post(reverse("attachments:delete", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_the_delete_page_needs_the_csrf_token(thing_kind, mentee, csrf_client_for):
    attachment = services.attachment_add(kind=thing_kind, object_id=1, by=mentee, upload=upload())
    client = csrf_client_for(mentee)
    url = reverse("attachments:delete", args=[attachment.pk])
    assert client.post(url, without_csrf=True).status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert client.post(url).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_api_download_and_delete(thing_kind, mentee, mentor, token_client_for):
    attachment = services.attachment_add(kind=thing_kind, object_id=1, by=mentee, upload=upload())
    url = f"/api/v1/attachments/{attachment.pk}"
    mentor_api = token_client_for(mentor)
    response = mentor_api.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert mentor_api.delete(url).status_code == 404  # not his to delete
    assert token_client_for(mentee).delete(url).status_code == 204
    assert mentor_api.get(url).status_code == 404


# --- Where files are kept -------------------------------------------------------------------


def test_files_are_kept_in_a_private_folder_by_default(monkeypatch):
    conf = settings_with(monkeypatch)
    storage = conf["STORAGES"]["attachments"]
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    location = Path(storage["OPTIONS"]["location"])
    assert location == conf["DATA_DIR"] / "attachments"
    assert not location.is_relative_to(conf["STATIC_ROOT"])
    assert storage["OPTIONS"]["file_permissions_mode"] == 0o600


def test_an_s3_bucket_when_configured(monkeypatch):
    """The switch, without any network: settings name django-storages' S3 backend with the
    bucket, endpoint and keys from the environment."""
    conf = settings_with(
        monkeypatch,
        TANDEM_ATTACHMENTS_S3_BUCKET="tandem-files",
        TANDEM_ATTACHMENTS_S3_ENDPOINT="https://s3.example.org",
        TANDEM_ATTACHMENTS_S3_REGION="eu-central-1",
        TANDEM_ATTACHMENTS_S3_ACCESS_KEY="AKIAEXAMPLE",
        TANDEM_ATTACHMENTS_S3_SECRET_KEY="secret",
    )
    storage = conf["STORAGES"]["attachments"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "tandem-files",
        "endpoint_url": "https://s3.example.org",
        "region_name": "eu-central-1",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "secret",
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
    }
    # With the s3 extra installed, the backend builds from these options (no request yet).
    require("storages")
    from django.core.files.storage.handler import StorageHandler

    built = StorageHandler({"attachments": storage})["attachments"]
    assert built.bucket_name == "tandem-files"


def test_tandem_check_refuses_a_folder_the_web_server_serves(settings):
    from tandem.attachments.system_checks import attachments_folder_is_private

    assert attachments_folder_is_private() == []
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(Path(settings.STATIC_ROOT) / "files")},
        },
    }
    assert [e.id for e in attachments_folder_is_private()] == ["tandem.attachments.E001"]
