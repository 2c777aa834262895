"""The mentor directory: filters, full-text search in English and Indonesian, badges for
paused and full mentors, and a query count that does not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tandem.accounts.tests.factories import UserFactory
from tandem.people.models import Association
from tandem.people.selectors import DirectoryFilters, directory, directory_search
from tandem.people.tests.factories import OrganisationFactory, ProfileFactory, make_mentor

pytestmark = pytest.mark.django_db


def _names(viewer, **filters):
    qs = directory_search(viewer=viewer, filters=DirectoryFilters(**filters))
    return sorted(p.user.full_name for p in qs)


@pytest.fixture
def mentors(db):
    acme = OrganisationFactory(name="Acme")
    ieee = Association.objects.create(name="IEEE")
    ana = make_mentor(
        UserFactory(full_name="Ana"),
        headline="Engineering manager who loves distributed systems",
        guidance=("leadership", "promotion"),
        seniority="manager",
        languages="en,id",
        organisation=acme,
    )
    ana.associations.add(ieee)
    make_mentor(
        UserFactory(full_name="Bima", language="id"),
        headline="Kepala pemasaran digital",
        bio="Saya membantu orang pindah karier ke bidang pemasaran.",
        guidance=("changing-field",),
        function="marketing",
        industry="retail",
        languages="id",
    )
    make_mentor(
        UserFactory(full_name="Cleo"), headline="Data scientist", function="data", paused=True
    )
    make_mentor(
        UserFactory(full_name="Dan"), headline="Finance lead", function="finance", capacity=0
    )
    ProfileFactory(user=UserFactory(full_name="Eve"), headline="Engineer, not mentoring")
    return ana


def test_only_mentors_are_listed_including_paused_and_full(mentors, outsider):
    assert _names(outsider) == ["Ana", "Bima", "Cleo", "Dan"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"guidance": "leadership"}, ["Ana"]),
        ({"function": "marketing"}, ["Bima"]),
        ({"industry": "retail"}, ["Bima"]),
        ({"language": "id"}, ["Ana", "Bima"]),
        ({"language": "en"}, ["Ana", "Cleo", "Dan"]),
        ({"seniority": "manager"}, ["Ana"]),
        ({"availability": "accepting"}, ["Ana", "Bima"]),
        ({"availability": "paused"}, ["Cleo"]),
        ({"availability": "full"}, ["Dan"]),
    ],
)
def test_filters(mentors, outsider, filters, expected):
    assert _names(outsider, **filters) == expected


def test_organisation_and_association_filters(mentors, outsider):
    assert _names(outsider, organisation=mentors.organisation_id) == ["Ana"]
    association = mentors.associations.get()
    assert _names(outsider, association=association.pk) == ["Ana"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("distributed systems", ["Ana"]),
        ("SYSTEMS", ["Ana"]),
        ("pemasaran", ["Bima"]),
        ("pindah karier", ["Bima"]),
        ("nothing-matches-this", []),
    ],
)
def test_full_text_search_in_english_and_indonesian(mentors, outsider, q, expected):
    assert _names(outsider, q=q) == expected


def test_public_goals_are_searchable(outsider):
    make_mentor(UserFactory(full_name="Gita"), goals="Ingin belajar kepemimpinan strategis")
    assert _names(outsider, q="kepemimpinan") == ["Gita"]


@pytest.mark.postgres
def test_postgres_full_text_ranks_headline_matches_first(outsider):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    make_mentor(UserFactory(full_name="Bio"), headline="Coach", bio="I love payments")
    make_mentor(UserFactory(full_name="Head"), headline="Payments lead")
    qs = directory_search(viewer=outsider, filters=DirectoryFilters(q="payments"))
    assert [p.user.full_name for p in qs] == ["Head", "Bio"]


def test_directory_page_shows_badges(mentors, outsider_client):
    html = outsider_client.get(reverse("people:directory")).content.decode()
    assert "Paused: not taking requests now" in html
    assert "Full" in html
    assert "Taking requests" in html
    assert "Eve" not in html


def test_directory_filters_through_the_page_and_htmx(mentors, outsider_client):
    response = outsider_client.get(
        reverse("people:directory"), {"q": "pemasaran"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Bima" in html and "Ana" not in html
    assert "<html" not in html  # a partial


def test_directory_needs_login(client):
    assert client.get(reverse("people:directory")).status_code == 302


def _populate(n: int) -> None:
    acme = OrganisationFactory(name="Acme")
    ieee, _ = Association.objects.get_or_create(name="IEEE")
    for _i in range(n):
        profile = make_mentor(
            guidance=("promotion", "leadership"), organisation=acme, languages="en,id"
        )
        profile.associations.add(ieee)


@pytest.mark.parametrize("n", [5, 30])
def test_directory_query_count_does_not_grow(n, outsider_client, django_assert_num_queries):
    _populate(n)
    url = reverse("people:directory")
    outsider_client.get(url)  # warm the session
    # session + user, list items for the filters, count, page, 2 prefetches, the shell's
    # unread-notifications count,
    # organisation and association choices
    with django_assert_num_queries(10):
        response = outsider_client.get(url, {"q": "engineer", "guidance": "promotion"})
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 30])
def test_directory_api_query_count_does_not_grow(n, outsider_client, django_assert_num_queries):
    _populate(n)
    with django_assert_num_queries(6):
        data = outsider_client.get("/api/v1/people/directory", {"per_page": 50}).json()
    assert data["count"] == n


def test_directory_api_filters_and_paginates(mentors, outsider_client):
    data = outsider_client.get("/api/v1/people/directory", {"per_page": 2, "page": 2}).json()
    assert data["count"] == 4 and data["pages"] == 2 and data["page"] == 2
    assert len(data["results"]) == 2
    data = outsider_client.get("/api/v1/people/directory", {"availability": "paused"}).json()
    assert [r["name"] for r in data["results"]] == ["Cleo"]
    assert data["results"][0]["paused"] is True
    data = outsider_client.get("/api/v1/people/directory", {"availability": "full"}).json()
    assert data["results"][0]["at_capacity"] is True


def test_directory_api_rejects_a_bad_filter_with_field_errors(outsider_client):
    response = outsider_client.get("/api/v1/people/directory", {"availability": "soon"})
    assert response.status_code == 422


def test_hook_for_active_mentees_makes_mentors_full(mentors, outsider, monkeypatch):
    from django.db.models import Value

    monkeypatch.setattr(
        directory, "with_active_mentee_count", lambda qs: qs.annotate(active_mentees=Value(2))
    )
    assert "Ana" in _names(outsider, availability="full")
