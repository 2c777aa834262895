"""Choosing a mentor within a self-match programme: the programme's page and API rank only its
mentors with a place left, with its weights, through Find a mentor's ranking; asking one goes
through the programme's request form. 404 for anyone who may not choose a mentor in it."""

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


def _page(programme) -> str:
    return reverse("programs:mentors", args=[programme.pk])


def _api(programme) -> str:
    return f"/api/v1/programs/{programme.pk}/mentors"


def _ids(html: str, *users) -> list[int]:
    found = [(html.find(f'id="suggestion-{u.pk}"'), u.pk) for u in users]
    return [pk for at, pk in sorted(found) if at >= 0]


def test_the_page_shows_only_the_programmes_mentors_and_asks_within_it(mentee_client, cohort):
    programme = cohort["programme"]
    html = mentee_client.get(_page(programme)).content.decode()
    assert _ids(html, cohort["outside"], cohort["fit"], cohort["busy"]) == [
        cohort["fit"].pk,
        cohort["busy"].pk,
    ]
    assert "Only the mentors of the programme “Women in tech”" in html
    ask = reverse("programs:mentor_ask", args=[programme.pk, cohort["fit"].pk])
    assert f'href="{ask}"' in html
    # Find a mentor itself is the whole community again, with no programme filter.
    find = mentee_client.get(reverse("suggestions:find")).content.decode()
    assert cohort["outside"].pk in _ids(find, cohort["outside"], cohort["fit"], cohort["busy"])
    assert 'name="programme"' not in find and "Women in tech" not in find


def test_the_page_in_indonesian(mentee, mentee_client, cohort):
    mentee.language = "id"
    mentee.save(update_fields=["language"])
    html = mentee_client.get(_page(cohort["programme"])).content.decode()
    assert "Pilih mentor Anda di Women in tech" in html
    assert "Minta bimbingan" in html


def test_asking_from_the_page_sends_a_request_tied_to_the_programme(mentee, mentee_client, cohort):
    programme, fit = cohort["programme"], cohort["fit"]
    ask = reverse("programs:mentor_ask", args=[programme.pk, fit.pk])
    response = mentee_client.post(ask, {**plan(), "not_a_job": "on"})
    assert response.status_code == 302
    match = programme.matches.get(mentee=mentee, mentor=fit)
    assert match.request is not None and match.request.mentee_id == mentee.pk


def test_the_filters_narrow_within_the_programme(mentee_client, cohort):
    html = mentee_client.get(_page(cohort["programme"]), {"function": "legal"}).content.decode()
    assert _ids(html, cohort["fit"], cohort["busy"]) == [cohort["busy"].pk]
    assert "Clear filters" in html


def test_the_programmes_weights_rank_its_mentors(mentee_client, cohort):
    programme = cohort["programme"]
    only_time = {name: 0.0 for name in COMPONENTS} | {"availability": 1.0}
    programmes.programme_update(programme=programme, weights=only_time)
    html = mentee_client.get(_page(programme)).content.decode()
    assert _ids(html, cohort["fit"], cohort["busy"]) == [cohort["busy"].pk, cohort["fit"].pk]
    body = mentee_client.get(_api(programme)).json()
    first = body["suggestions"][0]
    assert first["mentor"]["id"] == cohort["busy"].pk
    assert first["components"]["career"] == 0 and first["components"]["availability"] > 0


def test_a_mentor_marked_not_for_me_is_left_out(mentee, mentee_client, cohort):
    MentorMark.objects.create(user=mentee, mentor=cohort["busy"], kind=MentorMark.Kind.DISMISSED)
    html = mentee_client.get(_page(cohort["programme"])).content.decode()
    assert _ids(html, cohort["fit"], cohort["busy"]) == [cohort["fit"].pk]


@pytest.mark.parametrize("who", ["outsider", "mentor", "manager"])
def test_others_get_404_for_the_programmes_mentors(who, cohort, request):
    client = request.getfixturevalue(f"{who}_client")
    if who == "mentor":  # a mentor of the programme, not one of its mentees
        programmes.enrol(
            programme=cohort["programme"],
            user=request.getfixturevalue("mentor"),
            role=Role.MENTOR,
            source="manager",
        )
    assert client.get(_page(cohort["programme"])).status_code == 404
    assert client.get(_api(cohort["programme"])).status_code == 404


def test_a_manager_matched_programme_is_404(mentee_client, cohort):
    programme = cohort["programme"]
    programmes.programme_update(programme=programme, matching_mode="manager")
    assert mentee_client.get(_page(programme)).status_code == 404
    assert mentee_client.get(_api(programme)).status_code == 404


def test_the_api_narrows_to_the_programme(mentee, cohort, csrf_client_for, token_client_for):
    for client in (csrf_client_for(mentee), token_client_for(mentee)):
        body = client.get(_api(cohort["programme"])).json()
        assert {s["mentor"]["id"] for s in body["suggestions"]} == {
            cohort["fit"].pk,
            cohort["busy"].pk,
        }


# Session, user, the programme (access), index version, organisations, its mentors' places (4:
# their memberships, live mentorships, waiting requests, circle members), marks, suggested
# users, unread notifications.
WARM_PAGE_QUERIES = 12
# The API: token or session, user, the programme, its mentors' places (4), index version,
# marks, suggested users.
WARM_API_QUERIES = 10


@pytest.mark.parametrize("n_mentors", [3, 30])
def test_the_programmes_mentors_keep_a_fixed_number_of_queries(
    mentee_client, cohort, n_mentors, django_assert_num_queries
):
    programme = cohort["programme"]
    for n in range(100, 100 + n_mentors):
        user = make_mentor(n, function="data")
        programmes.enrol(programme=programme, user=user, role=Role.MENTOR, source="manager")
    mentee_client.get(_page(programme))  # warms the index
    with django_assert_num_queries(WARM_PAGE_QUERIES):
        assert mentee_client.get(_page(programme)).status_code == 200
    mentee_client.get(_api(programme))
    with django_assert_num_queries(WARM_API_QUERIES):
        assert mentee_client.get(_api(programme)).status_code == 200


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
    html = mentee_client.get(_page(programme)).content.decode()
    assert _ids(html, cohort["fit"], cohort["busy"]) == [cohort["busy"].pk]
