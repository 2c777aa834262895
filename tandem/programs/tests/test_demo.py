"""The programmes demo: the manager persona keeps the right to create programmes, the cohort
is invited (nobody's account edited) and accepted, and the published mentorships' history
names the manager who published them."""

from __future__ import annotations

import random

import pytest

from tandem.core.demo import DemoContext, tandem_modules
from tandem.mentorships.models import StatusChange
from tandem.programs import selectors
from tandem.programs.demo import DEMO_NAME
from tandem.programs.models import Invitation, Match, Membership, Programme

pytestmark = pytest.mark.django_db


def load_demo() -> DemoContext:
    ctx = DemoContext(rng=random.Random(2026), password="demo")
    for module in tandem_modules("demo"):
        if module.__name__ != "tandem.core.demo":
            module.load(ctx)
    return ctx


def test_the_demo_programme_is_built_by_invitation_and_published_by_its_manager():
    ctx = load_demo()
    manager = ctx.data["personas"]["manager"]
    assert selectors.can_create_programme(manager)
    programme = Programme.objects.get(name=DEMO_NAME)
    members = Membership.objects.filter(programme=programme).exclude(role="manager")
    assert members.count() > 100
    assert set(members.values_list("source", flat=True)) == {Membership.Source.INVITATION}
    assert not Invitation.objects.filter(programme=programme, status="pending").exists()
    started = Match.objects.filter(programme=programme, mentorship__isnull=False)
    assert started.exists()
    history = StatusChange.objects.filter(
        mentorship_id__in=started.values("mentorship_id"), from_status=""
    )
    assert set(history.values_list("by_id", flat=True)) == {manager.pk}
    counts = (Membership.objects.count(), Invitation.objects.count(), Match.objects.count())
    load_demo()
    assert counts == (Membership.objects.count(), Invitation.objects.count(), Match.objects.count())
