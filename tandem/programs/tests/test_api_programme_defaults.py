"""Creating a programme through the API: what the request leaves out takes the model's
defaults, read when the request is made, so the check-in days follow
`TANDEM_PROGRAM_CHECKIN_*` as the pages' form does."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from tandem.programs.models import Programme
from tandem.programs.tests.factories import grant_creation

pytestmark = pytest.mark.django_db


@override_settings(TANDEM_PROGRAM_CHECKIN_FIRST_DAYS=14, TANDEM_PROGRAM_CHECKIN_EVERY_DAYS=21)
def test_api_programme_takes_its_checkin_days_from_settings(manager, csrf_client_for):
    client = csrf_client_for(grant_creation(manager))
    response = client.post(
        "/api/v1/programs/", {"name": "Settings cohort"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["checkin_first_days"], body["checkin_every_days"]) == (14, 21)
    programme = Programme.objects.get(pk=body["id"])
    assert (programme.checkin_first_days, programme.checkin_every_days) == (14, 21)
    # Every other field left out is the model's own default.
    for name in ("kind", "matching_mode", "approval", "mentor_capacity", "duration_months"):
        assert body[name] == Programme._meta.get_field(name).get_default(), name


def test_api_defaults_follow_a_settings_change_without_a_restart(manager, token_client_for):
    client = token_client_for(grant_creation(manager))
    made = []
    for first, every in ((7, 10), (45, 90)):
        with override_settings(
            TANDEM_PROGRAM_CHECKIN_FIRST_DAYS=first,
            TANDEM_PROGRAM_CHECKIN_EVERY_DAYS=every,
            LANGUAGE_CODE="id",
        ):
            response = client.post(
                "/api/v1/programs/", {"name": f"Cohort {first}"}, content_type="application/json"
            )
        assert response.status_code == 201, response.content
        made.append(
            (
                response.json()["checkin_first_days"],
                response.json()["checkin_every_days"],
                response.json()["language"],
            )
        )
    assert made == [(7, 10, "id"), (45, 90, "id")]
    # Given values win over the defaults.
    given = client.post(
        "/api/v1/programs/",
        {"name": "Given", "checkin_first_days": 3, "checkin_every_days": 4},
        content_type="application/json",
    ).json()
    assert (given["checkin_first_days"], given["checkin_every_days"]) == (3, 4)


@override_settings(TANDEM_PROGRAM_CHECKIN_FIRST_DAYS=12, TANDEM_PROGRAM_CHECKIN_EVERY_DAYS=24)
def test_the_pages_form_offers_the_same_settings_defaults(manager, manager_client):
    grant_creation(manager)
    form = manager_client.get(reverse("programs:create")).content.decode()
    assert 'name="checkin_first_days" value="12"' in form
    assert 'name="checkin_every_days" value="24"' in form


def test_an_outsider_without_the_right_gets_403_and_nothing_is_made(outsider, csrf_client_for):
    response = csrf_client_for(outsider).post(
        "/api/v1/programs/", {"name": "Nope"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Programme.objects.exists()
