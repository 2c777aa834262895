"""CSV import and export: every bad row reported, all or nothing, idempotent, BOM and
Excel delimiters, round trip, the page, the API and the command line."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tandem.accounts.models import User
from tandem.people.csv import COLUMNS, export_rows, import_people
from tandem.people.models import Association, CareerRole, Organisation, Profile
from tandem.people.selectors import reporting_chain

pytestmark = pytest.mark.django_db

HEADER = (
    "email,first_name,last_name,language,timezone,headline,languages,organisation,competitors,"
    "function,seniority,industry,manager_email,roles,values,work_style,capacity,paused,career,"
    "associations,guidance_offered\n"
)
GOOD = HEADER + (
    "Ana@Example.com,Ana,Lee,en,Asia/Jakarta,Engineer,en;id,Acme,Globex,engineering,senior,"
    "software,boss@example.com,mentor,integrity;learning,structure:1;feedback:-1,3,no,"
    "Dev|engineering|junior|software|Acme|2019-01|2021-02;"
    "Senior Dev|engineering|senior|software|Acme|2021-03|,"
    "IEEE,promotion;Leadership\n"
    "boss@example.com,Bu,Sri,id,Asia/Jakarta,Direktur,id,Acme,,general-management,director,"
    "software,,mentee;mentor,,,0,ya,,,\n"
)


def _snapshot() -> list[list[str]]:
    return list(export_rows(viewer=None))


def test_import_creates_people_with_everything():
    result = import_people(GOOD)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    ana = User.objects.get(email="ana@example.com")
    assert ana.full_name == "Ana Lee" and ana.timezone == "Asia/Jakarta"
    profile = ana.profile
    assert profile.language_list == ["en", "id"]
    assert profile.organisation.name == "Acme"
    assert profile.is_mentor and not profile.is_mentee
    assert profile.capacity == 3 and profile.work_style == {"structure": 1, "feedback": -1}
    assert {v.slug for v in profile.values.all()} == {"integrity", "learning"}
    assert {g.slug for g in profile.guidance_offered.all()} == {"promotion", "leadership"}
    assert [r.title for r in profile.career_roles.order_by("start")] == ["Dev", "Senior Dev"]
    assert profile.career_roles.get(title="Senior Dev").end is None
    assert [u.email for u in reporting_chain(ana)] == ["boss@example.com"]  # manager later in file
    acme = Organisation.objects.get(name="Acme")
    assert [o.name for o in acme.competitors.all()] == ["Globex"]
    assert [o.name for o in Organisation.objects.get(name="Globex").competitors.all()] == ["Acme"]
    assert Association.objects.get(name="IEEE").members.count() == 1
    boss = User.objects.get(email="boss@example.com").profile
    assert boss.paused and boss.is_mentee and boss.is_mentor


def test_importing_the_same_file_twice_changes_nothing():
    import_people(GOOD)
    before = _snapshot()
    roles = list(CareerRole.objects.values_list("pk", flat=True))
    result = import_people(GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert _snapshot() == before
    assert list(CareerRole.objects.values_list("pk", flat=True)) == roles


def test_people_are_matched_by_email_ignoring_case(mentee):
    result = import_people("email,headline\nMENTEE@example.COM,Analyst\n")
    assert result.ok and result.updated == 1 and result.created == 0
    assert Profile.objects.get(user=mentee).headline == "Analyst"
    mentee.refresh_from_db()
    assert mentee.full_name == "Maya Mentee"  # columns not in the file stay as they are


def test_every_bad_row_is_reported_and_nothing_is_imported():
    data = HEADER + (
        "ok@example.com,Ok,Row,en,UTC,,en,,,,,,,,,,,,,,\n"
        "not-an-email,A,B,xx,Mars/Base,,klingon,,,nope,,,,,,,abc,maybe,,,\n"
        "ok@example.com,Dup,Row,en,UTC,,,,,,,,,,,,,,,,\n"
        "c@example.com,C,D,en,UTC,,,,,,,,ghost@example.com,boss,a;b;c;d;e;f,structure:5,,,"
        "Role|engineering|senior|software|Acme|2021-13|,,\n"
    )
    result = import_people(data)
    by_line: dict[int, set[str]] = {}
    for error in result.errors:
        by_line.setdefault(error.line, set()).add(error.column)
    assert by_line[3] == {
        "email", "language", "timezone", "languages", "function", "capacity", "paused"
    }  # fmt: skip
    assert by_line[4] == {"email"}
    assert by_line[5] == {"roles", "values", "work_style", "career"}
    assert 2 not in by_line
    assert not User.objects.exists() and not Profile.objects.exists()
    assert not Organisation.objects.exists()


def test_unknown_manager_is_reported_with_its_line():
    result = import_people("email,manager_email\na@example.com,\nb@example.com,ghost@example.com\n")
    assert [(e.line, e.column) for e in result.errors] == [(3, "manager_email")]
    assert not User.objects.exists()


def test_bom_and_semicolon_delimiter_as_excel_writes_them():
    data = (
        "\ufeffemail;first_name;last_name;languages;values\r\n"
        "siti@example.com;Siti;Rahma;id;integrity\r\n"
    )
    result = import_people(data.encode("utf-8"))
    assert result.ok, result.errors
    profile = User.objects.get(email="siti@example.com").profile
    assert profile.language_list == ["id"]
    assert [v.slug for v in profile.values.all()] == ["integrity"]


def test_tab_delimiter_and_quoted_multiline_cells():
    data = 'email\tbio\na@example.com\t"Line one\nline two; still bio"\nb@example.com\tshort\n'
    result = import_people(data.encode())
    assert result.ok, result.errors
    assert User.objects.get(email="a@example.com").profile.bio == "Line one\nline two; still bio"


def test_line_numbers_count_multiline_cells():
    data = 'email,bio,capacity\na@example.com,"two\nlines",1\nb@example.com,x,many\n'
    result = import_people(data)
    assert [(e.line, e.column) for e in result.errors] == [(4, "capacity")]


def test_list_names_in_indonesian_are_accepted():
    result = import_people(
        "email,values,guidance_wanted\na@example.com,Integritas;belajar,Promosi\n"
    )
    assert result.ok, result.errors
    profile = User.objects.get(email="a@example.com").profile
    assert {v.slug for v in profile.values.all()} == {"integrity", "learning"}


def test_file_problems_are_reported():
    assert "UTF-8" in import_people(b"email\n\xff\xfe\xfa").errors[0].message
    assert "email" in import_people("name,city\nA,B\n").errors[0].message
    assert (
        "Unknown columns" in import_people("email,shoe_size\na@example.com,44\n").errors[0].message
    )


def test_export_then_import_changes_nothing():
    import_people(GOOD)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(viewer=None):
        writer.writerow(row)
    exported = out.getvalue()
    assert exported.splitlines()[0] == ",".join(COLUMNS)
    before = _snapshot()
    result = import_people(exported)
    assert result.ok and result.unchanged == 2 and result.updated == 0
    assert _snapshot() == before


def test_a_changed_row_updates_lists_and_career():
    import_people(GOOD)
    changed = GOOD.replace("integrity;learning", "courage").replace(
        "Dev|engineering|junior|software|Acme|2019-01|2021-02;", ""
    )
    result = import_people(changed)
    assert result.updated == 1 and result.unchanged == 1
    profile = User.objects.get(email="ana@example.com").profile
    assert [v.slug for v in profile.values.all()] == ["courage"]
    assert [r.title for r in profile.career_roles.all()] == ["Senior Dev"]


def test_command_line_import_and_export(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import", "people", str(path))
    assert User.objects.count() == 2
    out_path = tmp_path / "out.csv"
    call_command("export", "people", str(out_path))
    text = out_path.read_text(encoding="utf-8")
    assert "ana@example.com" in text
    call_command("import", "people", str(out_path))
    assert User.objects.count() == 2


def test_command_line_reports_bad_rows(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("email,capacity\na@example.com,lots\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "people", str(path), stderr=err)
    assert f"{path}:2: capacity:" in err.getvalue()
    assert not User.objects.exists()


# --- The page and the API -------------------------------------------------------------------


@pytest.fixture
def importer(manager):
    manager.user_permissions.add(
        Permission.objects.get(content_type__app_label="people", codename="import_people")
    )
    return manager


def test_import_page_is_404_for_people_without_permission(outsider_client):
    assert outsider_client.get(reverse("people:import")).status_code == 404
    assert outsider_client.get(reverse("people:import_columns")).status_code == 404
    assert outsider_client.get(reverse("people:export")).status_code == 404
    upload = SimpleUploadedFile("p.csv", GOOD.encode(), content_type="text/csv")
    assert outsider_client.post(reverse("people:import"), {"file": upload}).status_code == 404
    assert not User.objects.filter(email="ana@example.com").exists()


def test_import_page_lists_every_problem(importer, manager_client):
    upload = SimpleUploadedFile("p.csv", b"email,capacity\na@example.com,x\nnope,1\n")
    html = manager_client.post(reverse("people:import"), {"file": upload}).content.decode()
    assert "Nothing was imported: 2 problems to fix" in html
    assert "<td>2</td>" in html and "<td>3</td>" in html


def test_import_page_imports_and_export_downloads(importer, manager_client):
    upload = SimpleUploadedFile("p.csv", GOOD.encode())
    response = manager_client.post(reverse("people:import"), {"file": upload}, follow=True)
    assert "Imported 2 rows: 2 new" in response.content.decode()
    response = manager_client.get(reverse("people:export"))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffemail,")
    assert "ana@example.com" in body
    assert manager_client.get(reverse("people:import_columns")).status_code == 200


def test_staff_may_import(manager, manager_client):
    manager.is_staff = True
    manager.save()
    assert manager_client.get(reverse("people:import")).status_code == 200


def test_api_import_returns_errors_or_counts(importer, manager_client):
    bad = SimpleUploadedFile("p.csv", b"email,paused\na@example.com,perhaps\n")
    response = manager_client.post("/api/v1/people/import", {"file": bad})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"line": 2, "column": "paused", "message": "Write true or false, not “perhaps”."}
    ]
    good = SimpleUploadedFile("p.csv", GOOD.encode())
    response = manager_client.post("/api/v1/people/import", {"file": good})
    assert response.status_code == 200
    assert response.json()["created"] == 2
    response = manager_client.get("/api/v1/people/export")
    assert response.status_code == 200
    assert "ana@example.com" in b"".join(response.streaming_content).decode()


def test_api_import_and_export_are_404_for_outsiders(outsider_client):
    upload = SimpleUploadedFile("p.csv", GOOD.encode())
    assert outsider_client.post("/api/v1/people/import", {"file": upload}).status_code == 404
    assert outsider_client.get("/api/v1/people/export").status_code == 404
