from __future__ import annotations

import random

import pytest

from tandem.accounts import demo as accounts_demo
from tandem.accounts.models import User
from tandem.core.demo import DemoContext
from tandem.people import demo as people_demo
from tandem.people.models import CareerRole, Organisation, Profile


def _load() -> DemoContext:
    """The accounts and people loaders only (the other apps' loaders come later)."""
    ctx = DemoContext(rng=random.Random(2026), password="x")
    accounts_demo.load(ctx)
    people_demo.load(ctx)
    return ctx


@pytest.mark.django_db
def test_demo_profiles_are_rich_and_loading_twice_changes_nothing(settings):
    ctx = _load()
    assert Profile.objects.count() >= 243
    mentors = Profile.objects.filter(is_mentor=True).count()
    assert 0.3 < mentors / Profile.objects.count() < 0.5
    assert Profile.objects.filter(is_mentor=True, paused=True).exists()
    assert Organisation.objects.count() >= 12
    assert Organisation.competitors.through.objects.count() >= 4
    mentee = User.objects.get(email="mentee@demo.tandem.test").profile
    assert mentee.is_mentee and "promotion" in {g.slug for g in mentee.guidance_wanted.all()}
    assert mentee.manager is not None
    mentor = User.objects.get(email="mentor@demo.tandem.test").profile
    assert mentor.is_mentor and mentor.seniority.slug == "director"
    assert ctx.data["mentors"] and ctx.data["mentees"]
    counts = (Profile.objects.count(), CareerRole.objects.count(), Organisation.objects.count())
    _load()
    assert (
        Profile.objects.count(),
        CareerRole.objects.count(),
        Organisation.objects.count(),
    ) == counts
