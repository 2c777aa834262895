from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.tests.factories import UserFactory
from tandem.mentorships import services
from tandem.mentorships.models import Mentorship, MentorshipRequest
from tandem.mentorships.tests.factories import make_active, make_mentor, make_request, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mentee, mentor):
    make_mentor(mentor, capacity=3)
    tryout = services.tryout_ask(mentee=mentee, mentor=mentor, question="How did you start?")
    other = make_mentor(UserFactory(), capacity=2)
    req = make_request(mentee, other)
    mentorship = make_active(mentee, mentor)
    return {"tryout": tryout, "req": req, "mentorship": mentorship}


OBJECT_URLS = [
    ("get", "mentorships:request", "req", {}),
    ("post", "mentorships:request_accept", "req", {}),
    ("post", "mentorships:request_decline", "req", {}),
    ("post", "mentorships:request_think", "req", {}),
    ("post", "mentorships:request_withdraw", "req", {}),
    ("post", "mentorships:tryout_answer", "tryout", {}),
    ("post", "mentorships:tryout_let_go", "tryout", {}),
    ("post", "mentorships:tryout_withdraw", "tryout", {}),
    ("get", "mentorships:detail", "mentorship", {}),
    ("get", "mentorships:agreement_edit", "mentorship", {}),
    ("post", "mentorships:agreement_edit", "mentorship", {}),
    ("post", "mentorships:agreement_sign", "mentorship", {"number": 1}),
    ("get", "mentorships:agreement_history", "mentorship", {}),
    ("post", "mentorships:review_start", "mentorship", {}),
    ("get", "mentorships:checkin", "mentorship", {}),
    ("post", "mentorships:pause", "mentorship", {}),
    ("post", "mentorships:resume", "mentorship", {}),
    ("get", "mentorships:end", "mentorship", {}),
    ("post", "mentorships:closing", "mentorship", {}),
]


@pytest.mark.parametrize(("method", "name", "obj", "extra"), OBJECT_URLS)
def test_outsider_gets_404(outsider_client, world, method, name, obj, extra):
    url = reverse(name, kwargs={"pk": world[obj].pk, **extra})
    response = getattr(outsider_client, method)(url)
    assert response.status_code == 404


