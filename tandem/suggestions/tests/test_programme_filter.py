"""Find a mentor narrowed to a self-match programme: only its mentors, its weights, and a
request tied to it; 404 for anyone who may not choose a mentor in it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.matching.types import COMPONENTS
from tandem.mentorships.tests.factories import plan
from tandem.programs import services as programmes
from tandem.programs.models import Programme, Role
from tandem.programs.tests.factories import grant_creation
from tandem.suggestions.models import MentorMark
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_profile
from tandem.suggestions.tests.test_find_page import WARM_PAGE_QUERIES

FIND = "/find/"
API = "/api/v1/suggestions/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(manager, mentee, mentor):
    """The mentee persona in a self-match programme with two of the community's mentors;
    the mentor persona (the best fit overall) is not one of its mentors."""
    make_mentee_profile(mentee, seniority="senior")
    make_profile(
        mentor,
        is_mentor=True,
        capacity=3,
        hours_per_month=4,
        seniority="director",
        offered=("promotion", "leadership"),
    )
    fit = make_mentor(1, hours_per_month=1)  # a strong fit with little time
    busy = make_mentor(2, function="legal", industry="energy", offered=(), hours_per_month=20)
    programme = programmes.programme_create(
        user=grant_creation(manager),
        name="Women in tech",
        matching_mode=Programme.MatchingMode.SELF,
    )
    for user, role in ((mentee, Role.MENTEE), (fit, Role.MENTOR), (busy, Role.MENTOR)):
        programmes.enrol(programme=programme, user=user, role=role, source="manager")
    return {"programme": programme, "fit": fit, "busy": busy, "outside": mentor}


def _ids(html: str, *users) -> list[int]:
    found = [(html.find(f'id="suggestion-{u.pk}"'), u.pk) for u in users]
    return [pk for at, pk in sorted(found) if at >= 0]


def test_the_filter_lists_the_programme_and_shows_only_its_mentors(mentee_client, cohort):
    programme = cohort["programme"]
    html = mentee_client.get(FIND).content.decode()
    assert 'name="programme"' in html and "Women in tech" in html
    assert cohort["outside"].pk in _ids(html, cohort["outside"], cohort["fit"], cohort["busy"])
    html = mentee_client.get(FIND, {"programme": programme.pk}).content.decode()
    assert _ids(html, cohort["outside"], cohort["fit"], cohort["busy"]) == [
        cohort["fit"].pk,
        cohort["busy"].pk,
    ]
    assert "Only the mentors of the programme “Women in tech”" in html
    ask = reverse("mentorships:request_new", args=[cohort["fit"].pk])
    assert f'href="{ask}?programme={programme.pk}"' in html


def test_the_programmes_weights_rank_its_mentors(mentee_client, cohort):
    programme = cohort["programme"]
    only_time = {name: 0.0 for name in COMPONENTS} | {"availability": 1.0}
    programmes.programme_update(programme=programme, weights=only_time)
    html = mentee_client.get(FIND, {"programme": programme.pk}).content.decode()
    assert _ids(html, cohort["fit"], cohort["busy"]) == [cohort["busy"].pk, cohort["fit"].pk]
    body = mentee_client.get(API, {"programme": programme.pk}).json()
    first = body["suggestions"][0]
    assert first["mentor"]["id"] == cohort["busy"].pk
    assert first["components"]["career"] == 0 and first["components"]["availability"] > 0


def test_people_without_a_self_match_programme_see_no_such_filter(outsider_client, cohort):
    assert 'name="programme"' not in outsider_client.get(FIND).content.decode()


@pytest.mark.parametrize("who", ["outsider", "mentor", "manager"])
def test_others_get_404_for_the_programme_filter(who, cohort, request):
    client = request.getfixturevalue(f"{who}_client")
    if who == "mentor":  # a mentor of the programme, not one of its mentees
        programmes.enrol(
            programme=cohort["programme"],
            user=request.getfixturevalue("mentor"),
            role=Role.MENTOR,
            source="manager",
        )
    pk = cohort["programme"].pk
    assert client.get(FIND, {"programme": pk}).status_code == 404
    assert client.get(API, {"programme": pk}).status_code == 404
    save = reverse("suggestions:save", args=[cohort["fit"].pk])
    assert client.post(save, {"programme": pk}).status_code == 404
    assert not MentorMark.objects.exists()  # checked before anything is written


def test_a_manager_matched_programme_or_a_bad_id_is_404(mentee_client, cohort):
    programme = cohort["programme"]
    assert mentee_client.get(FIND, {"programme": "x"}).status_code == 404
    assert mentee_client.get(API, {"programme": 0}).status_code == 422
    programmes.programme_update(programme=programme, matching_mode="manager")
    assert mentee_client.get(FIND, {"programme": programme.pk}).status_code == 404
    assert mentee_client.get(API, {"programme": programme.pk}).status_code == 404
    assert 'name="programme"' not in mentee_client.get(FIND).content.decode()


def test_marks_keep_the_programme_filter(mentee_client, cohort):
    programme = cohort["programme"]
    response = mentee_client.post(
        reverse("suggestions:dismiss", args=[cohort["busy"].pk]),
        {"programme": programme.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert f'name="programme" value="{programme.pk}"' in html
    assert _ids(html, cohort["outside"], cohort["fit"], cohort["busy"]) == [cohort["fit"].pk]


def test_the_api_narrows_to_the_programme(mentee_client, cohort):
    body = mentee_client.get(API, {"programme": cohort["programme"].pk}).json()
    assert {s["mentor"]["id"] for s in body["suggestions"]} == {
        cohort["fit"].pk,
        cohort["busy"].pk,
    }


@pytest.mark.parametrize("n_mentors", [3, 30])
def test_the_programme_filter_keeps_a_fixed_number_of_queries(
    mentee_client, cohort, n_mentors, django_assert_num_queries
):
    programme = cohort["programme"]
    for n in range(100, 100 + n_mentors):
        user = make_mentor(n, function="data")
        programmes.enrol(programme=programme, user=user, role=Role.MENTOR, source="manager")
    mentee_client.get(FIND, {"programme": programme.pk})  # warms the index
    # + the programme's mentors, their places taken (2)
    with django_assert_num_queries(WARM_PAGE_QUERIES + 3):
        assert mentee_client.get(FIND, {"programme": programme.pk}).status_code == 200
    mentee_client.get(API, {"programme": programme.pk})
    with django_assert_num_queries(9):  # the API's 5 + the programme + its mentors' places
        assert mentee_client.get(API, {"programme": programme.pk}).status_code == 200


def test_a_mentor_with_no_place_left_in_the_programme_is_not_suggested(
    mentee_client, cohort, django_user_model
):
    programme, fit = cohort["programme"], cohort["fit"]
    programme.memberships.filter(user=fit, role=Role.MENTOR).update(capacity=1)
    other = django_user_model.objects.create_user(email="other@example.com", full_name="Other")
    make_mentee_profile(other)
    programmes.enrol(programme=programme, user=other, role=Role.MENTEE, source="manager")
    programmes.self_match_request_send(
        programme=programme, mentee=other, mentor=fit, not_a_job=True, **plan()
    )
    html = mentee_client.get(FIND, {"programme": programme.pk}).content.decode()
    assert _ids(html, cohort["fit"], cohort["busy"]) == [cohort["busy"].pk]
    assert mentee_client.get(FIND).status_code == 200
