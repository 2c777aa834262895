"""Nothing new reaches a former mentor: an entry cannot be shared into an ended mentorship
(service, page, API), and what was shared before the end stays readable while anything
shared after it (written straight to the database, as an old client might have) does not."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.binder import selectors, services
from tandem.binder.models import BinderEntry

pytestmark = pytest.mark.django_db


def _end(mentorship, status="ended"):
    mentorship.status = status
    mentorship.ended_at = timezone.now()
    mentorship.save()


@pytest.fixture
def before(mentorship, mentee):
    return services.entry_create(
        owner=mentee, section="questions", title="Before", mentorship=mentorship, share=True
    )


@pytest.fixture
def private(mentorship, mentee):
    return services.entry_create(
        owner=mentee, section="mentor_notes", title="Private", mentorship=mentorship
    )


@pytest.mark.parametrize("status", ["ended", "completed"])
def test_the_service_refuses_to_share_into_an_ended_mentorship(mentorship, mentee, private, status):
    _end(mentorship, status)
    with pytest.raises(ValidationError):
        services.entry_set_shared(entry=private, by=mentee, shared=True)
    with pytest.raises(ValidationError):
        services.entry_create(
            owner=mentee, section="questions", title="New", mentorship=mentorship, share=True
        )
    private.refresh_from_db()
    assert private.shared_at is None
    assert not BinderEntry.objects.filter(title="New").exists()


def test_the_api_answers_422_and_shares_nothing(mentorship, mentee, private, csrf_client_for):
    _end(mentorship)
    client = csrf_client_for(mentee)
    response = client.patch(
        f"/api/v1/binder/entries/{private.pk}", {"shared": True}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "ended" in response.content.decode()
    response = client.post(
        "/api/v1/binder/entries",
        {"section": "questions", "title": "New", "mentorship_id": mentorship.pk, "share": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    private.refresh_from_db()
    assert private.shared_at is None
    assert not BinderEntry.objects.filter(title="New").exists()


def test_the_page_says_why_and_shares_nothing(mentorship, mentee, private, csrf_client_for):
    _end(mentorship)
    client = csrf_client_for(mentee)
    response = client.post(reverse("binder:entry_share", args=[private.pk]), {"shared": "1"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This mentorship has ended" in page
    private.refresh_from_db()
    assert private.shared_at is None


def test_the_sharing_still_works_in_a_live_mentorship(mentorship, mentee, private, csrf_client_for):
    client = csrf_client_for(mentee)
    response = client.patch(
        f"/api/v1/binder/entries/{private.pk}", {"shared": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["shared"] is True


def test_the_former_mentor_reads_what_was_shared_before_the_end_only(
    mentorship, mentor, before, private, csrf_client_for
):
    _end(mentorship)
    later = mentorship.ended_at + datetime.timedelta(minutes=5)
    BinderEntry.objects.filter(pk=private.pk).update(shared_at=later)
    client = csrf_client_for(mentor)
    assert client.get(reverse("binder:entry", args=[before.pk])).status_code == 200
    assert client.get(reverse("binder:entry", args=[private.pk])).status_code == 404
    assert client.get(f"/api/v1/binder/entries/{private.pk}").status_code == 404
    listed = client.get(f"/api/v1/binder/shared/{mentorship.pk}").json()
    assert [e["id"] for e in listed] == [before.pk]
    page = client.get(reverse("binder:shared", args=[mentorship.pk])).content.decode()
    assert "Before" in page and "Private" not in page
    assert [h.title for h in selectors.binder_search(user=mentor, q="Private")] == []
