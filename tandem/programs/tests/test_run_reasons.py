"""A run's reasons read as Find a mentor's do: one renderer names the reference-list values
("product", "software", "promotion") in the reader's language, on the run page, its CSV and
the API, and speaks about the pair to the manager who reads it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.people.models import ListItem, ListKind
from tandem.programs.tests.factories import make_cohort, make_programme, start_run

pytestmark = pytest.mark.django_db

# Only career and guidance count, so the reasons are about function, industry and help.
WEIGHTS = {
    "career": 1.0,
    "seniority": 0.0,
    "guidance": 1.0,
    "values": 0.0,
    "style": 0.0,
    "text": 0.0,
    "language_time": 0.0,
    "availability": 0.0,
}


def _profile(user, *, wanted: str = "", offered: str = "") -> None:
    profile = user.profile
    profile.function = ListItem.objects.get(kind=ListKind.FUNCTION, slug="product")
    profile.industry = ListItem.objects.get(kind=ListKind.INDUSTRY, slug="software")
    profile.save()
    if wanted:
        profile.guidance_wanted.set([ListItem.objects.get(kind=ListKind.GUIDANCE, slug=wanted)])
    if offered:
        profile.guidance_offered.set([ListItem.objects.get(kind=ListKind.GUIDANCE, slug=offered)])


@pytest.fixture
def run(manager, django_capture_on_commit_callbacks):
    programme = make_programme(manager)
    mentees, mentors = make_cohort(programme, mentees=1, mentors=1)
    _profile(mentees[0], wanted="promotion")
    _profile(mentors[0], offered="promotion")
    return start_run(programme, manager, django_capture_on_commit_callbacks, weights=WEIGHTS)


def _reasons(body: str) -> str:
    cells = re.findall(r'<tr id="pair-\d+">.*?<ul>(.*?)</ul>', body, flags=re.S)
    assert cells, "no reasons on the page"
    return " ".join(cells)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Both work in Product management",
                "Both know the Software industry",
                "The mentor offers the help the mentee wants: Promotion",
            ],
        ),
        (
            "id",
            [
                "Keduanya bekerja di bidang Manajemen produk",
                "Keduanya mengenal industri Perangkat lunak",
                "Mentor menawarkan bantuan yang dicari mentee: Promosi",
            ],
        ),
    ],
)
def test_the_run_page_names_the_reasons_values_in_the_managers_language(
    run, manager, manager_client, language, expected
):
    manager.language = language
    manager.save(update_fields=["language"])
    body = manager_client.get(
        reverse("programs:run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    reasons = _reasons(body)
    for sentence in expected:
        assert sentence in reasons
    for code in ("product", "software", "promotion"):
        assert code not in reasons
    # A manager reads about the pair: never "you" as if the manager were one of them.
    assert "You " not in reasons and "Anda" not in reasons


def test_the_csv_and_the_api_use_the_same_renderer(run, manager, manager_client):
    manager.language = "id"
    manager.save(update_fields=["language"])
    csv = manager_client.get(reverse("programs:run", args=[run.pk]), {"format": "csv"})
    assert "Keduanya bekerja di bidang Manajemen produk" in csv.content.decode()
    api = manager_client.get(f"/api/v1/programs/runs/{run.pk}").json()
    assert "Mentor menawarkan bantuan yang dicari mentee: Promosi" in api["pairs"][0]["reasons"]
