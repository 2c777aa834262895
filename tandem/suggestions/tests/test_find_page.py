"""The Find a mentor page: ranked suggestions with reasons, rules, filters and marks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.suggestions.models import MentorMark
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_profile

FIND = "/find/"


@pytest.fixture
def community(mentee, mentor):
    """The mentee persona, the mentor persona as a strong fit, and a few more mentors."""
    make_mentee_profile(mentee, seniority="senior")
    make_profile(
        mentor,
        is_mentor=True,
        capacity=3,
        hours_per_month=4,
        seniority="director",
        organisation="Northwind Software",
        offered=("promotion", "leadership"),
    )
    others = [make_mentor(n, function="finance", industry="banking") for n in range(1, 4)]
    return {"mentor": mentor, "others": others}


def test_find_url_name_and_login_required(client):
    assert reverse("suggestions:find") == FIND
    response = client.get(FIND)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_page_ranks_mentors_with_words_and_reasons(mentee_client, community):
    response = mentee_client.get(FIND)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Budi Mentor" in html
    assert html.index("Budi Mentor") < html.index("Mentor Number1")
    assert "Excellent match" in html or "Good match" in html
    assert "They offer the help you want: Leadership, Promotion" in html
    ask = reverse("mentorships:request_new", args=[community["mentor"].pk])
    assert f'href="{ask}"' in html  # the form says why itself: nothing copied in the address
    assert '<main id="main"' in html and 'aria-labelledby="suggestions-heading"' in html


def test_page_in_indonesian_renders_reasons_and_words_in_indonesian(
    mentee, mentee_client, community
):
    mentee.language = "id"
    mentee.save(update_fields=["language"])
    response = mentee_client.get(FIND)
    html = response.content.decode()
    assert 'lang="id"' in html
    assert "Cari mentor" in html
    assert "Mereka menawarkan bantuan yang Anda cari: Kepemimpinan, Promosi" in html
    assert "Kecocokan sangat baik" in html or "Kecocokan baik" in html


def test_own_manager_and_competitors_are_never_suggested(mentee, mentee_client, community):
    boss = make_mentor(10, organisation="Nusantara Digital")
    rival = make_mentor(11, organisation="Kilat Teknologi")
    from tandem.people.models import Organisation

    Organisation.objects.get(name="Nusantara Digital").competitors.add(
        Organisation.objects.get(name="Kilat Teknologi")
    )
    mentee.profile.manager = boss
    mentee.profile.save()
    html = mentee_client.get(FIND).content.decode()
    assert str(boss) not in html
    assert str(rival) not in html
    assert "Mentor Number1" in html


def test_paused_and_full_mentors_are_not_suggested(mentee_client, community):
    paused = make_mentor(20, paused=True)
    full = make_mentor(21, capacity=0)
    html = mentee_client.get(FIND).content.decode()
    assert str(paused) not in html and str(full) not in html


def test_not_for_me_never_comes_back_until_undone(mentee, mentee_client, community):
    mentor = community["mentor"]
    response = mentee_client.post(reverse("suggestions:dismiss", args=[mentor.pk]))
    assert response.status_code == 302
    mark = MentorMark.objects.get(user=mentee, mentor=mentor)
    assert mark.kind == MentorMark.Kind.DISMISSED
    html = mentee_client.get(FIND).content.decode()
    assert f'id="suggestion-{mentor.pk}"' not in html
    assert "marked “not for me”" in html
    response = mentee_client.post(reverse("suggestions:undo", args=[mark.pk]))
    assert response.status_code == 302
    html = mentee_client.get(FIND).content.decode()
    assert f'id="suggestion-{mentor.pk}"' in html


def test_save_for_later_lists_the_mentor_with_htmx_partial(mentee, mentee_client, community):
    mentor = community["mentor"]
    response = mentee_client.post(
        reverse("suggestions:save", args=[mentor.pk]),
        {"function": "product"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "is saved for later" in html
    assert 'name="function" value="product"' in html  # filters kept for the next action
    assert MentorMark.objects.filter(user=mentee, mentor=mentor, kind="saved").exists()
    saved_section = html[html.index('id="saved-heading"') :]
    assert "Budi Mentor" in saved_section


def test_filters_narrow_the_suggestions(mentee_client, community):
    html = mentee_client.get(FIND, {"function": "finance"}).content.decode()
    assert f'id="suggestion-{community["mentor"].pk}"' not in html
    assert "Mentor Number1" in html
    html = mentee_client.get(FIND, {"industry": "software", "availability": "8"}).content.decode()
    assert "No mentor fits these filters" in html
    html = mentee_client.get(FIND, {"language": "en", "seniority": "director"}).content.decode()
    assert "Mentor Number1" in html


def test_an_invalid_filter_is_ignored_not_an_error(mentee_client, community):
    response = mentee_client.get(FIND, {"organisation": "abc", "availability": "x"})
    assert response.status_code == 200
    assert "Mentor Number1" in response.content.decode()


def test_htmx_filter_request_returns_the_results_only(mentee_client, community):
    response = mentee_client.get(FIND, {"function": "finance"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Mentor Number1" in html


def test_outsider_cannot_undo_someone_elses_mark(mentee, outsider_client, community):
    mark = MentorMark.objects.create(user=mentee, mentor=community["mentor"], kind="saved")
    response = outsider_client.post(reverse("suggestions:undo", args=[mark.pk]))
    assert response.status_code == 404
    assert MentorMark.objects.filter(pk=mark.pk).exists()


def test_saving_someone_who_is_not_a_mentor_is_404(mentee_client, outsider, mentee):
    assert mentee_client.post(reverse("suggestions:save", args=[outsider.pk])).status_code == 404
    assert mentee_client.post(reverse("suggestions:dismiss", args=[mentee.pk])).status_code == 404
    assert mentee_client.post(reverse("suggestions:save", args=[999999])).status_code == 404


def test_marks_need_post(mentee_client, community):
    response = mentee_client.get(reverse("suggestions:save", args=[community["mentor"].pk]))
    assert response.status_code == 405


def test_outsider_without_a_profile_gets_a_page_with_a_hint(outsider_client, community):
    response = outsider_client.get(FIND)
    assert response.status_code == 200
    assert "Complete your profile" in response.content.decode()


def _page_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(FIND).status_code == 200


@pytest.mark.parametrize("n_mentors", [3, 30])
def test_page_query_count_does_not_grow_with_mentors(
    mentee, mentee_client, community, n_mentors, django_assert_num_queries
):
    for n in range(100, 100 + n_mentors):
        make_mentor(n, function="data")
    MentorMark.objects.create(user=mentee, mentor=community["others"][0], kind="saved")
    MentorMark.objects.create(user=mentee, mentor=community["others"][1], kind="dismissed")
    mentee_client.get(FIND)  # warms the index
    _page_queries(mentee_client, django_assert_num_queries, WARM_PAGE_QUERIES)


# Session, user, index version, organisations, marks, suggested users, unread notifications.
# Cold, the user's current mentors are read once more (then cached with the index).
WARM_PAGE_QUERIES = 7
COLD_PAGE_QUERIES = 28


@pytest.mark.parametrize("n_mentors", [3, 30])
def test_building_the_index_costs_a_fixed_number_of_queries(
    mentee_client, community, n_mentors, django_assert_num_queries
):
    for n in range(100, 100 + n_mentors):
        make_mentor(n, function="data", roles=(("engineering", "junior", "Bank Sejahtera"),))
    _page_queries(mentee_client, django_assert_num_queries, COLD_PAGE_QUERIES)
