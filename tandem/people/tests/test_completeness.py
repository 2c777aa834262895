from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.people.completeness import ProfileFacts, completeness
from tandem.people.selectors import profile_completeness
from tandem.people.tests.factories import ProfileFactory, item, items, make_role

FULL = ProfileFacts(
    headline="Product lead",
    bio="I build payment products and like helping new managers grow.",
    languages=["en"],
    has_location=True,
    has_position=True,
    career_roles=2,
    values=3,
    work_style_axes=3,
    humour=1,
    is_mentee=True,
    goals="Promotion to manager within a year",
    guidance_wanted=1,
)


def test_a_complete_mentee_profile_is_100_percent():
    result = completeness(FULL)
    assert result.percent == 100
    assert result.missing == []
    assert result.complete


def test_an_empty_profile_says_what_is_missing_first():
    result = completeness(ProfileFacts())
    assert result.percent == 0
    assert "Say whether you are looking for a mentor" in str(result.missing[0])


def test_mentor_items_count_only_for_mentors():
    from dataclasses import replace

    mentor = replace(FULL, is_mentee=False, is_mentor=True, guidance_offered=1, capacity=0)
    result = completeness(mentor)
    assert [str(m) for m in result.missing] == [
        "Set how many mentees you can take.",
        "Set how many hours a month you can give.",
    ]
    assert 0 < result.percent < 100


def test_missing_items_are_translated():
    with translation.override("id"):
        message = str(completeness(ProfileFacts()).missing[1])
    assert message != "Add a headline that says what you do."


@pytest.mark.django_db
def test_profile_completeness_reads_the_profile(mentee):
    profile = ProfileFactory(
        user=mentee,
        headline="Analyst",
        languages="en,id",
        city="Jakarta",
        is_mentee=True,
        function=item("function", "data"),
        seniority=item("seniority", "junior"),
    )
    profile.values.set(items("value", "integrity", "learning", "family"))
    make_role(profile)
    result = profile_completeness(profile)
    missing = [str(m) for m in result.missing]
    assert "Add a headline that says what you do." not in missing
    assert "Choose at least three values." not in missing
    assert "Describe your goals in your own words." in missing


@pytest.mark.django_db
def test_my_profile_page_shows_the_meter(mentee_client):
    html = mentee_client.get(reverse("people:profile_me")).content.decode()
    assert "<meter" in html
    assert "Add a headline that says what you do." in html
