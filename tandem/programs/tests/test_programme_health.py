"""Programme check-ins, relationship health, the manager's alerts, the daily task and the
dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.programs import selectors, services
from tandem.programs.models import CheckIn, Match
from tandem.programs.tests.factories import published_cohort

pytestmark = pytest.mark.django_db


# --- check-ins, health and alerts -----------------------------------------------------------


def test_checkins_go_out_after_30_days_then_every_60(manager, django_capture_on_commit_callbacks):
    _programme, mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkins_send_due(now=now + dt.timedelta(days=29)) == 0
        assert services.checkins_send_due(now=now + dt.timedelta(days=30)) == 4
        assert services.checkins_send_due(now=now + dt.timedelta(days=31)) == 0  # idempotent
    assert len(mail.outbox) == 4
    assert {tuple(m.to) for m in mail.outbox} >= {(mentees[0].email,), (mentees[1].email,)}
    indonesian = next(m for m in mail.outbox if m.to == [mentees[1].email])
    assert "Bagaimana" in indonesian.subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkins_send_due(now=now + dt.timedelta(days=89)) == 0
        assert services.checkins_send_due(now=now + dt.timedelta(days=90)) == 4


def test_answering_a_checkin_and_the_manager_never_sees_the_comment(
    manager, manager_client, django_capture_on_commit_callbacks
):
    from django.test import Client

    programme, mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    services.checkins_send_due(now=timezone.now() + dt.timedelta(days=30))
    item = CheckIn.objects.get(user=mentees[0])
    client = Client()
    client.force_login(mentees[0])
    secret = "My mentor keeps cancelling, SECRET-COMMENT-42"
    response = client.post(
        reverse("programs:checkin", args=[item.pk]),
        {"satisfaction": "2", "meets_as_agreed": "no", "comment": secret},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.satisfaction, item.meets_as_agreed) == (2, False)
    pages = [
        reverse("programs:detail", args=[programme.pk]),
        reverse("programs:dashboard", args=[programme.pk]),
        reverse("programs:relationships", args=[programme.pk]),
        reverse("programs:relationships", args=[programme.pk]) + "?format=csv",
        reverse("programs:participants", args=[programme.pk]) + "?format=csv",
        *[
            reverse("programs:dashboard", args=[programme.pk]) + f"?export={key}"
            for key in ("satisfaction", "health", "health_over_time", "goals")
        ],
        f"/api/v1/programs/{programme.pk}/dashboard",
        f"/api/v1/programs/{programme.pk}/relationships",
    ]
    for url in pages:
        body = manager_client.get(url).content.decode()
        assert "SECRET-COMMENT-42" not in body, url
    # The manager cannot open the check-in itself.
    assert manager_client.get(reverse("programs:checkin", args=[item.pk])).status_code == 404
    # Satisfaction 2 puts the relationship at risk.
    rows = selectors.relationship_rows(
        matches=list(selectors.matches_of(programme=programme)), programme=programme
    )
    statuses = {r.match.mentee_id: r.health.status for r in rows}
    assert statuses[mentees[0].pk] == "at_risk"


def test_manager_is_alerted_after_21_quiet_days_and_pairs_close_after_90_with_warning(
    manager, django_capture_on_commit_callbacks
):
    programme, _mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        r = services.health_sweep(programme=programme, now=now + dt.timedelta(days=20))
        assert r.alerts == 0
        r = services.health_sweep(programme=programme, now=now + dt.timedelta(days=21))
        assert r.alerts == 1
        r = services.health_sweep(programme=programme, now=now + dt.timedelta(days=22))
        assert r.alerts == 0  # once only
    alert = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(alert) == 1 and "gone quiet" in alert[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = services.health_sweep(programme=programme, now=now + dt.timedelta(days=83))
        assert (r.warnings, r.closed) == (2, 0)
        r = services.health_sweep(programme=programme, now=now + dt.timedelta(days=89))
        assert r.closed == 0
        r = services.health_sweep(programme=programme, now=now + dt.timedelta(days=90))
        assert r.closed == 2
    assert Match.objects.filter(closed_at__isnull=False).count() == 2
    from tandem.notifications.models import OutgoingEmail

    assert OutgoingEmail.objects.filter(kind="programs/closing_warning").count() == 4  # both
    # Their mentorships close with the matches; mentorships' own email tells both, once.
    closed = OutgoingEmail.objects.filter(kind="mentorships/mentorship_closed_inactive")
    assert closed.count() == 4
    assert not OutgoingEmail.objects.filter(kind="programs/closed").exists()


def test_daily_task_and_command(manager, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    published_cohort(manager, django_capture_on_commit_callbacks)
    call_command("programs_daily")  # tasks run immediately in tests
    assert CheckIn.objects.count() == 0


def test_dashboard_renders_svg_charts_and_exports_csv(
    manager, manager_client, django_capture_on_commit_callbacks
):
    programme, _mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    services.health_sweep(programme=programme)
    response = manager_client.get(reverse("programs:dashboard", args=[programme.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 7 and "<script" not in body.split("</head>")[1]
    assert 'role="img"' in body
    csv_response = manager_client.get(
        reverse("programs:dashboard", args=[programme.pk]), {"export": "enrolment"}
    )
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Mentees,2" in csv_response.content.decode()
    data = selectors.dashboard(programme=programme)
    assert data.match_rate == 1.0
    assert dict(data.health_now)["healthy"] == 2
