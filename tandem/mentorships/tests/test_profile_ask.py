"""A mentor's profile offers "Ask for mentoring" and "Ask a question first" to whoever may
ask, and says why not to whoever may not: their own manager, a competitor, their mentor
already, a full or paused mentor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.tests.factories import UserFactory
from tandem.mentorships import services
from tandem.mentorships.tests.factories import make_active, make_mentor, make_request
from tandem.mentorships.tests.test_relationship_rules import reports_to, works_at
from tandem.people.models import Profile

pytestmark = pytest.mark.django_db

ASK = {"en": "Ask for mentoring", "id": "Minta bimbingan"}
TRY = {"en": "Ask a question first", "id": "Ajukan pertanyaan dahulu"}


def _profile(client, person, language="en") -> str:
    client.post(reverse("set_language"), {"language": language})
    return client.get(reverse("people:profile", args=[person.pk])).content.decode()


def _buttons(html: str, mentor) -> tuple[bool, bool]:
    ask = f'href="{reverse("mentorships:request_new", args=[mentor.pk])}"'
    ask_first = f'href="{reverse("mentorships:tryout_new", args=[mentor.pk])}"'
    return ask in html, ask_first in html


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_mentors_profile_offers_both_ways_to_ask(mentee_client, mentor, language):
    make_mentor(mentor, capacity=2)
    html = _profile(mentee_client, mentor, language)
    assert _buttons(html, mentor) == (True, True)
    assert ASK[language] in html and TRY[language] in html


def test_following_the_buttons_leads_to_the_forms(mentee_client, mentor):
    make_mentor(mentor)
    for name in ("mentorships:request_new", "mentorships:tryout_new"):
        assert mentee_client.get(reverse(name, args=[mentor.pk])).status_code == 200


def test_nothing_to_ask_on_ones_own_profile_or_someone_who_does_not_mentor(
    mentee, mentor, mentee_client
):
    make_mentor(mentee)
    assert 'id="ask"' not in _profile(mentee_client, mentee)
    Profile.objects.update_or_create(user=mentor, defaults={"is_mentor": False})
    assert 'id="ask"' not in _profile(mentee_client, mentor)


@pytest.mark.parametrize(("language", "words"), [("en", "reporting line"), ("id", "atasan")])
def test_ones_own_manager_is_not_offered_and_the_rule_is_named(
    mentee, mentor, mentee_client, language, words
):
    make_mentor(mentor)
    reports_to(mentee, mentor)
    html = _profile(mentee_client, mentor, language)
    assert _buttons(html, mentor) == (False, False)
    assert words in html[html.index('id="ask"') :]


def test_a_mentor_at_a_competitor_is_not_offered(mentee, mentor, mentee_client):
    make_mentor(mentor)
    works_at(mentee, "Acme", competitors=("Globex",))
    works_at(mentor, "Globex")
    html = _profile(mentee_client, mentor)
    assert _buttons(html, mentor) == (False, False) and "competitors" in html


@pytest.mark.parametrize(
    ("language", "words"), [("en", "is your mentor already"), ("id", "sudah menjadi mentor Anda")]
)
def test_ones_mentor_already_leads_to_the_mentorship(
    mentee, mentor, mentee_client, language, words
):
    mentorship = make_active(mentee, mentor)
    html = _profile(mentee_client, mentor, language)
    assert _buttons(html, mentor) == (False, False)
    assert words in html
    assert f'href="{reverse("mentorships:detail", args=[mentorship.pk])}"' in html


def test_a_full_mentor_still_takes_a_question(mentee, mentor, mentee_client):
    make_mentor(mentor, capacity=1)
    make_active(UserFactory(), mentor)
    html = _profile(mentee_client, mentor)
    assert _buttons(html, mentor) == (False, True)
    assert "mentoring time is full" in html


def test_a_paused_mentor_takes_neither(mentee, mentor, mentee_client):
    make_mentor(mentor, paused=True)
    html = _profile(mentee_client, mentor)
    assert _buttons(html, mentor) == (False, False) and "paused mentoring" in html


def test_a_waiting_request_or_question_is_shown_instead_of_a_second_one(
    mentee, mentor, mentee_client
):
    req = make_request(mentee, mentor)
    services.tryout_ask(mentee=mentee, mentor=mentor, question="How did you start?")
    html = _profile(mentee_client, mentor)
    assert _buttons(html, mentor) == (False, False)
    assert f'href="{reverse("mentorships:request", args=[req.pk])}"' in html
    assert "Your question is waiting for an answer." in html
