"""The demo fills the personas' meetings, agendas and binder, and running it twice adds nothing."""

from __future__ import annotations

import random

import pytest

from tandem.attachments.models import Attachment
from tandem.binder.models import Assignment, BinderEntry
from tandem.core.demo import DemoContext, tandem_modules
from tandem.meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def load_demo(password: str) -> DemoContext:
    """The demo loaders up to and including the binder's (later apps are not needed here)."""
    ctx = DemoContext(rng=random.Random(2026), password=password)
    for module in tandem_modules("demo"):
        if module.__name__ != "tandem.core.demo":
            module.load(ctx)
        if module.__name__ == "tandem.binder.demo":
            break
    return ctx


def test_demo_fills_meetings_agendas_and_the_binder_idempotently():
    ctx = load_demo(password="demo")
    mentee, mentor = ctx.data["personas"]["mentee"], ctx.data["personas"]["mentor"]
    meetings = Meeting.objects.filter(mentorship__mentee=mentee, mentorship__mentor=mentor)
    assert meetings.filter(status="scheduled").count() >= 2
    assert meetings.filter(status="proposed").exists()
    assert AgendaItem.objects.filter(
        meeting__in=meetings, kind="problem", solutions__isnull=False
    ).exists()
    entries = BinderEntry.objects.filter(owner=mentee)
    assert {e.section for e in entries} == {
        "questions",
        "mentor_notes",
        "discussion",
        "meeting_notes",
    }
    assert (
        entries.filter(shared_at__isnull=True).exists()
        and entries.filter(urgent_sent_at__isnull=False).exists()
    )
    counts = (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        BinderEntry.objects.count(),
        Assignment.objects.count(),
        Attachment.objects.count(),
    )
    assert Attachment.objects.filter(uploaded_by=mentee, kind="binder.critique").exists()
    load_demo(password="demo")
    assert counts == (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        BinderEntry.objects.count(),
        Assignment.objects.count(),
        Attachment.objects.count(),
    )
