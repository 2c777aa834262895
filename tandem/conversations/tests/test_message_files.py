"""Files on messages: sent with a message on the page (multipart, HTMX too) and through the
API, checked as critiques' files are, downloaded by the two people of the conversation only,
refused once it is read-only, and part of the sender's data export."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.accounts.personal_data import collect
from tandem.attachments.models import Attachment
from tandem.attachments.tests.helpers import EXE, PDF, PNG
from tandem.conversations.models import MESSAGE_FILE_KIND, Message
from tandem.mentorships import services as mentorships
from tandem.mentorships.tests.factories import make_active

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentorship(mentee, mentor):
    return make_active(mentee, mentor)


def _pdf(name: str = "cv.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def page_url(pk):
    return reverse("conversations:thread", args=["mentorship", pk])


def api_url(pk, tail="messages/file"):
    return f"/api/v1/conversations/mentorship/{pk}/{tail}"


def _download(client, attachment):
    return client.get(reverse("attachments:download", args=[attachment.pk]))


# --- page -----------------------------------------------------------------------------------
def test_a_message_carries_a_file_on_the_page_and_both_download(
    mentorship, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    client = csrf_client_for(mentee)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(mentorship.pk), {"body": "My CV", "file": _pdf()})
    assert response.status_code == 302
    message = Message.objects.get()
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.object_id) == (MESSAGE_FILE_KIND, message.pk)
    assert attachment.uploaded_by == mentee
    assert "cv.pdf" in mail.outbox[0].body
    mentor_client = csrf_client_for(mentor)
    html = mentor_client.get(page_url(mentorship.pk)).content.decode()
    assert 'enctype="multipart/form-data"' in html and 'hx-encoding="multipart/form-data"' in html
    assert "cv.pdf" in html and reverse("attachments:download", args=[attachment.pk]) in html
    fragment = mentor_client.get(
        reverse("conversations:messages", args=["mentorship", mentorship.pk])
    )
    assert "cv.pdf" in fragment.content.decode()
    for who in (client, mentor_client):
        response = _download(who, attachment)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="cv.pdf"'


def test_a_file_alone_is_a_message_and_htmx_gets_the_fragment(mentorship, mentor, csrf_client_for):
    response = csrf_client_for(mentor).post(
        page_url(mentorship.pk),
        {"body": "", "file": SimpleUploadedFile("plan.png", PNG)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "plan.png" in html and "<html" not in html
    assert Message.objects.get().body == ""
    assert Attachment.objects.get().content_type == "image/png"


def test_a_refused_file_posts_nothing(mentorship, mentee, csrf_client_for, settings):
    client = csrf_client_for(mentee)
    bad = client.post(page_url(mentorship.pk), {"body": "x", "file": _pdf("a.exe", EXE)})
    assert bad.status_code == 415 and "Tandem takes PDF" in bad.content.decode()
    settings.TANDEM_ATTACHMENT_MAX_BYTES = 10
    big = client.post(page_url(mentorship.pk), {"body": "x", "file": _pdf()})
    assert big.status_code == 413
    assert client.post(page_url(mentorship.pk), {"body": ""}).status_code == 422
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_a_page_upload_needs_the_csrf_token(mentorship, mentee, csrf_client_for):
    response = csrf_client_for(mentee).post(
        page_url(mentorship.pk), {"body": "x", "file": _pdf()}, without_csrf=True
    )
    assert response.status_code == 403 and not Attachment.objects.exists()


def test_outsiders_and_managers_neither_download_nor_attach(
    mentorship, mentee, outsider, manager, csrf_client_for, token_client_for
):
    csrf_client_for(mentee).post(page_url(mentorship.pk), {"body": "cv", "file": _pdf()})
    attachment = Attachment.objects.get()
    for person in (outsider, manager):
        client = csrf_client_for(person)
        assert _download(client, attachment).status_code == 404
        response = client.post(page_url(mentorship.pk), {"body": "x", "file": _pdf()})
        assert response.status_code == 404
        api = token_client_for(person)
        assert api.get(f"/api/v1/attachments/{attachment.pk}").status_code == 404
        assert api.post(api_url(mentorship.pk), {"file": _pdf()}).status_code == 404
    assert Attachment.objects.count() == 1 and Message.objects.count() == 1


def test_an_ended_mentorship_takes_no_new_file(
    mentorship, mentee, mentor, csrf_client_for, token_client_for
):
    csrf_client_for(mentee).post(page_url(mentorship.pk), {"body": "cv", "file": _pdf()})
    mentorships.mentorship_end(mentorship=mentorship, user=mentor, completed=True)
    client = csrf_client_for(mentee)
    page = client.get(page_url(mentorship.pk)).content.decode()
    assert "cv.pdf" in page and 'name="file"' not in page
    response = client.post(page_url(mentorship.pk), {"body": "x", "file": _pdf("b.pdf")})
    assert response.status_code == 409
    api = token_client_for(mentor).post(api_url(mentorship.pk), {"file": _pdf("c.pdf")})
    assert api.status_code == 409
    assert Attachment.objects.count() == 1
    # What was shared stays readable to the two of them.
    assert _download(client, Attachment.objects.get()).status_code == 200


# --- API ------------------------------------------------------------------------------------
def test_the_api_posts_a_message_with_a_file(mentorship, mentee, mentor, token_client_for):
    created = token_client_for(mentee).post(
        api_url(mentorship.pk), {"body": "See attached", "file": _pdf()}
    )
    assert created.status_code == 201
    data = created.json()
    assert data["body"] == "See attached" and data["mine"] is True
    [file] = data["files"]
    assert file["name"] == "cv.pdf" and file["content_type"] == "application/pdf"
    mentor_api = token_client_for(mentor)
    [listed] = mentor_api.get(api_url(mentorship.pk, "messages")).json()
    assert [f["id"] for f in listed["files"]] == [file["id"]]
    download = mentor_api.get(file["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_api_refuses_bad_files(mentorship, mentee, token_client_for, settings):
    client = token_client_for(mentee)
    assert client.post(api_url(mentorship.pk), {"file": _pdf("a.exe", EXE)}).status_code == 415
    assert client.post(api_url(mentorship.pk), {"body": "x"}).status_code == 422
    settings.TANDEM_ATTACHMENT_MAX_BYTES = 10
    assert client.post(api_url(mentorship.pk), {"file": _pdf()}).status_code == 413
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_the_api_with_the_browser_session_needs_csrf(mentorship, mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    refused = client.post(api_url(mentorship.pk), {"file": _pdf()}, without_csrf=True)
    assert refused.status_code == 403 and not Attachment.objects.exists()
    assert client.post(api_url(mentorship.pk), {"file": _pdf()}).status_code == 201


# --- data export and deletion ---------------------------------------------------------------
def test_the_file_is_in_the_senders_export_and_goes_with_its_message(
    mentorship, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    csrf_client_for(mentee).post(page_url(mentorship.pk), {"body": "cv", "file": _pdf()})
    message = Message.objects.get()
    data, _files = collect(mentee)
    [row] = data["attachments"]["files_attached"]
    assert (row["kind"], row["object_id"], row["original_name"]) == (
        MESSAGE_FILE_KIND,
        message.pk,
        "cv.pdf",
    )
    assert "stored_name" not in row
    assert collect(mentor)[0]["attachments"]["files_attached"] == []
    with django_capture_on_commit_callbacks(execute=True):
        message.delete()
    assert not Attachment.objects.exists()
