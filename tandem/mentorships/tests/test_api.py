from __future__ import annotations

import pytest

from tandem.accounts.tests.factories import UserFactory
from tandem.mentorships import services
from tandem.mentorships.tests.factories import make_active, make_mentor, make_request, plan

pytestmark = pytest.mark.django_db
API = "/api/v1/mentorships"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def world(mentee, mentor):
    make_mentor(mentor, capacity=3)
    tryout = services.tryout_ask(mentee=mentee, mentor=mentor, question="How did you start?")
    req = make_request(mentee, make_mentor(UserFactory()))
    mentorship = make_active(mentee, mentor)
    return {"tryout": tryout, "req": req, "mentorship": mentorship}


OBJECT_ENDPOINTS = [
    ("get", "/tryouts/{tryout}"),
    ("post", "/tryouts/{tryout}/answer"),
    ("post", "/tryouts/{tryout}/let-go"),
    ("post", "/tryouts/{tryout}/withdraw"),
    ("get", "/requests/{req}"),
    ("post", "/requests/{req}/accept"),
    ("post", "/requests/{req}/decline"),
    ("post", "/requests/{req}/think"),
    ("post", "/requests/{req}/withdraw"),
    ("get", "/{mentorship}"),
    ("get", "/{mentorship}/history"),
    ("get", "/{mentorship}/agreements"),
    ("post", "/{mentorship}/agreements"),
    ("get", "/{mentorship}/agreements/1"),
    ("get", "/{mentorship}/agreements/diff?a=1&b=1"),
    ("post", "/{mentorship}/agreements/1/sign"),
    ("get", "/{mentorship}/reviews"),
    ("post", "/{mentorship}/reviews"),
    ("post", "/{mentorship}/check-ins"),
    ("post", "/{mentorship}/pause"),
    ("post", "/{mentorship}/resume"),
    ("post", "/{mentorship}/end"),
    ("post", "/{mentorship}/closing"),
]
BODIES = {
    "answer": {"answer": "x"},
    "check-ins": {"working": "yes"},
    "end": {"outcome": "ended"},
}


@pytest.mark.parametrize(("method", "path"), OBJECT_ENDPOINTS)
def test_outsider_gets_404(outsider_client, world, method, path):
    url = API + path.format(**{k: v.pk for k, v in world.items()})
    if method == "get":
        response = outsider_client.get(url)
    else:
        body = next((b for key, b in BODIES.items() if url.split("?")[0].endswith(key)), {})
        response = post(outsider_client, url, body)
    assert response.status_code == 404, response.content


def test_lists_show_only_your_own(outsider_client, world):
    assert outsider_client.get(API + "/").json() == []
    assert outsider_client.get(API + "/requests").json() == []
    assert outsider_client.get(API + "/tryouts").json() == []


