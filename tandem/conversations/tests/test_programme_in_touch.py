"""Programme managers see that a pair is in touch (the date of its last message on the
relationships page, its CSV and the API), never a word of what they wrote, and cannot open
the conversation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.conversations import selectors, services
from tandem.programs import selectors as programme_selectors
from tandem.programs.tests.factories import published_cohort

pytestmark = pytest.mark.django_db

SECRET = "SECRET-MESSAGE-77 about my manager"


def test_the_manager_sees_the_date_of_the_last_message_only(
    manager, manager_client, django_capture_on_commit_callbacks
):
    programme, mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    rows = programme_selectors.relationship_rows(
        matches=list(programme_selectors.matches_of(programme=programme)), programme=programme
    )
    row = next(r for r in rows if r.match.mentee_id == mentees[0].pk)
    mentorship_id = row.match.mentorship_id
    assert mentorship_id and row.last_message_at is None
    thread = selectors.get_thread_for_user(mentees[0], "mentorship", mentorship_id)
    services.message_post(thread=thread, by=mentees[0], body=SECRET)
    rows = programme_selectors.relationship_rows(
        matches=list(programme_selectors.matches_of(programme=programme)), programme=programme
    )
    row = next(r for r in rows if r.match.mentee_id == mentees[0].pk)
    assert row.last_message_at is not None
    today = timezone.localdate().isoformat()
    csv = manager_client.get(
        reverse("programs:relationships", args=[programme.pk]) + "?format=csv"
    ).content.decode()
    assert today in csv
    api = manager_client.get(f"/api/v1/programs/{programme.pk}/relationships").json()
    assert sum(1 for r in api if r["last_message_at"]) == 1
    for url in (
        reverse("programs:relationships", args=[programme.pk]),
        reverse("programs:relationships", args=[programme.pk]) + "?format=csv",
        reverse("programs:dashboard", args=[programme.pk]),
        f"/api/v1/programs/{programme.pk}/relationships",
    ):
        assert SECRET not in manager_client.get(url).content.decode(), url
    page = reverse("conversations:thread", args=["mentorship", mentorship_id])
    assert manager_client.get(page).status_code == 404
