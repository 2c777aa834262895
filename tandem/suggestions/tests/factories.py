"""Profiles for the suggestion tests, built on people's models and seeded reference lists."""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.people.models import CareerRole, ListItem, ListKind, Organisation, Profile


def item(kind: str, slug: str) -> ListItem:
    return ListItem.objects.get(kind=kind, slug=slug)


def org(name: str) -> Organisation:
    return Organisation.objects.get_or_create(name=name)[0]


def make_profile(
    user: User,
    *,
    function: str = "product",
    seniority: str = "senior",
    industry: str = "software",
    organisation: str = "Nusantara Digital",
    offered: tuple[str, ...] = (),
    wanted: tuple[str, ...] = (),
    values: tuple[str, ...] = (),
    roles: tuple[tuple[str, str, str], ...] = (),
    **fields: Any,
) -> Profile:
    """A profile; `roles` are (function, seniority, organisation), oldest first."""
    fields.setdefault("languages", "en,id")
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={
            "function": item(ListKind.FUNCTION, function),
            "seniority": item(ListKind.SENIORITY, seniority),
            "industry": item(ListKind.INDUSTRY, industry),
            "organisation": org(organisation) if organisation else None,
            **fields,
        },
    )
    profile.guidance_offered.set([item(ListKind.GUIDANCE, g) for g in offered])
    profile.guidance_wanted.set([item(ListKind.GUIDANCE, g) for g in wanted])
    profile.values.set([item(ListKind.VALUE, v) for v in values])
    for year, (fn, level, where) in enumerate(roles, start=2010):
        CareerRole.objects.create(
            profile=profile,
            title=f"{fn} {level}",
            function=item(ListKind.FUNCTION, fn),
            seniority=item(ListKind.SENIORITY, level),
            organisation=org(where),
            start=f"{year}-01-01",
        )
    return profile


def make_user(email: str, full_name: str = "", **fields: Any) -> User:
    """A user without a usable password (hashing one is slow and these never log in)."""
    fields.setdefault("timezone", "Asia/Jakarta")
    return User.objects.create(email=email, full_name=full_name, password="!", **fields)


def make_mentor(n: int = 0, **fields: Any) -> User:
    user = make_user(f"mentor{n}@example.com", f"Mentor Number{n}")
    fields.setdefault("seniority", "director")
    fields.setdefault("offered", ("promotion", "leadership"))
    fields.setdefault("capacity", 2)
    fields.setdefault("hours_per_month", 4)
    make_profile(user, is_mentor=True, **fields)
    return user


def make_mentee_profile(user: User, **fields: Any) -> Profile:
    fields.setdefault("wanted", ("promotion", "leadership"))
    fields.setdefault("goals", "I want to become a product manager and lead a team.")
    return make_profile(user, is_mentee=True, **fields)
