"""The active mentorship's page is the pair's home: the next meeting and its agenda, a way to
schedule one, the binder entries the mentee shared, assignments, critiques, resources and
thanks, her shared goals, and the agreement with its review date. Both see it from their
side; nothing private of either reaches it; its query count does not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tandem.binder import services as binder
from tandem.growth import services as growth
from tandem.meetings import services as meetings
from tandem.meetings.tests.factories import scheduled_meeting
from tandem.mentorships import services
from tandem.mentorships.tests.factories import make_active

pytestmark = pytest.mark.django_db

LATER = timezone.localdate() + dt.timedelta(days=30)
SHARED = [
    "Agenda: my promotion case",
    "Shared question: how to delegate",
    "Assignment: a 90-day plan",
    "Critique: my team memo",
    "Resource: The Manager's Path",
    "Thanks for Tuesday",
    "Goal: lead a cross-team project",
]
REVIEW = {"en": "Next review together", "id": "Tinjauan bersama berikutnya"}
PRIVATE = [
    "Private entry: am I good enough",
    "Private goal: leave this company",
    "Private meeting note of the mentee",
    "Private meeting note of the mentor",
    "The mentor's own goal for his mentors",
]


def _fill(mentorship, n: int = 1):
    """`n` of each shared thing, and one of each private thing."""
    mentee, mentor = mentorship.mentee, mentorship.mentor
    meeting = scheduled_meeting(mentorship)
    for i in range(n):
        suffix = "" if i == 0 else f" {i}"
        meetings.agenda_item_add(
            meeting=meeting, by=mentee, kind="question", title=SHARED[0] + suffix
        )
        binder.entry_create(
            owner=mentee,
            section="questions",
            title=SHARED[1] + suffix,
            mentorship=mentorship,
            share=True,
        )
        binder.assignment_create(
            mentorship=mentorship, by=mentor, title=SHARED[2] + suffix, instructions="",
            due_date=LATER,
        )  # fmt: skip
        binder.critique_request(
            mentorship=mentorship, by=mentee, title=SHARED[3] + suffix, work="The memo."
        )
        binder.resource_share(
            mentorship=mentorship, by=mentor, kind="book", title=SHARED[4] + suffix
        )
        binder.appreciation_send(
            mentorship=mentorship, by=mentee, kind="thanks", message=SHARED[5] + suffix
        )
        goal = growth.goal_create(
            owner=mentee, title=SHARED[6] + suffix, target="Two projects", due_date=LATER,
            shared_with_mentor=True,
        )  # fmt: skip
        growth.action_step_create(owner=mentee, title=f"Step{suffix}", goal=goal)
    binder.entry_create(owner=mentee, section="questions", title=PRIVATE[0])
    growth.goal_create(owner=mentee, title=PRIVATE[1], target="t", due_date=LATER)
    meetings.meeting_note_save(meeting=meeting, by=mentee, body=PRIVATE[2])
    meetings.meeting_note_save(meeting=meeting, by=mentor, body=PRIVATE[3])
    growth.goal_create(
        owner=mentor, title=PRIVATE[4], target="t", due_date=LATER, shared_with_mentor=True
    )
    return meeting


@pytest.fixture
def mentorship(mentee, mentor):
    return make_active(mentee, mentor)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Next meeting", "Schedule a meeting", "Working together", "Shared goals"]),
        (
            "id",
            ["Pertemuan berikutnya", "Jadwalkan pertemuan", "Bekerja bersama", "Target bersama"],
        ),
    ],
)
def test_both_see_what_they_share_and_nothing_private(
    mentorship, mentee_client, mentor_client, language, words
):
    meeting = _fill(mentorship)
    url = reverse("mentorships:detail", args=[mentorship.pk])
    for client in (mentee_client, mentor_client):
        client.post(reverse("set_language"), {"language": language})
        html = client.get(url).content.decode()
        home = html[html.index('id="pair-home"') :]
        for text in SHARED:
            assert text.replace("'", "&#x27;") in home, text
        for text in PRIVATE:
            assert text not in html, text
        for word in words:
            assert word in home, word
        assert f"{reverse('meetings:new')}?mentorship={mentorship.pk}" in home
        assert reverse("meetings:detail", args=[meeting.pk]) in home
        assert reverse("binder:together", args=[mentorship.pk]) in home
        # The agreement, with the date they review it together.
        agreement = html[html.index('id="agreement"') :].split("</section>")[0]
        with translation.override(language):
            review = date_format(mentorship.next_review_on, "DATE_FORMAT")
        assert f"{REVIEW[language]}: {review}" in agreement


def test_each_side_is_spoken_to_from_its_side(mentorship, mentee_client, mentor_client):
    _fill(mentorship)
    url = reverse("mentorships:detail", args=[mentorship.pk])
    mentee_html = mentee_client.get(url).content.decode()
    mentor_client.post(reverse("set_language"), {"language": "en"})
    mentor_html = mentor_client.get(url).content.decode()
    assert "What you shared from your binder" in mentee_html
    assert "What they shared from their binder" in mentor_html
    assert reverse("binder:shared", args=[mentorship.pk]) in mentor_html
    assert "Send work for critique" in mentee_html and "Give an assignment" in mentor_html


@pytest.mark.parametrize("size", [1, 8])
def test_the_pair_home_keeps_a_fixed_number_of_queries(
    mentorship, mentee_client, django_assert_num_queries, size
):
    _fill(mentorship, size)
    url = reverse("mentorships:detail", args=[mentorship.pk])
    mentee_client.get(url)  # warm the session
    with django_assert_num_queries(18):  # 17 + the conversation section
        assert mentee_client.get(url).status_code == 200


def test_a_list_longer_than_the_page_links_to_all_of_it(mentorship, mentee_client):
    _fill(mentorship, 8)
    html = mentee_client.get(reverse("mentorships:detail", args=[mentorship.pk])).content.decode()
    home = html[html.index('id="pair-home"') :]
    assert "Shared question: how to delegate 7" in home  # the newest first
    assert "Shared question: how to delegate 1" not in home
    assert "See everything, and add" in home and "All shared goals" in home


def test_an_ended_mentorship_no_longer_plans_meetings_nor_shows_goals(
    mentorship, mentee, mentee_client
):
    _fill(mentorship)
    services.mentorship_end(mentorship=mentorship, user=mentee, completed=True)
    html = mentee_client.get(reverse("mentorships:detail", args=[mentorship.pk])).content.decode()
    assert "Schedule a meeting" not in html
    assert SHARED[6] not in html  # sharing goals follows the live relationship
    assert SHARED[2] in html  # what they did together stays part of its history
