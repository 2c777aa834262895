"""The mentee's binder: five sections, private by default, queued questions, urgent ones,
search and export."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.binder import selectors, services
from tandem.binder.models import BinderEntry
from tandem.meetings.models import AgendaItem
from tandem.meetings.tests.factories import scheduled_meeting

pytestmark = pytest.mark.django_db

FIVE = [
    "Mentor Questions",
    "My Action Plan",
    "Mentor Notes/Emails",
    "Items for Discussion",
    "Meeting Notes",
]


def test_the_binder_has_exactly_the_five_sections_in_order(mentee, mentee_client):
    html = mentee_client.get(reverse("binder:home")).content.decode()
    positions = [html.index(f">{name}</h2>") for name in FIVE]
    assert positions == sorted(positions)
    assert html.count('class="panel binder-section"') == 5
    assert [s.label for s in selectors.binder_for_user(user=mentee).sections] == FIVE


def test_entries_are_private_by_default_and_can_be_shared(mentorship, mentee):
    entry = services.entry_create(
        owner=mentee, section="questions", title="How do I ask for a raise?"
    )
    assert entry.shared_at is None and entry.mentorship == mentorship
    services.entry_set_shared(entry=entry, by=mentee, shared=True)
    entry.refresh_from_db()
    assert entry.is_shared
    services.entry_set_shared(entry=entry, by=mentee, shared=False)
    entry.refresh_from_db()
    assert not entry.is_shared


def test_adding_an_entry_with_htmx_returns_the_section(mentorship, mentee_client):
    response = mentee_client.post(
        reverse("binder:entry_add"),
        {"section": "questions", "title": "What should I read first?", "body": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="entries-questions"' in html and "What should I read first?" in html


def test_sharing_with_htmx_swaps_the_entry(mentorship, mentee, mentee_client):
    entry = services.entry_create(owner=mentee, section="discussion", title="Team structure")
    response = mentee_client.post(
        reverse("binder:entry_share", args=[entry.pk]), {"shared": "1"}, HTTP_HX_REQUEST="true"
    )
    assert f'id="entry-{entry.pk}"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.is_shared


def test_one_click_puts_a_question_on_the_next_agenda(mentorship, mentee, mentee_client):
    entry = services.entry_create(
        owner=mentee, section="questions", title="How to say no?", body="Long private context"
    )
    response = mentee_client.post(
        reverse("binder:entry_agenda", args=[entry.pk]), HTTP_HX_REQUEST="true"
    )
    assert "There is no upcoming meeting" in response.content.decode()
    meeting = scheduled_meeting(mentorship)
    mentee_client.post(reverse("binder:entry_agenda", args=[entry.pk]), HTTP_HX_REQUEST="true")
    item = AgendaItem.objects.get()
    assert item.meeting == meeting and item.kind == "question" and item.title == "How to say no?"
    assert item.details == ""  # the private text stays in the binder
    with pytest.raises(ValidationError):
        services.entry_add_to_next_agenda(entry=entry, by=mentee)
    discussion = services.entry_create(owner=mentee, section="discussion", title="Reorg")
    assert services.entry_add_to_next_agenda(entry=discussion, by=mentee).kind == "discussion"
    note = services.entry_create(owner=mentee, section="mentor_notes", title="Email of May")
    with pytest.raises(ValidationError):
        services.entry_add_to_next_agenda(entry=note, by=mentee)


def test_an_urgent_question_reaches_the_mentor_at_once_and_is_counted(
    mentorship, mentee, mentor, mentee_client, django_capture_on_commit_callbacks
):
    entry = services.entry_create(owner=mentee, section="questions", title="Offer expires tomorrow")
    with django_capture_on_commit_callbacks(execute=True):
        mentee_client.post(reverse("binder:entry_urgent", args=[entry.pk]))
    (message,) = mail.outbox
    assert message.to == [mentor.email]
    assert "Offer expires tomorrow" in message.body
    entry.refresh_from_db()
    assert entry.urgent_sent_at and entry.is_shared
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_send_urgent(entry=entry, by=mentee)  # twice: no second email
    assert len(mail.outbox) == 1
    assert selectors.urgent_sent_this_month(user=mentee) == 1
    html = mentee_client.get(reverse("binder:home")).content.decode()
    assert "1 urgent question sent to your mentor this month" in html
    with pytest.raises(ValidationError):
        services.entry_set_shared(entry=entry, by=mentee, shared=False)


def test_only_questions_can_be_urgent(mentorship, mentee):
    entry = services.entry_create(owner=mentee, section="discussion", title="Not a question")
    with pytest.raises(ValidationError):
        services.entry_send_urgent(entry=entry, by=mentee)


def test_sharing_without_a_mentorship_is_refused(mentee):
    entry = services.entry_create(owner=mentee, section="questions", title="Who should mentor me?")
    with pytest.raises(ValidationError) as exc:
        services.entry_set_shared(entry=entry, by=mentee, shared=True)
    assert "mentorship" in exc.value.message_dict


def test_search_finds_entries_notes_summaries_and_the_action_plan(
    mentorship, mentee, mentee_client
):
    from tandem.binder.services import action_plan_add
    from tandem.meetings import services as meeting_services

    services.entry_create(owner=mentee, section="questions", title="Budget planning tips?")
    meeting = scheduled_meeting(mentorship)
    meeting_services.meeting_note_save(meeting=meeting, by=mentee, body="Ask about budget owners")
    meeting_services.meeting_summary_save(
        meeting=meeting, by=mentee, summary="Budget review in May", version=0
    )
    action_plan_add(owner=mentee, title="Draft a budget", due_date=None)
    hits = selectors.binder_search(user=mentee, q="budget")
    assert {h.title for h in hits} >= {"Budget planning tips?", "Draft a budget"}
    assert len(hits) == 4
    response = mentee_client.get(reverse("binder:search"), {"q": "budget"}, HTTP_HX_REQUEST="true")
    assert "4 results" in response.content.decode()


def test_export_as_markdown_and_print_page(mentorship, mentee, mentee_client):
    services.entry_create(owner=mentee, section="questions", title="Q one", body="Details *here*")
    response = mentee_client.get(reverse("binder:export_md"))
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    for name in FIVE:
        assert f"## {name}" in text
    assert "### Q one" in text and "Details *here*" in text
    html = mentee_client.get(reverse("binder:export")).content.decode()
    assert "Q one" in html and "data-print" in html


def test_owner_edits_and_deletes(mentorship, mentee, mentee_client):
    entry = services.entry_create(owner=mentee, section="meeting_notes", title="Old")
    response = mentee_client.post(
        reverse("binder:entry", args=[entry.pk]), {"title": "New", "body": "b"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "New"
    mentee_client.post(reverse("binder:entry_delete", args=[entry.pk]))
    assert not BinderEntry.objects.exists()


def _section_html(html: str, dom_id: str) -> str:
    start = html.index(f'id="{dom_id}"')
    end = html.find('class="panel binder-section"', start)
    return html[start : end if end > 0 else len(html)]


@pytest.mark.parametrize(
    ("language", "nothing"), [("en", "Nothing here yet."), ("id", "Belum ada")]
)
def test_nothing_here_yet_only_under_sections_with_nothing_in_them(
    mentorship, mentee, mentor, mentee_client, language, nothing
):
    """A resource from the mentor fills "Mentor Notes/Emails" and a shared meeting summary
    fills "Meeting Notes", though neither section has entries of the mentee's own."""
    services.resource_share(mentorship=mentorship, by=mentor, kind="book", title="Range")
    scheduled_meeting(mentorship, shared_summary="We talked about the promotion case.")
    mentee_client.post(reverse("set_language"), {"language": language})
    html = mentee_client.get(reverse("binder:home")).content.decode()
    assert "Range" in html and "We talked about the promotion case." in html
    assert nothing not in _section_html(html, "section-mentor-notes")
    assert nothing not in _section_html(html, "section-meeting-notes")
    assert nothing in _section_html(html, "section-questions")
    assert nothing in _section_html(html, "section-discussion")
