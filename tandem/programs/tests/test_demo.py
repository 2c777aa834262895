"""The programmes demo (issue 13, item 19): `tandem demo` loaded once for the module, then read
the way the manager persona and a mentee persona meet it, through the pages, in English and in
Indonesian. The cohort is invited and accepts (nobody's account edited), its published
mentorships' history names the manager who published; months of meetings held, check-ins
answered with varied satisfaction, some relationships healthy and some at risk, a few closed
for inactivity, no past meeting left reading "Scheduled"; running the demo again adds
nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from tandem.accounts.models import User
from tandem.accounts.tests.factories import FAST_PASSWORD_HASHERS
from tandem.binder.models import Assignment
from tandem.meetings.models import AgendaItem, Meeting, MeetingNote
from tandem.mentorships.models import CheckIn as ReviewCheckIn
from tandem.mentorships.models import Mentorship, StatusChange
from tandem.programs import health, selectors
from tandem.programs.demo import DEMO_NAME
from tandem.programs.models import (
    CheckIn,
    HealthSnapshot,
    Invitation,
    Match,
    Membership,
    Programme,
)
from tandem.programs.views import health_label

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Programme]:
    """The whole demo, as `tandem demo` loads it, rolled back after the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
                call_command("demo", stdout=io.StringIO())
            yield Programme.objects.get(name=DEMO_NAME)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(email: str, language: str) -> Client:
    user = User.objects.get(email=email)
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    return client


def _table(html: str, key: str) -> list[list[str]]:
    """The body rows of the dashboard's table `key`, as cell texts."""
    section = re.search(rf'<section aria-labelledby="t-{key}">(.*?)</section>', html, re.S)
    assert section, key
    body = re.search(r"<tbody>(.*?)</tbody>", section.group(1), re.S)
    assert body, key
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


