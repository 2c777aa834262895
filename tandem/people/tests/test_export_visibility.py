"""The people export (page, API, command line) honours each person's profile visibility:
staff and the command line export every field; anyone else allowed to export gets each
person as they may see them, with the cells of a field group hidden from them empty."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from tandem.people.csv import GROUP_COLUMNS
from tandem.people.models import FIELD_GROUPS, Visibility
from tandem.people.selectors import visibility
from tandem.people.tests.factories import ProfileFactory, items, make_role

pytestmark = pytest.mark.django_db

SECRET_GOALS = "Become head of payments by 2027"


@pytest.fixture
def importer(manager):
    manager.user_permissions.add(
        Permission.objects.get(content_type__app_label="people", codename="import_people")
    )
    return manager


@pytest.fixture
def private_profile(mentee):
    profile = ProfileFactory(
        user=mentee,
        goals=SECRET_GOALS,
        city="Bandung",
        work_style={"structure": 1},
        visibility_goals=Visibility.MENTORSHIP,
        visibility_contact=Visibility.PROGRAMME,
        visibility_values=Visibility.EVERYONE,
        visibility_career=Visibility.MENTORSHIP,
    )
    profile.values.set(items("value", "integrity"))
    profile.guidance_wanted.set(items("guidance", "promotion"))
    make_role(profile, "Secret Analyst")
    return profile


def _rows(body: bytes) -> dict[str, dict[str, str]]:
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    return {row["email"]: row for row in reader}


def _page(client) -> dict[str, dict[str, str]]:
    return _rows(b"".join(client.get(reverse("people:export")).streaming_content))


def _api(client) -> dict[str, dict[str, str]]:
    return _rows(b"".join(client.get("/api/v1/people/export").streaming_content))


def test_every_visibility_group_has_its_export_columns():
    assert set(GROUP_COLUMNS) == set(FIELD_GROUPS)
    assert all(GROUP_COLUMNS.values())


def test_an_importer_gets_hidden_fields_empty_on_the_page_and_in_the_api(
    private_profile, importer, csrf_client_for, token_client_for
):
    for rows in (_page(csrf_client_for(importer)), _api(token_client_for(importer))):
        row = rows["mentee@example.com"]
        assert row["goals"] == "" and row["guidance_wanted"] == ""  # mentorship only
        assert row["career"] == "" and row["manager_email"] == ""  # mentorship only
        assert row["city"] == ""  # programme members only
        assert row["values"] == "integrity" and row["work_style"] == "structure:1"  # everyone
        assert row["headline"] == private_profile.headline  # always public
        body = "".join(",".join(r.values()) for r in rows.values())
        assert SECRET_GOALS not in body and "Secret Analyst" not in body


def test_an_importer_in_a_mentorship_with_the_person_sees_what_is_shared_with_them(
    private_profile, importer, csrf_client_for, monkeypatch
):
    monkeypatch.setattr(visibility, "share_mentorship", lambda viewer, owner: True)
    row = _page(csrf_client_for(importer))["mentee@example.com"]
    assert row["goals"] == SECRET_GOALS and row["city"] == "Bandung"
    assert "Secret Analyst" in row["career"]


def test_a_programme_member_sees_programme_fields_but_not_mentorship_ones(
    private_profile, importer, csrf_client_for, monkeypatch
):
    monkeypatch.setattr(visibility, "share_programme", lambda viewer, owner: True)
    monkeypatch.setattr(visibility, "share_mentorship", lambda viewer, owner: False)
    row = _page(csrf_client_for(importer))["mentee@example.com"]
    assert row["city"] == "Bandung" and row["goals"] == ""


def test_staff_and_the_command_line_export_every_field(
    private_profile, manager, csrf_client_for, tmp_path
):
    manager.is_staff = True
    manager.save()
    row = _page(csrf_client_for(manager))["mentee@example.com"]
    assert row["goals"] == SECRET_GOALS and row["city"] == "Bandung"
    path = tmp_path / "people.csv"
    call_command("export", "people", str(path))
    row = _rows(path.read_bytes())["mentee@example.com"]
    assert row["goals"] == SECRET_GOALS and "Secret Analyst" in row["career"]


def test_an_importer_sees_their_own_profile_whole(importer, csrf_client_for):
    ProfileFactory(user=importer, goals="My own goals", visibility_goals=Visibility.MENTORSHIP)
    assert _page(csrf_client_for(importer))["manager@example.com"]["goals"] == "My own goals"


def test_outsiders_cannot_export(private_profile, outsider, csrf_client_for, token_client_for):
    assert csrf_client_for(outsider).get(reverse("people:export")).status_code == 404
    assert token_client_for(outsider).get("/api/v1/people/export").status_code == 404
