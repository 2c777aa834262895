"""Why this person, on a request's page and the request form: the matching core's reasons for
the pair, said to whoever reads them in their own voice and language (registered with
`tandem.mentorships.fit`)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.mentorships.models import MentorshipRequest
from tandem.mentorships.tests.factories import make_request
from tandem.suggestions.tests.factories import make_mentee_profile, make_profile

pytestmark = pytest.mark.django_db

TO_MENTEE = {
    "en": "They offer the help you want: Leadership, Promotion",
    "id": "Mereka menawarkan bantuan yang Anda cari: Kepemimpinan, Promosi",
}
TO_MENTOR = {
    "en": "They want help you offer: Leadership, Promotion",
    "id": "Mereka menginginkan bantuan yang Anda tawarkan: Kepemimpinan, Promosi",
}


@pytest.fixture
def request_sent(mentee, mentor) -> MentorshipRequest:
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
    return make_request(mentee, mentor, why_this_mentor="You moved from engineer to manager.")


def _page(client, user, language, req):
    user.language = language
    user.save(update_fields=["language"])
    client.post(reverse("set_language"), {"language": language})
    return client.get(reverse("mentorships:request", args=[req.pk])).content.decode()


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_mentor_reads_why_this_person_in_the_mentors_voice(
    request_sent, mentor, mentor_client, language
):
    html = _page(mentor_client, mentor, language, request_sent)
    assert TO_MENTOR[language] in html
    assert TO_MENTEE[language] not in html
    # The mentee's own words, said to be hers; and a way to learn who is asking.
    assert "You moved from engineer to manager." in html
    assert ("In Maya's words:" if language == "en" else "Menurut Maya:") in html
    assert f'href="{reverse("people:profile", args=[request_sent.mentee_id])}"' in html


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_mentee_reads_the_same_reasons_in_hers(request_sent, mentee, mentee_client, language):
    html = _page(mentee_client, mentee, language, request_sent)
    assert TO_MENTEE[language] in html and TO_MENTOR[language] not in html
    assert ("In your words:" if language == "en" else "Dengan kata-kata Anda:") in html
    assert f'href="{reverse("people:profile", args=[request_sent.mentor_id])}"' in html


def test_the_request_form_says_why_and_leaves_the_mentees_own_words_to_her(
    request_sent, mentee, mentor, mentee_client
):
    request_sent.delete()
    html = mentee_client.get(
        reverse("mentorships:request_new", args=[mentor.pk]) + "?reasons=Forged+reason"
    ).content.decode()
    assert TO_MENTEE["en"] in html
    assert "Forged reason" not in html  # nothing is copied from the address any more
    assert "Why this person, in your own words (optional)" in html


def test_a_refused_pair_gets_the_refusal_and_no_reasons(
    request_sent, mentee, mentor, mentee_client
):
    from tandem.people.models import Profile

    request_sent.delete()
    Profile.objects.filter(user=mentee).update(manager=mentor)
    html = mentee_client.get(reverse("mentorships:request_new", args=[mentor.pk])).content.decode()
    assert "reporting line" in html and TO_MENTEE["en"] not in html
