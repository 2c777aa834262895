from __future__ import annotations

from datetime import date
from typing import Any

import factory

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory
from tandem.people.models import CareerRole, ListItem, Organisation, Profile


def item(kind: str, slug: str) -> ListItem:
    return ListItem.objects.get(kind=kind, slug=slug)


def items(kind: str, *slugs: str) -> list[ListItem]:
    return [item(kind, slug) for slug in slugs]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    headline = "Engineer"
    languages = "en"


def make_mentor(
    user: User | None = None,
    *,
    headline: str = "Senior engineer",
    bio: str = "",
    guidance: tuple[str, ...] = ("promotion",),
    function: str = "engineering",
    seniority: str = "senior",
    industry: str = "software",
    languages: str = "en",
    capacity: int = 2,
    paused: bool = False,
    organisation: Organisation | None = None,
    **extra: Any,
) -> Profile:
    profile: Profile = ProfileFactory(  # type: ignore[assignment]
        user=user or UserFactory(),
        headline=headline,
        bio=bio,
        is_mentor=True,
        function=item("function", function),
        seniority=item("seniority", seniority),
        industry=item("industry", industry),
        languages=languages,
        capacity=capacity,
        paused=paused,
        organisation=organisation,
        **extra,
    )
    profile.guidance_offered.set(items("guidance", *guidance))
    return profile


def make_role(profile: Profile, title: str = "Engineer", **extra: Any) -> CareerRole:
    extra.setdefault("start", date(2020, 1, 1))
    return CareerRole.objects.create(profile=profile, title=title, **extra)
