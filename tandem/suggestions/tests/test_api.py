"""The API: suggestions with reasons, saved and dismissed lists, marks."""

from __future__ import annotations

import pytest

from tandem.suggestions.models import MentorMark
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor

API = "/api/v1/suggestions"


@pytest.fixture
def mentors(mentee):
    make_mentee_profile(mentee)
    return [make_mentor(n) for n in range(3)]


def test_suggestions_for_the_current_user_with_reasons(mentee_client, mentors):
    response = mentee_client.get(f"{API}/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first = body["suggestions"][0]
    assert {m.pk for m in mentors} >= {s["mentor"]["id"] for s in body["suggestions"]}
    assert first["score_words"] in {"Excellent match", "Good match", "Possible match"}
    assert 0 <= first["score"] <= 1
    assert "They offer the help you want: Leadership, Promotion" in first["reasons"]
    scores = [s["score"] for s in body["suggestions"]]
    assert scores == sorted(scores, reverse=True)


def test_suggestions_reasons_follow_the_users_language(mentee, mentee_client, mentors):
    mentee.language = "id"
    mentee.save(update_fields=["language"])
    first = mentee_client.get(f"{API}/").json()["suggestions"][0]
    assert "Mereka menawarkan bantuan yang Anda cari: Kepemimpinan, Promosi" in first["reasons"]


def test_bad_filters_are_field_errors_not_500(mentee_client, mentors):
    response = mentee_client.get(f"{API}/", {"limit": 0, "language": "English!"})
    assert response.status_code == 422
    assert response.json()["detail"]


def test_filters_and_limit(mentee_client, mentors):
    body = mentee_client.get(f"{API}/", {"limit": 2, "function": "product"}).json()
    assert body["count"] == 2
    assert mentee_client.get(f"{API}/", {"function": "legal"}).json()["count"] == 0


def test_save_dismiss_list_and_undo(mentee_client, mentors):
    saved = mentee_client.post(
        f"{API}/saved", {"mentor_id": mentors[0].pk}, content_type="application/json"
    )
    assert saved.status_code == 201
    dismissed = mentee_client.post(
        f"{API}/dismissed", {"mentor_id": mentors[1].pk}, content_type="application/json"
    )
    assert dismissed.status_code == 201
    listed = mentee_client.get(f"{API}/saved").json()
    assert [m["mentor"]["id"] for m in listed] == [mentors[0].pk]
    assert listed[0]["available"] is True and listed[0]["reasons"]
    assert [m["mentor"]["id"] for m in mentee_client.get(f"{API}/dismissed").json()] == [
        mentors[1].pk
    ]
    ids = [s["mentor"]["id"] for s in mentee_client.get(f"{API}/").json()["suggestions"]]
    assert mentors[1].pk not in ids
    saved_flags = {
        s["mentor"]["id"]: s["saved"] for s in mentee_client.get(f"{API}/").json()["suggestions"]
    }
    assert saved_flags[mentors[0].pk] is True
    undo = mentee_client.delete(f"{API}/marks/{dismissed.json()['id']}")
    assert undo.status_code == 204
    ids = [s["mentor"]["id"] for s in mentee_client.get(f"{API}/").json()["suggestions"]]
    assert mentors[1].pk in ids


def test_marking_a_non_mentor_is_404_and_bad_body_is_422(mentee_client, outsider, mentors):
    response = mentee_client.post(
        f"{API}/saved", {"mentor_id": outsider.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    response = mentee_client.post(
        f"{API}/saved", {"mentor_id": "x"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_outsider_gets_404_for_someone_elses_mark(mentee, outsider_client, mentors):
    mark = MentorMark.objects.create(user=mentee, mentor=mentors[0], kind="dismissed")
    assert outsider_client.delete(f"{API}/marks/{mark.pk}").status_code == 404
    assert MentorMark.objects.filter(pk=mark.pk).exists()
    assert outsider_client.get(f"{API}/dismissed").json() == []


def test_api_needs_authentication(client):
    assert client.get(f"{API}/").status_code == 401


@pytest.mark.parametrize("n_mentors", [3, 25])
def test_api_query_count_does_not_grow_with_mentors(
    mentee, mentee_client, n_mentors, django_assert_num_queries
):
    make_mentee_profile(mentee)
    for n in range(n_mentors):
        make_mentor(n)
    mentee_client.get(f"{API}/")
    with django_assert_num_queries(5):
        assert mentee_client.get(f"{API}/").status_code == 200