def test_the_whole_journey_through_the_api(mentee_client, mentor_client, mentee, mentor):
    make_mentor(mentor)
    tryout = post(
        mentee_client, API + "/tryouts", {"mentor_id": mentor.pk, "question": "Tea?"}
    ).json()
    assert (
        post(mentor_client, f"{API}/tryouts/{tryout['id']}/answer", {"answer": "Yes"}).json()[
            "status"
        ]
        == "answered"
    )
    response = post(
        mentee_client,
        API + "/requests",
        {
            **plan(why_this_mentor=""),
            "mentor_id": mentor.pk,
            "not_a_job": True,
            "reasons": ["Similar career path"],
        },
    )
    assert response.status_code == 201, response.content
    req = response.json()
    assert req["why_this_mentor"] == "Similar career path"
    assert "not a request for a job" in req["not_a_job_statement"]
    assert [r["id"] for r in mentor_client.get(API + "/requests?box=inbox").json()] == [req["id"]]
    assert post(mentor_client, f"{API}/requests/{req['id']}/think").json()["status"] == "thinking"
    response = post(mentor_client, f"{API}/requests/{req['id']}/accept")
    assert response.status_code == 201
    mentorship = response.json()
    assert mentorship["status"] == "draft"
    mid = mentorship["id"]
    for client in (mentee_client, mentor_client):
        assert post(client, f"{API}/{mid}/agreements/1/sign").status_code == 200
    assert mentee_client.get(f"{API}/{mid}").json()["status"] == "active"
    response = post(
        mentor_client,
        f"{API}/{mid}/agreements",
        {"meetings_per_month": 2, "change_note": "More often"},
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    assert post(mentee_client, f"{API}/{mid}/agreements/2/sign").json()["is_signed"]
    diff = mentee_client.get(f"{API}/{mid}/agreements/diff?a=1&b=2").json()
    assert [c["field"] for c in diff] == ["meetings_per_month"]
    assert post(mentee_client, f"{API}/{mid}/reviews").status_code == 201
    assert (
        post(
            mentee_client, f"{API}/{mid}/check-ins", {"working": "partly", "to_change": "x"}
        ).status_code
        == 201
    )
    reviews = mentor_client.get(f"{API}/{mid}/reviews").json()
    assert reviews[0]["offer_revise_or_end"] is True
    assert post(mentor_client, f"{API}/{mid}/pause", {"note": "Away"}).json()["status"] == "paused"
    assert post(mentee_client, f"{API}/{mid}/resume").json()["status"] == "active"
    response = post(
        mentee_client, f"{API}/{mid}/end", {"outcome": "completed", "thanks": "Thank you"}
    )
    assert response.json()["status"] == "completed"
    assert post(mentor_client, f"{API}/{mid}/closing", {"thanks": "Pleasure"}).status_code == 201


def test_broken_rules_answer_422_with_field_errors(mentee_client, mentee, mentor):
    make_mentor(mentor, paused=True)
    response = post(mentee_client, API + "/requests", {**plan(goal=""), "mentor_id": mentor.pk})
    assert response.status_code == 422
    assert {"not_a_job"} <= set(response.json()["errors"])
    response = post(
        mentee_client, API + "/requests", {**plan(), "mentor_id": mentor.pk, "not_a_job": True}
    )
    assert response.status_code == 422
    assert "paused" in response.json()["errors"]["__all__"][0]
    response = post(
        mentee_client, API + "/requests", {**plan(), "mentor_id": 999999, "not_a_job": True}
    )
    assert response.status_code == 422 and "mentor_id" in response.json()["errors"]
    response = post(mentee_client, API + "/requests", {"mentor_id": "x"})
    assert response.status_code == 422


def test_state_rules_answer_422(mentee_client, mentee, mentor):
    req = make_request(mentee, mentor)
    response = post(mentee_client, f"{API}/requests/{req.pk}/accept")
    assert response.status_code == 422
    assert "other person" in response.json()["errors"]["__all__"][0]


def test_the_mentor_invites_through_the_api(mentor_client, mentee_client, mentee, mentor):
    make_mentor(mentor)
    response = post(mentor_client, API + "/invitations", {**plan(), "mentee_id": mentee.pk})
    assert response.status_code == 201 and response.json()["is_invitation"]
    assert post(mentee_client, f"{API}/requests/{response.json()['id']}/accept").status_code == 201


def test_reference_lists(mentee_client):
    kinds = mentee_client.get(API + "/guidance-kinds").json()
    assert any(k["key"] == "promotion" for k in kinds)
    assert {t["key"] for t in mentee_client.get(API + "/decline-templates").json()} == {
        "no_time",
        "not_my_area",
        "later",
    }


def test_the_api_list_query_count_does_not_grow(mentor_client, mentor, django_assert_num_queries):
    make_mentor(mentor, capacity=50)
    make_active(UserFactory(), mentor)
    with django_assert_num_queries(4):
        assert len(mentor_client.get(API + "/").json()) == 1
    for _ in range(4):
        make_active(UserFactory(), mentor)
    with django_assert_num_queries(4):
        assert len(mentor_client.get(API + "/").json()) == 5