def test_asking_yourself_is_404(mentee_client, mentee):
    for name in ("mentorships:tryout_new", "mentorships:request_new", "mentorships:invite_new"):
        assert mentee_client.get(reverse(name, args=[mentee.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("mentorships:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_shows_inbox_tryouts_and_relationships_separately(mentor_client, world):
    html = mentor_client.get(reverse("mentorships:list")).content.decode()
    assert 'id="inbox"' in html and 'id="tryouts"' in html
    assert "How did you start?" in html
    assert 'id="as-mentor-title"' in html


def _populate(mentor, n):
    for _ in range(n):
        person = UserFactory()
        services.tryout_ask(mentee=person, mentor=mentor, question="A question")
        make_request(person, mentor)
        make_active(UserFactory(), make_mentor(UserFactory()))


def test_the_list_page_query_count_does_not_grow_with_data(
    mentor_client, mentor, django_assert_num_queries
):
    make_mentor(mentor, capacity=50)
    _populate(mentor, 1)
    for i in range(2):
        make_active(UserFactory(), mentor) if i else None
    url = reverse("mentorships:list")
    with django_assert_num_queries(9):
        assert mentor_client.get(url).status_code == 200
    _populate(mentor, 4)
    for _ in range(3):
        make_active(UserFactory(), mentor)
    with django_assert_num_queries(9):
        assert mentor_client.get(url).status_code == 200


def test_the_request_form_says_it_is_not_a_job_and_warns_about_cadence(mentee_client, mentor):
    make_mentor(mentor)
    url = reverse("mentorships:request_new", args=[mentor.pk])
    html = mentee_client.get(url).content.decode()
    assert "not a request for a job" in html
    response = mentee_client.post(url, {**plan(meetings_per_month=3)})
    html = response.content.decode()
    assert response.status_code == 200  # not_a_job missing
    assert "a lot to ask at the start" in html


def test_the_request_form_shows_why_a_full_mentor_cannot_be_asked(mentee_client, mentor):
    make_mentor(mentor, paused=True)
    html = mentee_client.get(reverse("mentorships:request_new", args=[mentor.pk])).content.decode()
    assert "paused mentoring" in html
    response = mentee_client.post(
        reverse("mentorships:request_new", args=[mentor.pk]), {**plan(), "not_a_job": "on"}
    )
    assert response.status_code == 200
    assert not MentorshipRequest.objects.exists()


def test_the_whole_flow_through_the_pages(mentee_client, mentor_client, mentee, mentor):
    make_mentor(mentor)
    mentee_client.post(reverse("mentorships:tryout_new", args=[mentor.pk]), {"question": "Tea?"})
    tryout = mentor.tryouts_received.get()
    response = mentor_client.post(
        reverse("mentorships:tryout_answer", args=[tryout.pk]),
        {"answer": "Gladly"},
        HTTP_HX_REQUEST="true",
    )
    assert "Gladly" in response.content.decode()
    response = mentee_client.post(
        reverse("mentorships:request_new", args=[mentor.pk]), {**plan(), "not_a_job": "on"}
    )
    req = MentorshipRequest.objects.get()
    assert response.status_code == 302
    response = mentor_client.post(
        reverse("mentorships:request_think", args=[req.pk]), HTTP_HX_REQUEST="true"
    )
    assert reverse("mentorships:request_accept", args=[req.pk]) in response.content.decode()
    response = mentor_client.post(
        reverse("mentorships:request_accept", args=[req.pk]), HTTP_HX_REQUEST="true"
    )
    mentorship = Mentorship.objects.get()
    assert response["HX-Redirect"] == reverse("mentorships:detail", args=[mentorship.pk])
    detail = reverse("mentorships:detail", args=[mentorship.pk])
    assert "Sign version 1" in mentee_client.get(detail).content.decode()
    for client in (mentee_client, mentor_client):
        client.post(reverse("mentorships:agreement_sign", args=[mentorship.pk, 1]))
    mentorship.refresh_from_db()
    assert mentorship.status == "active"
    form = {
        "goal": "Promotion within nine months",
        "meetings_per_month": 1,
        "meeting_minutes": 45,
        "channels": ["video", "email"],
        "between_meetings": "Email for quick critiques",
        "confidentiality": "What we say stays between us",
        "formality": "informal",
        "start_date": "2026-01-05",
        "review_every_months": 3,
        "change_note": "Shorter",
    }
    assert (
        mentor_client.post(
            reverse("mentorships:agreement_edit", args=[mentorship.pk]), form
        ).status_code
        == 302
    )
    mentee_client.post(reverse("mentorships:agreement_sign", args=[mentorship.pk, 2]))
    html = mentee_client.get(
        reverse("mentorships:agreement_history", args=[mentorship.pk])
    ).content.decode()
    assert "<ins" in html and "<del" in html
    mentee_client.post(reverse("mentorships:review_start", args=[mentorship.pk]))
    mentee_client.post(
        reverse("mentorships:checkin", args=[mentorship.pk]),
        {"working": "no", "to_change": "More time"},
    )
    html = mentee_client.get(detail).content.decode()
    assert "Revise the agreement" in html
    mentor_client.post(reverse("mentorships:pause", args=[mentorship.pk]), {"note": "Travelling"})
    mentee_client.post(reverse("mentorships:resume", args=[mentorship.pk]))
    response = mentee_client.post(
        reverse("mentorships:end", args=[mentorship.pk]),
        {"outcome": "completed", "reflection": "Learned a lot", "thanks": "Thank you"},
    )
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == "completed"
    mentor_client.post(
        reverse("mentorships:closing", args=[mentorship.pk]), {"thanks": "My pleasure"}
    )
    html = mentee_client.get(detail).content.decode()
    assert "My pleasure" in html and "repay the favour" in html
    assert "Completed (Maya Mentee)" in html  # the history names each step
    assert 'id="closing-reflection"' not in html  # the mentee already wrote theirs


def test_pages_speak_indonesian(mentor_client, mentor):
    html = mentor_client.get(reverse("mentorships:list")).content.decode()
    assert '<html lang="id">' in html
    assert "Mentorship saya" in html
