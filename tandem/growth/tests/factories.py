"""Factories for growth tests, plus small helpers that set up other apps' rows
(mentorships, profiles, career roles) the growth features read."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory
from tandem.growth.models import Contact, Goal, GoalStep


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Stretch goal {n}")
    target = "Lead two cross-team projects"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalStep

    goal = factory.SubFactory(GoalFactory)
    owner = factory.LazyAttribute(lambda o: o.goal.owner if o.goal else UserFactory())
    title = factory.Sequence(lambda n: f"Step {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    relationship = Contact.Relationship.FORMER_BOSS


def make_mentorship(*, mentee: User, mentor: User, status: str = "active"):
    from tandem.mentorships.models import Mentorship

    return Mentorship.objects.create(
        mentee=mentee, mentor=mentor, status=status, started_at=timezone.now()
    )


def make_profile(user: User, **fields: object):
    from tandem.people.models import Profile

    profile, _ = Profile.objects.get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def make_role(user: User, org_name: str, start: datetime.date, end: datetime.date | None = None):
    from tandem.people.models import CareerRole, Organisation

    org, _ = Organisation.objects.get_or_create(name=org_name)
    return CareerRole.objects.create(
        profile=make_profile(user), title="Analyst", organisation=org, start=start, end=end
    )
