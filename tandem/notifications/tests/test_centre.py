from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.notifications.models import Notification, NotificationPreference
from tandem.notifications.services import (
    digests_send,
    email_send_templated,
    preference_set,
    unsubscribe_token,
)

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _sample_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]


def _notify(user, title="Meeting moved", capture=None):
    with capture(execute=True):
        return email_send_templated(
            user=user, template="sample_event", context={"title": title, "url": "/meetings/1/"}
        )


@pytest.mark.django_db
def test_event_is_listed_and_emailed_in_the_recipients_language_with_unsubscribe(
    mentor, django_capture_on_commit_callbacks
):
    _notify(mentor, capture=django_capture_on_commit_callbacks)  # mentor reads Indonesian
    assert Notification.objects.get(user=mentor).subject == "Pengaturan: Meeting moved"
    message = mail.outbox[0]
    assert message.subject == "Pengaturan: Meeting moved"
    assert "Selamat datang Budi Mentor" in message.body
    assert "/notifications/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "List-Unsubscribe-Post" in message.extra_headers


@pytest.mark.django_db
def test_off_means_listed_but_not_emailed(mentee, django_capture_on_commit_callbacks):
    preference_set(user=mentee, kind="sample_event", mode="off")
    assert _notify(mentee, capture=django_capture_on_commit_callbacks) is None
    assert mail.outbox == []
    assert Notification.objects.get(user=mentee).email == Notification.Email.NONE


@pytest.mark.django_db
def test_digest_collects_events_once_a_day(mentee, django_capture_on_commit_callbacks):
    preference_set(user=mentee, kind="sample_event", mode="digest")
    _notify(mentee, "First", capture=django_capture_on_commit_callbacks)
    _notify(mentee, "Second", capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
        assert digests_send() == 0  # running the task again sends nothing twice
    assert len(mail.outbox) == 1
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    assert "2 updates" in mail.outbox[0].subject
    _notify(mentee, "Third", capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 0  # not a day yet
        assert digests_send(now=timezone.now() + timedelta(days=1)) == 1
    assert len(mail.outbox) == 2 and "Third" in mail.outbox[1].body


@pytest.mark.django_db
def test_one_click_unsubscribe_turns_the_kind_off(client, mentee):
    token = unsubscribe_token(user_id=mentee.pk, kind="sample_event")
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 200
    assert not NotificationPreference.objects.exists()
    assert client.post(url).status_code == 200
    pref = NotificationPreference.objects.get(user=mentee, kind="sample_event")
    assert pref.mode == "off"


@pytest.mark.django_db
def test_forged_unsubscribe_token_is_404(client, mentee):
    token = unsubscribe_token(user_id=mentee.pk, kind="x")
    assert client.post(reverse("notifications:unsubscribe", args=[token + "x"])).status_code == 404


@pytest.mark.django_db
def test_list_shows_only_ones_own_and_mark_read_cannot_touch_others(
    mentee_client, mentee, outsider, django_capture_on_commit_callbacks
):
    _notify(mentee, "Mine", capture=django_capture_on_commit_callbacks)
    _notify(outsider, "Theirs", capture=django_capture_on_commit_callbacks)
    html = mentee_client.get(reverse("notifications:list")).content.decode()
    assert "Mine" in html and "Theirs" not in html
    theirs = Notification.objects.get(user=outsider)
    mentee_client.post(reverse("notifications:mark_read"), {"id": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    mentee_client.post(reverse("notifications:mark_read"))
    assert Notification.objects.get(user=mentee).read_at is not None


@pytest.mark.django_db
def test_preferences_page_saves_modes(mentee_client, mentee, django_capture_on_commit_callbacks):
    _notify(mentee, capture=django_capture_on_commit_callbacks)
    mentee_client.post(reverse("notifications:preferences"), {"mode-sample_event": "digest"})
    assert NotificationPreference.objects.get(user=mentee).mode == "digest"


@pytest.mark.django_db
def test_unread_badge_in_navigation(mentee_client, mentee, django_capture_on_commit_callbacks):
    _notify(mentee, capture=django_capture_on_commit_callbacks)
    assert '1<span class="visually-hidden"> unread' in mentee_client.get("/").content.decode()


@pytest.mark.django_db
def test_api_lists_own_notifications_and_sets_preferences(
    mentee_client, mentee, outsider, django_capture_on_commit_callbacks
):
    _notify(outsider, "Theirs", capture=django_capture_on_commit_callbacks)
    _notify(mentee, "Mine", capture=django_capture_on_commit_callbacks)
    items = mentee_client.get("/api/v1/notifications/").json()["items"]
    assert [i["subject"] for i in items] == ["Settings: Mine"]
    bad = mentee_client.put(
        "/api/v1/notifications/preferences",
        data={"kind": "sample_event", "mode": "sometimes"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    ok = mentee_client.put(
        "/api/v1/notifications/preferences",
        data={"kind": "sample_event", "mode": "off"},
        content_type="application/json",
    )
    assert ok.json()["mode"] == "off"
    marked = mentee_client.post(
        "/api/v1/notifications/read", data={}, content_type="application/json"
    )
    assert marked.json() == {"marked": 1}


@pytest.mark.django_db
def test_tick_enqueues_every_periodic_task(settings):
    from tandem.core.periodic import periodic_tasks, tick

    names = tick()["enqueued"]
    assert "tandem.notifications.tasks.send_daily_digests" in names
    assert len(names) == len(periodic_tasks())


@pytest.mark.django_db
def test_plain_text_bodies_are_not_html_escaped(mentee, django_capture_on_commit_callbacks):
    _notify(mentee, "Tea & talk <soon>", capture=django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert "Tea & talk <soon>" in message.subject and "Tea & talk <soon>" in message.body
    html = message.alternatives[0][0]
    assert "Tea &amp; talk &lt;soon&gt;" in html


@pytest.mark.django_db
def test_api_list_pages_within_bounds(mentee_client, mentee, django_capture_on_commit_callbacks):
    _notify(mentee, "First", capture=django_capture_on_commit_callbacks)
    _notify(mentee, "Second", capture=django_capture_on_commit_callbacks)
    page = mentee_client.get("/api/v1/notifications/?limit=1&offset=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1
    for query in ("offset=9223372036854775808", "offset=-1", "limit=0", "limit=101"):
        assert mentee_client.get(f"/api/v1/notifications/?{query}").status_code == 422, query
