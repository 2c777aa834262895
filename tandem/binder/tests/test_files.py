"""Files on critiques and assignments: attached on their pages and through the API, listed
there, downloaded by the two people of the mentorship only, deleted by their uploader."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from tandem.accounts.tests.factories import UserFactory
from tandem.attachments.models import Attachment
from tandem.attachments.tests.helpers import EXE, PDF, PNG
from tandem.binder import files, services
from tandem.meetings.tests.factories import make_mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def critique(mentorship, mentee):
    return services.critique_request(mentorship=mentorship, by=mentee, title="CV", work="w")


@pytest.fixture
def assignment(mentorship, mentor):
    return services.assignment_create(
        mentorship=mentorship,
        by=mentor,
        title="Plan",
        instructions="",
        due_date=timezone.localdate(),
    )


def _pdf(name: str = "cv.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _download(client, attachment):
    return client.get(reverse("attachments:download", args=[attachment.pk]))


# --- Pages ----------------------------------------------------------------------------------
def test_the_mentee_attaches_to_her_critique_and_both_download(
    critique, mentee, mentor, csrf_client_for, mentor_client
):
    client = csrf_client_for(mentee)
    url = reverse("binder:critique_files", args=[critique.pk])
    response = client.post(url, {"file": _pdf()})
    assert response.status_code == 302
    assert response["Location"] == reverse("binder:critique", args=[critique.pk])
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.object_id) == (files.CRITIQUE, critique.pk)
    assert attachment.uploaded_by == mentee
    page = mentor_client.get(reverse("binder:critique", args=[critique.pk]))
    assert "cv.pdf" in page.content.decode()
    assert reverse("attachments:download", args=[attachment.pk]) in page.content.decode()
    for who in (client, mentor_client):
        response = _download(who, attachment)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="cv.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_mentor_attaches_to_an_assignment_and_the_mentee_downloads(
    assignment, mentor, csrf_client_for, mentee_client
):
    client = csrf_client_for(mentor)
    url = reverse("binder:assignment_files", args=[assignment.pk])
    assert client.post(url, {"file": SimpleUploadedFile("brief.png", PNG)}).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    page = mentee_client.get(reverse("binder:assignment", args=[assignment.pk]))
    assert "brief.png" in page.content.decode()
    assert _download(mentee_client, attachment).status_code == 200


def test_the_upload_page_needs_the_csrf_token(critique, mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    url = reverse("binder:critique_files", args=[critique.pk])
    assert client.post(url, {"file": _pdf()}, without_csrf=True).status_code == 403
    assert not Attachment.objects.exists()


def test_a_refused_file_is_a_form_error_and_nothing_is_stored(
    critique, mentee, csrf_client_for, settings
):
    client = csrf_client_for(mentee)
    url = reverse("binder:critique_files", args=[critique.pk])
    before = sorted(storages["attachments"].listdir("")[0]) if _root_exists() else []
    wrong = client.post(url, {"file": _pdf("setup.pdf", EXE)})
    assert wrong.status_code == 415
    assert "PDF files, images" in wrong.content.decode()
    settings.TANDEM_ATTACHMENT_MAX_BYTES = 10
    big = client.post(url, {"file": _pdf()})
    assert big.status_code == 413
    assert "too large" in big.content.decode()
    assert client.post(url, {}).status_code == 422  # no file at all
    assert not Attachment.objects.exists()
    after = sorted(storages["attachments"].listdir("")[0]) if _root_exists() else []
    assert after == before


def _root_exists() -> bool:
    return storages["attachments"].exists("")


def test_the_uploader_deletes_their_file_the_other_side_cannot(
    critique, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        csrf_client_for(mentee).post(
            reverse("binder:critique_files", args=[critique.pk]), {"file": _pdf()}
        )
    attachment = Attachment.objects.get()
    delete = reverse("attachments:delete", args=[attachment.pk])
    assert csrf_client_for(mentor).post(delete).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(mentee).post(delete)
    assert response.status_code == 302
    assert response["Location"] == reverse("binder:critique", args=[critique.pk])
    assert not Attachment.objects.exists()
    assert not storages["attachments"].exists(attachment.stored_name)


def test_a_deleted_critique_takes_its_files(critique, mentee, django_capture_on_commit_callbacks):
    from tandem.attachments.services import attachment_add

    attachment = attachment_add(
        kind=files.CRITIQUE, object_id=critique.pk, by=mentee, upload=_pdf()
    )
    with django_capture_on_commit_callbacks(execute=True):
        critique.delete()
    assert not Attachment.objects.exists()
    assert not storages["attachments"].exists(attachment.stored_name)


def test_the_files_panel_speaks_indonesian(critique, mentor_client):
    with translation.override("id"):
        page = mentor_client.get(
            reverse("binder:critique", args=[critique.pk]), HTTP_ACCEPT_LANGUAGE="id"
        )
    text = page.content.decode()
    assert "Berkas" in text and "Lampirkan" in text


# --- Who is refused ------------------------------------------------------------------------
@pytest.fixture
def strangers(mentorship, manager):
    """The outsider, the pair's programme manager, and the two people of another pair."""
    from tandem.programs.models import Membership, Role
    from tandem.programs.tests.factories import make_programme

    programme = make_programme(manager)
    for user, role in (
        (mentorship.mentee, Role.MENTEE),
        (mentorship.mentor, Role.MENTOR),
    ):
        Membership.objects.get_or_create(programme=programme, user=user, defaults={"role": role})
    other_mentee, other_mentor = UserFactory(), UserFactory()
    make_mentorship(other_mentee, other_mentor)
    return [manager, other_mentee, other_mentor]


