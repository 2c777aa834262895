"""The agenda: both bring items, problems come with solutions, reorder, done, carry over."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.meetings import services
from tandem.meetings.models import AgendaItem
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db


def test_both_bring_items(mentorship, mentee, mentor):
    meeting = scheduled_meeting(mentorship)
    services.agenda_item_add(meeting=meeting, by=mentee, kind="question", title="How to delegate?")
    services.agenda_item_add(meeting=meeting, by=mentor, kind="feedback", title="Your last demo")
    assert [i.author for i in meeting.agenda_items.all()] == [mentee, mentor]


def test_a_problem_from_the_mentee_needs_a_possible_solution(mentorship, mentee):
    meeting = scheduled_meeting(mentorship)
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_add(
            meeting=meeting, by=mentee, kind="problem", title="Team misses deadlines"
        )
    assert "solutions" in exc.value.message_dict
    item = services.agenda_item_add(
        meeting=meeting,
        by=mentee,
        kind="problem",
        title="Team misses deadlines",
        solutions=["Weekly check-ins", "  ", "Smaller tickets"],
    )
    assert [s.text for s in item.solutions.all()] == ["Weekly check-ins", "Smaller tickets"]


def test_adding_a_problem_without_solution_on_the_page_shows_the_error_in_place(
    mentorship, mentee_client
):
    meeting = scheduled_meeting(mentorship)
    response = mentee_client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"kind": "problem", "title": "Conflict with a peer", "solutions": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="agenda"' in html and "at least one possible solution" in html
    assert not AgendaItem.objects.exists()


def test_htmx_add_returns_the_agenda_fragment(mentorship, mentee_client):
    meeting = scheduled_meeting(mentorship)
    response = mentee_client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"kind": "problem", "title": "Conflict with a peer", "solutions": "Talk 1:1\nAsk HR"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html and "Conflict with a peer" in html and "Ask HR" in html


def test_reorder_moves_items(mentorship, mentee, mentee_client):
    meeting = scheduled_meeting(mentorship)
    a = services.agenda_item_add(meeting=meeting, by=mentee, kind="update", title="A")
    b = services.agenda_item_add(meeting=meeting, by=mentee, kind="update", title="B")
    c = services.agenda_item_add(meeting=meeting, by=mentee, kind="update", title="C")
    mentee_client.post(
        reverse("meetings:agenda_move", args=[c.pk]), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    assert [i.title for i in meeting.agenda_items.all()] == ["A", "C", "B"]
    services.agenda_reorder(meeting=meeting, by=mentee, order=[b.pk, a.pk, c.pk])
    assert [i.title for i in meeting.agenda_items.all()] == ["B", "A", "C"]
    with pytest.raises(ValidationError):
        services.agenda_reorder(meeting=meeting, by=mentee, order=[a.pk, b.pk])


def test_mark_done_and_carry_over_to_the_next_meeting(mentorship, mentee, mentor, mentee_client):
    first = scheduled_meeting(mentorship, at=month_ahead(day=3))
    done = services.agenda_item_add(meeting=first, by=mentee, kind="update", title="Done one")
    open_item = services.agenda_item_add(
        meeting=first, by=mentee, kind="problem", title="Open one", solutions=["Try X"]
    )
    mentee_client.post(reverse("meetings:agenda_done", args=[done.pk]), {"done": "1"})
    done.refresh_from_db()
    assert done.done_at is not None
    with pytest.raises(ValidationError):
        services.agenda_item_carry_over(item=open_item, by=mentor)  # no next meeting yet
    second = scheduled_meeting(mentorship, at=month_ahead(months=3, day=3))
    response = mentee_client.post(reverse("meetings:agenda_carry", args=[open_item.pk]))
    assert response.status_code == 302
    carried = second.agenda_items.get()
    assert carried.title == "Open one" and carried.carried_from == open_item
    assert [s.text for s in carried.solutions.all()] == ["Try X"]
    with pytest.raises(ValidationError):
        services.agenda_item_carry_over(item=open_item, by=mentee)


def test_only_the_author_removes_an_item(mentorship, mentee, mentor):
    meeting = scheduled_meeting(mentorship)
    item = services.agenda_item_add(meeting=meeting, by=mentee, kind="update", title="Mine")
    with pytest.raises(ValidationError):
        services.agenda_item_delete(item=item, by=mentor)
    services.agenda_item_delete(item=item, by=mentee)
    assert not AgendaItem.objects.exists()


def test_notes_are_private_and_the_summary_is_shared_without_lost_updates(
    mentorship, mentee, mentor, mentor_client
):
    meeting = scheduled_meeting(mentorship)
    services.meeting_note_save(meeting=meeting, by=mentee, body="SECRET-MENTEE-NOTE")
    html = mentor_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "SECRET-MENTEE-NOTE" not in html
    services.meeting_summary_save(meeting=meeting, by=mentee, summary="We agreed on X.", version=0)
    with pytest.raises(ValidationError) as exc:
        services.meeting_summary_save(meeting=meeting, by=mentor, summary="Stale", version=0)
    assert exc.value.error_dict["summary"][0].code == "stale"
    meeting.refresh_from_db()
    assert meeting.shared_summary == "We agreed on X."
    response = mentor_client.post(
        reverse("meetings:summary_save", args=[meeting.pk]),
        {"summary": "We agreed on X and Y.", "version": 1},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.shared_summary == "We agreed on X and Y." and meeting.summary_version == 2


def test_an_empty_agenda_is_a_sentence_not_a_numbered_list(mentorship, mentee, mentee_client):
    meeting = scheduled_meeting(mentorship)
    html = mentee_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    agenda = html[html.index('id="agenda"') : html.index("</section>", html.index('id="agenda"'))]
    assert "The agenda is empty." in agenda and '<ol class="agenda-list">' not in agenda
    services.agenda_item_add(meeting=meeting, by=mentee, kind="question", title="My promotion")
    html = mentee_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert '<ol class="agenda-list">' in html and "The agenda is empty." not in html