def test_the_programme_is_built_by_invitation_and_published_by_its_manager(demo):
    manager = User.objects.get(email="manager@demo.tandem.test")
    assert selectors.can_create_programme(manager)
    members = Membership.objects.filter(programme=demo).exclude(role="manager")
    assert members.count() > 100
    assert set(members.values_list("source", flat=True)) == {Membership.Source.INVITATION}
    assert not Invitation.objects.filter(programme=demo, status="pending").exists()
    started = Match.objects.filter(programme=demo, mentorship__isnull=False)
    assert started.exists()
    history = StatusChange.objects.filter(
        mentorship_id__in=started.values("mentorship_id"), from_status=""
    )
    assert set(history.values_list("by_id", flat=True)) == {manager.pk}
    # Joined before they were matched, invited before they joined.
    matched_at = started.values_list("matched_at", flat=True)[0]
    assert not members.filter(joined_at__gt=matched_at).exists()
    assert not Invitation.objects.filter(programme=demo, answered_at__lt=F("created_at")).exists()


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_dashboard_shows_months_of_meetings_answers_and_mixed_health(demo, language):
    client = _client("manager@demo.tandem.test", language)
    response = client.get(reverse("programs:dashboard", args=[demo.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    statuses = (health.HEALTHY, health.AT_RISK, health.CLOSED)
    with translation.override(language):
        labels = {status: str(health_label(status)) for status in statuses}
    assert f'lang="{language}"' in html

    meetings = _table(html, "meetings")
    assert len(meetings) == 6
    past_months = [int(count) for _month, count in meetings[:-1]]
    assert all(n > 0 for n in past_months[-3:]), meetings  # every full month since matching
    assert sum(n > 0 for n in past_months) >= 4, meetings

    now = dict(_table(html, "health"))
    for status in statuses:
        assert int(now[labels[status]]) > 0, (status, now)

    answers = [int(n) for _score, n in _table(html, "satisfaction")]
    assert sum(answers) > 100 and sum(n > 0 for n in answers) >= 4, answers

    weeks = _table(html, "health_over_time")
    assert len(weeks) >= 10  # a sweep every week, kept as history


def test_the_relationships_page_lists_healthy_at_risk_and_closed_pairs(demo):
    client = _client("manager@demo.tandem.test", "id")
    badges: list[str] = []
    held: list[int] = []
    for page in (1, 2, 3):
        html = client.get(
            reverse("programs:relationships", args=[demo.pk]), {"page": page}
        ).content.decode()
        table = html.split("<tbody>")[1].split("</tbody>")[0]
        badges += re.findall(r'<span class="badge ([a-z]*)">', table)
        held += [int(n) for n in re.findall(r"<td>(\d+) / \d+</td>", table)]
    assert len(badges) == Match.objects.filter(programme=demo).count()
    assert badges.count("ok") > len(badges) // 3 and badges.count("bad") > 0
    assert "" in badges  # closed
    assert max(held) >= 5 and held.count(0) < len(held) // 4


def test_past_meetings_were_held_with_agendas_notes_and_action_items(demo):
    now = timezone.now()
    past = Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__lt=now)
    programme_past = past.filter(
        mentorship_id__in=Match.objects.filter(programme=demo).values("mentorship_id")
    )
    assert programme_past.count() > 300
    # Held: every past meeting's agenda was worked through (an item left open was carried).
    assert (
        not AgendaItem.objects.filter(meeting__in=past, done_at__isnull=True)
        .exclude(carried_to__isnull=False)
        .exists()
    )
    assert not past.exclude(agenda_items__isnull=False).exists()
    assert past.exclude(shared_summary="").count() > past.count() * 3 // 4
    assert MeetingNote.objects.filter(meeting__in=programme_past).count() > 100
    assert Assignment.objects.filter(meeting__in=programme_past).exists()
    matched_at = Match.objects.filter(programme=demo).values_list("matched_at", flat=True)[0]
    assert not programme_past.filter(starts_at__lt=matched_at).exists()  # none before matching


@pytest.mark.parametrize(
    ("language", "held", "scheduled"),
    [("en", "Held", "Scheduled"), ("id", "Sudah berlangsung", "Terjadwal")],
)
def test_a_mentees_meetings_read_held_in_the_past_and_scheduled_ahead(
    demo, language, held, scheduled
):
    client = _client("mentee@demo.tandem.test", language)
    html = client.get(reverse("meetings:list")).content.decode()
    upcoming, past = html.split('id="past-title"')
    assert past.count(f'<span class="badge">{held}</span>') >= 3
    assert f">{scheduled}</span>" not in past
    assert f'<span class="badge ok">{scheduled}</span>' in upcoming


def test_check_ins_and_reviews_were_answered_and_the_never_started_closed(demo):
    answered = CheckIn.objects.filter(match__programme=demo, answered_at__isnull=False)
    assert answered.count() > 200
    assert len(set(answered.values_list("satisfaction", flat=True))) == 5
    assert answered.filter(meets_as_agreed=False).exists()
    assert CheckIn.objects.filter(match__programme=demo, answered_at__isnull=True).exists()
    assert not answered.filter(answered_at__lt=F("sent_at")).exists()
    assert ReviewCheckIn.objects.filter(working="yes").exists()
    assert ReviewCheckIn.objects.exclude(working="yes").exists()
    closed = Match.objects.filter(programme=demo, closed_at__isnull=False)
    assert closed.exists()
    ended = StatusChange.objects.filter(
        mentorship_id__in=closed.values("mentorship_id"), reason=StatusChange.Reason.INACTIVE
    )
    assert ended.count() == closed.count()
    assert not ended.filter(created_at__gt=timezone.now() - dt.timedelta(days=7)).exists()
    assert (
        Mentorship.objects.filter(
            pk__in=Match.objects.filter(programme=demo).values("mentorship_id"), status="active"
        ).count()
        > closed.count()
    )
    assert HealthSnapshot.objects.filter(programme=demo).values("on").distinct().count() >= 10


def test_loading_the_demo_again_adds_nothing(demo):
    def counts() -> tuple[int, ...]:
        return tuple(
            model.objects.count()
            for model in (
                Meeting, AgendaItem, CheckIn, HealthSnapshot, Match, Mentorship, Membership,
                Invitation,
            )
        )  # fmt: skip

    before = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == before
