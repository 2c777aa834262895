"""The mentor never sees an unshared binder entry: not by page, API, feed, email, search or
export. One test per route, all with the same secret text."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from tandem.binder import selectors, services
from tandem.meetings import services as meeting_services
from tandem.meetings.tests.factories import scheduled_meeting

pytestmark = pytest.mark.django_db

SECRET = "UNSHARED-SECRET-7731"


@pytest.fixture
def secret(mentorship, mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = scheduled_meeting(mentorship)
        entries = [
            services.entry_create(
                owner=mentee, section=section, title=f"{SECRET} {section}", body=SECRET
            )
            for section in ("questions", "mentor_notes", "discussion", "meeting_notes")
        ]
        # Going on the agenda shares the title only with the meeting, never the entry's text.
        services.entry_create(
            owner=mentee, section="questions", title="Shared one", body="fine", share=True
        )
        meeting_services.meeting_note_save(meeting=meeting, by=mentee, body=SECRET)
    return {"meeting": meeting, "entries": entries}


def test_not_on_any_page(secret, mentorship, mentor_client):
    pages = [
        reverse("binder:home"),
        reverse("binder:shared", args=[mentorship.pk]),
        reverse("binder:together", args=[mentorship.pk]),
        reverse("binder:export"),
        reverse("binder:export_md"),
        reverse("meetings:detail", args=[secret["meeting"].pk]),
        reverse("meetings:list"),
    ]
    for url in pages:
        response = mentor_client.get(url)
        assert SECRET not in response.content.decode(), url
    for entry in secret["entries"]:
        assert mentor_client.get(reverse("binder:entry", args=[entry.pk])).status_code == 404
    # The search page repeats the query itself, so look for the entries, not the word.
    found = mentor_client.get(reverse("binder:search"), {"q": SECRET}).content.decode()
    assert "Tidak ada yang cocok." in found  # the mentor persona reads Indonesian
    assert f"{SECRET} questions" not in found
    shared = mentor_client.get(reverse("binder:shared", args=[mentorship.pk])).content.decode()
    assert "Shared one" in shared


def test_not_through_the_api(secret, mentorship, mentor_client):
    for entry in secret["entries"]:
        assert mentor_client.get(f"/api/v1/binder/entries/{entry.pk}").status_code == 404
        assert (
            mentor_client.patch(
                f"/api/v1/binder/entries/{entry.pk}",
                json.dumps({"shared": True}),
                content_type="application/json",
            ).status_code
            == 404
        )
    for path in (
        "/api/v1/binder/",
        "/api/v1/binder/entries",
        f"/api/v1/binder/shared/{mentorship.pk}",
        f"/api/v1/binder/search?q={SECRET}",
        "/api/v1/binder/export.md",
        f"/api/v1/meetings/{secret['meeting'].pk}/notes/mine",
        f"/api/v1/meetings/{secret['meeting'].pk}",
    ):
        response = mentor_client.get(path)
        assert SECRET not in response.content.decode(), path
    titles = [
        e["title"] for e in mentor_client.get(f"/api/v1/binder/shared/{mentorship.pk}").json()
    ]
    assert titles == ["Shared one"]


def test_not_in_the_calendar_feed(secret, mentor, client):
    token = meeting_services.calendar_feed_regenerate(user=mentor)[1]
    assert SECRET not in client.get(reverse("meetings:feed", args=[token])).content.decode()


def test_not_in_any_email(secret, mentorship, mentee, mentor, django_capture_on_commit_callbacks):
    meeting = secret["meeting"]
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_update_details(
            meeting=meeting, by=mentee, duration_minutes=30, channel="video", location=""
        )
        meeting_services.meeting_cancel(meeting=meeting, by=mentee, note="Sorry")
        services.entry_send_urgent(
            entry=services.entry_create(owner=mentee, section="questions", title="Urgent one"),
            by=mentee,
        )
    to_mentor = [m for m in mail.outbox if m.to == [mentor.email]]
    assert to_mentor
    for message in to_mentor:
        parts = [str(message.subject), str(message.body)]
        parts += [str(a[1]) for a in message.attachments]
        parts += [str(alt[0]) for alt in message.alternatives]
        everything = "".join(parts)
        assert SECRET not in everything


def test_not_in_search_or_selectors(secret, mentor):
    assert selectors.binder_search(user=mentor, q=SECRET) == []
    assert selectors.binder_search(user=mentor, q="UNSHARED") == []
    assert SECRET not in selectors.binder_markdown(user=mentor)


def test_unsharing_hides_it_again(secret, mentorship, mentee, mentor_client):
    entry = secret["entries"][0]
    services.entry_set_shared(entry=entry, by=mentee, shared=True)
    assert mentor_client.get(reverse("binder:entry", args=[entry.pk])).status_code == 200
    services.entry_set_shared(entry=entry, by=mentee, shared=False)
    assert mentor_client.get(reverse("binder:entry", args=[entry.pk])).status_code == 404


def test_an_entry_tied_to_another_mentorship_is_not_visible_to_this_mentor(
    mentorship, mentee, mentor_client, outsider
):
    from tandem.meetings.tests.factories import make_mentorship

    other = make_mentorship(mentee, outsider)
    entry = services.entry_create(
        owner=mentee,
        section="questions",
        title="For the other mentor",
        mentorship=other,
        share=True,
    )
    assert mentor_client.get(reverse("binder:entry", args=[entry.pk])).status_code == 404
