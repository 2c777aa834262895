"""A programme's pin goes through the one relationship rule check: never one's own manager."""

from __future__ import annotations

import pytest

from tandem.people.models import Profile
from tandem.programs.models import PairRule
from tandem.programs.tests.factories import make_cohort, make_programme

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words"), [("en", "own manager"), ("id", "atasannya sendiri")]
)
def test_pinning_a_mentee_to_her_own_manager_is_refused_naming_the_rule(
    manager, csrf_client_for, language, words
):
    programme = make_programme(manager)
    (mentee,), (boss, other) = make_cohort(programme, mentees=1, mentors=2)
    Profile.objects.filter(user=mentee).update(manager=boss)
    manager.language = language
    manager.save(update_fields=["language"])
    client = csrf_client_for(manager)
    url = f"/api/v1/programs/{programme.pk}/rules"
    refused = client.post(
        url,
        {"mentee_id": mentee.pk, "mentor_id": boss.pk, "kind": "pin"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert words in str(refused.json()["errors"]["mentor_id"]).lower()
    assert not PairRule.objects.filter(mentor=boss).exists()
    allowed = client.post(
        url,
        {"mentee_id": mentee.pk, "mentor_id": other.pk, "kind": "pin"},
        content_type="application/json",
    )
    assert allowed.status_code in (200, 201, 204)
    assert PairRule.objects.filter(mentor=other, kind=PairRule.Kind.PIN).exists()
