"""Who sees which field group: everyone, programme members, or mentorship partners."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.people import selectors
from tandem.people.models import Visibility
from tandem.people.selectors import visibility
from tandem.people.tests.factories import ProfileFactory, item, items, make_role

pytestmark = pytest.mark.django_db

SECRET_GOALS = "Become head of payments by 2027"


@pytest.fixture
def private_profile(mentee):
    profile = ProfileFactory(
        user=mentee,
        is_mentee=True,
        goals=SECRET_GOALS,
        city="Bandung",
        country="Indonesia",
        channels=["video"],
        work_style={"structure": 1},
        visibility_goals=Visibility.MENTORSHIP,
        visibility_contact=Visibility.PROGRAMME,
        visibility_values=Visibility.EVERYONE,
        visibility_career=Visibility.MENTORSHIP,
    )
    profile.values.set(items("value", "integrity"))
    profile.guidance_wanted.set(items("guidance", "promotion"))
    make_role(profile, "Analyst", function=item("function", "data"))
    return profile


def _share(monkeypatch, *, programme: bool = False, mentorship: bool = False) -> None:
    monkeypatch.setattr(visibility, "share_programme", lambda viewer, owner: programme)
    monkeypatch.setattr(visibility, "share_mentorship", lambda viewer, owner: mentorship)


def test_owner_sees_every_group(private_profile, mentee):
    view = selectors.profile_view_for(mentee, private_profile)
    assert view.goals == SECRET_GOALS
    assert view.city == "Bandung"
    assert view.career is not None and view.career[0].title == "Analyst"
    assert all(view.visible.values())


def test_others_on_the_platform_see_only_groups_shared_with_everyone(private_profile, outsider):
    view = selectors.profile_view_for(outsider, private_profile)
    assert [i.slug for i in view.values or []] == ["integrity"]
    assert view.work_style == {"structure": 1}
    assert view.goals is None and view.guidance_wanted is None
    assert view.city is None and view.channels is None
    assert view.career is None and view.manager is None
    assert view.headline == private_profile.headline  # always public


def test_programme_members_see_programme_groups_but_not_mentorship_ones(
    private_profile, outsider, monkeypatch
):
    _share(monkeypatch, programme=True)
    view = selectors.profile_view_for(outsider, private_profile)
    assert view.city == "Bandung" and view.channels == ["video"]
    assert view.goals is None and view.career is None


def test_mentorship_partners_see_everything(private_profile, mentor, monkeypatch):
    _share(monkeypatch, mentorship=True)
    view = selectors.profile_view_for(mentor, private_profile)
    assert view.goals == SECRET_GOALS
    assert view.city == "Bandung"  # a mentorship also opens programme-level groups
    assert view.career is not None


@pytest.mark.parametrize(
    ("level", "programme", "mentorship", "visible"),
    [
        (Visibility.EVERYONE, False, False, True),
        (Visibility.PROGRAMME, False, False, False),
        (Visibility.PROGRAMME, True, False, True),
        (Visibility.PROGRAMME, False, True, True),
        (Visibility.MENTORSHIP, True, False, False),
        (Visibility.MENTORSHIP, False, True, True),
    ],
)
def test_each_visibility_level(
    mentee, outsider, monkeypatch, level, programme, mentorship, visible
):
    profile = ProfileFactory(user=mentee, visibility_goals=level, goals="x")
    _share(monkeypatch, programme=programme, mentorship=mentorship)
    assert selectors.can_see_group(outsider, profile, "goals") is visible


def test_profile_page_hides_what_is_not_shared(
    private_profile, mentee, outsider_client, mentee_client
):
    url = reverse("people:profile", args=[mentee.pk])
    html = outsider_client.get(url).content.decode()
    assert SECRET_GOALS not in html
    assert "Bandung" not in html
    assert "Goals are not shared with you." in html
    assert "Analyst" not in html
    own = mentee_client.get(url).content.decode()
    assert SECRET_GOALS in own and "Bandung" in own and "Analyst" in own


def test_api_returns_null_for_hidden_groups(private_profile, mentee, outsider_client):
    data = outsider_client.get(f"/api/v1/people/profiles/{mentee.pk}").json()
    assert data["goals"] is None
    assert data["guidance_wanted"] is None
    assert data["city"] is None and data["channels"] is None
    assert data["career"] is None
    assert [v["slug"] for v in data["values"]] == ["integrity"]
    assert data["visible"] == {"career": False, "values": True, "goals": False, "contact": False}


def test_api_shows_groups_to_mentorship_partner(
    private_profile, mentee, mentor_client, monkeypatch
):
    _share(monkeypatch, mentorship=True)
    data = mentor_client.get(f"/api/v1/people/profiles/{mentee.pk}").json()
    assert data["goals"] == SECRET_GOALS
    assert data["career"][0]["title"] == "Analyst"


def test_goals_that_are_not_public_are_not_searchable(mentee, outsider):
    from tandem.people.tests.factories import make_mentor

    make_mentor(mentee, goals="zanzibar expansion", visibility_goals=Visibility.MENTORSHIP)
    filters = selectors.DirectoryFilters(q="zanzibar")
    assert not selectors.directory_search(viewer=outsider, filters=filters).exists()
