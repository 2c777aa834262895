"""What a mentor hid (values and style, humour, career history with past employers) shows in
no reason, no score component and no score of Find a mentor, on the page and the API.

The probe is the one an outsider would run: change their own values (or past employers) one
at a time and watch the mentor's `components` and `score`. Against a mentor who shows those
fields to everyone the same probe does move the numbers, so the test can fail."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.people.models import CareerRole, ListKind, Visibility
from tandem.suggestions import index
from tandem.suggestions.tests.factories import item, make_mentee_profile, make_mentor, org

pytestmark = pytest.mark.django_db

API = "/api/v1/suggestions/"
VALUE_SLUGS = ["integrity", "curiosity", "family", "ambition", "balance", "courage"]


@pytest.fixture
def mentors(outsider):
    make_mentee_profile(outsider, function="sales", industry="retail")
    hidden = make_mentor(
        1,
        values=("integrity", "courage"),
        roles=(("engineering", "senior", "Rahasia Corp"),),
        visibility_values=Visibility.MENTORSHIP,
        visibility_career=Visibility.PROGRAMME,
    )
    shown = make_mentor(
        2,
        values=("integrity", "courage"),
        roles=(("engineering", "senior", "Rahasia Corp"),),
    )
    for user in (hidden, shown):
        user.profile.humour.set([item(ListKind.HUMOUR, "dry")])
    return {"hidden": hidden, "shown": shown}


def _by_mentor(client) -> dict[int, dict]:
    response = client.get(API, {"limit": 10})
    assert response.status_code == 200
    return {s["mentor"]["id"]: s for s in response.json()["suggestions"]}


def _set_values(user, slugs):
    user.profile.values.set([item(ListKind.VALUE, s) for s in slugs])
    index.invalidate()


@pytest.mark.parametrize("kind", ["csrf", "token"])
def test_changing_my_values_one_at_a_time_reveals_nothing_hidden(
    outsider, mentors, kind, csrf_client_for, token_client_for
):
    client = (csrf_client_for if kind == "csrf" else token_client_for)(outsider)
    hidden, shown = mentors["hidden"].pk, mentors["shown"].pk
    seen_hidden, seen_shown = set(), set()
    for slug in VALUE_SLUGS:
        _set_values(outsider, [slug])
        rows = _by_mentor(client)
        seen_hidden.add((rows[hidden]["components"]["values"], rows[hidden]["score"]))
        seen_shown.add(rows[shown]["components"]["values"])
        assert not any("Integrity" in r or "Courage" in r for r in rows[hidden]["reasons"])
    assert seen_hidden == {(0.0, next(iter(seen_hidden))[1])}
    assert len(seen_shown) > 1  # the same probe does read values a mentor shows everyone


def test_hidden_humour_and_past_employers_are_in_no_reason_nor_component(
    outsider, mentors, csrf_client_for
):
    """A past employer in common with the mentor, against one nobody shares: the same for the
    mentor who hid their career; more career fit with the one who shows it."""
    profile = outsider.profile
    profile.humour.set([item(ListKind.HUMOUR, "dry")])
    _set_values(outsider, ["integrity"])
    role = CareerRole.objects.create(
        profile=profile,
        title="Analyst",
        function=item(ListKind.FUNCTION, "engineering"),
        seniority=item(ListKind.SENIORITY, "junior"),
        organisation=org("Lain Corp"),
        start="2012-01-01",
    )
    index.invalidate()
    client = csrf_client_for(outsider)
    before = _by_mentor(client)
    role.organisation = org("Rahasia Corp")
    role.save()
    index.invalidate()
    after = _by_mentor(client)
    hidden, shown = mentors["hidden"].pk, mentors["shown"].pk
    assert after[hidden]["components"] == before[hidden]["components"]
    assert after[hidden]["score"] == before[hidden]["score"]
    assert after[shown]["components"]["career"] > before[shown]["components"]["career"]
    assert after[shown]["components"]["style"] > after[hidden]["components"]["style"]
    text = " ".join(after[hidden]["reasons"])
    assert "Rahasia" not in text and "humour" not in text and "Integrity" not in text
    page = client.get(reverse("suggestions:find")).content.decode()
    assert not re.findall(r'href="/mentorships/ask/\d+/\?', page)  # nothing in the address
    # The request form says why itself, with the same care.
    form = {
        pk: client.get(reverse("mentorships:request_new", args=[pk])).content.decode()
        for pk in (shown, hidden)
    }
    assert "Rahasia" in form[shown] and "Rahasia" not in form[hidden]


def test_the_find_a_mentor_page_names_no_hidden_value(outsider, mentors, csrf_client_for):
    _set_values(outsider, ["integrity", "courage"])
    page = csrf_client_for(outsider).get(reverse("suggestions:find")).content.decode()
    # The mentor who shows their values shares them in a reason; the one who hid them never.
    assert page.count("You share the values: Courage, Integrity") == 1
