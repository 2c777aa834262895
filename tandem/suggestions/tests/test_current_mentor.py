"""Find a mentor does not suggest the user's current mentor (nothing to ask them)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.mentorships.tests.factories import make_active
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_profile

pytestmark = pytest.mark.django_db
FIND = "/find/"


@pytest.fixture
def community(mentee, mentor):
    make_mentee_profile(mentee, seniority="senior")
    make_profile(mentor, is_mentor=True, capacity=3, hours_per_month=4, seniority="director")
    return [make_mentor(n, function="finance", industry="banking") for n in range(1, 3)]


def test_the_mentor_is_suggested_until_the_mentorship_starts(
    mentee, mentor, community, csrf_client_for, django_capture_on_commit_callbacks
):
    client = csrf_client_for(mentee)
    ask = reverse("mentorships:request_new", args=[mentor.pk])
    assert ask in client.get(FIND).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_active(mentee, mentor)
    html = client.get(FIND).content.decode()
    assert f'id="suggestion-{mentor.pk}"' not in html
    assert ask not in html
    assert "Mentor Number1" in html


def test_the_api_leaves_the_current_mentor_out(mentee, mentor, community, csrf_client_for):
    make_active(mentee, mentor)
    body = csrf_client_for(mentee).get("/api/v1/suggestions/").json()
    ids = {row["mentor"]["id"] for row in body["suggestions"]}
    assert mentor.pk not in ids and ids