def test_everyone_else_gets_404(
    critique, assignment, mentee, mentor, outsider, strangers, csrf_client_for, token_client_for
):
    from tandem.attachments.services import attachment_add

    on_critique = attachment_add(
        kind=files.CRITIQUE, object_id=critique.pk, by=mentee, upload=_pdf()
    )
    on_assignment = attachment_add(
        kind=files.ASSIGNMENT, object_id=assignment.pk, by=mentor, upload=_pdf()
    )
    for user in [outsider, *strangers]:
        page, api = csrf_client_for(user), token_client_for(user)
        for attachment in (on_critique, on_assignment):
            assert _download(page, attachment).status_code == 404
            assert page.post(reverse("attachments:delete", args=[attachment.pk])).status_code == 404
            assert api.get(f"/api/v1/attachments/{attachment.pk}").status_code == 404
            assert api.delete(f"/api/v1/attachments/{attachment.pk}").status_code == 404
        for name, pk in (("critique", critique.pk), ("assignment", assignment.pk)):
            url = reverse(f"binder:{name}_files", args=[pk])
            assert page.post(url, {"file": _pdf()}).status_code == 404
            api_url = f"/api/v1/binder/{name}s/{pk}/files"
            assert api.get(api_url).status_code == 404
            assert api.post(api_url, {"file": _pdf()}).status_code == 404
    assert Attachment.objects.count() == 2


# --- API ------------------------------------------------------------------------------------
def test_api_multipart_upload_with_a_bearer_token(
    critique, assignment, mentee, mentor, token_client_for
):
    api = token_client_for(mentee)
    response = api.post(f"/api/v1/binder/critiques/{critique.pk}/files", {"file": _pdf()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "cv.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF)
    assert body["download_url"] == f"/api/v1/attachments/{body['id']}"
    mentor_api = token_client_for(mentor)
    listed = mentor_api.get(f"/api/v1/binder/critiques/{critique.pk}/files").json()
    assert [f["id"] for f in listed] == [body["id"]]
    download = mentor_api.get(body["download_url"])
    assert b"".join(download.streaming_content) == PDF
    upload = mentor_api.post(
        f"/api/v1/binder/assignments/{assignment.pk}/files",
        {"file": SimpleUploadedFile("notes.txt", b"Read chapter 3.\n")},
    )
    assert upload.status_code == 201
    assert upload.json()["content_type"] == "text/plain"


def test_api_refuses_too_large_and_wrong_types_clearly(
    critique, mentee, token_client_for, settings
):
    api = token_client_for(mentee)
    url = f"/api/v1/binder/critiques/{critique.pk}/files"
    wrong = api.post(url, {"file": _pdf("setup.pdf", EXE)})
    assert wrong.status_code == 415
    assert "PDF files" in wrong.json()["detail"]
    settings.TANDEM_ATTACHMENT_MAX_BYTES = 10
    big = api.post(url, {"file": _pdf()})
    assert big.status_code == 413
    assert big.json()["errors"]["file"]
    assert api.post(url, {}).status_code == 422
    assert not Attachment.objects.exists()


def test_api_session_upload_needs_the_csrf_header(critique, mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    url = f"/api/v1/binder/critiques/{critique.pk}/files"
    assert client.post(url, {"file": _pdf()}, without_csrf=True).status_code == 403
    assert client.post(url, {"file": _pdf()}).status_code == 201
