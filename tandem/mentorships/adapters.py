"""The one place the mentorships app reads the people app (its Profile, reporting lines,
organisations and reference lists).

Small functions, so that a change in people touches only this file; tests use
real profiles. They read fresh from the database: `mentor_limits` is called under the
mentor's row lock, so it must not trust a cached `user.profile`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tandem.matching.types import Person

# Used only when people's guidance list is empty (a database without its seed migration).
FALLBACK_GUIDANCE_KINDS: list[tuple[str, Any]] = [
    ("promotion", _("Getting promoted")),
    ("leadership", _("Leadership")),
    ("career-change", _("Changing career")),
    ("networking", _("Networking")),
    ("feedback", _("Feedback on my work")),
]


@dataclass(frozen=True)
class MentorLimits:
    capacity: int
    paused: bool
    has_profile: bool
    is_mentor: bool = False


def mentor_limits(user: Any) -> MentorLimits:
    """Capacity and pause from people's Profile. Someone without a profile yet (a contact who
    never filled one in) may take TANDEM_DEFAULT_MENTOR_CAPACITY mentees (default 1)."""
    from tandem.people.models import Profile

    row = Profile.objects.filter(user_id=user.pk).values("capacity", "paused", "is_mentor").first()
    if row is None:
        default = int(settings.TANDEM_DEFAULT_MENTOR_CAPACITY)
        return MentorLimits(capacity=default, paused=False, has_profile=False)
    return MentorLimits(
        capacity=int(row["capacity"]),
        paused=bool(row["paused"]),
        has_profile=True,
        is_mentor=bool(row["is_mentor"]),
    )


def open_to_mentoring(user: Any) -> bool:
    """Whether people's profile says `user` mentors others now: a mentor, not paused, with
    places. A completed mentee is offered to pass it on until it does."""
    from tandem.people.models import Profile

    return Profile.objects.filter(
        user_id=user.pk, is_mentor=True, paused=False, capacity__gt=0
    ).exists()


def guidance_kinds() -> list[tuple[str, Any]]:
    """(slug, label) pairs of people's "guidance kind" list, in the current language."""
    from tandem.people.models import ListItem, ListKind

    items = [(item.slug, item.name) for item in ListItem.objects.of(ListKind.GUIDANCE)]
    return items or FALLBACK_GUIDANCE_KINDS


MAX_CHAIN = 50
"""Reporting lines are followed at most this far up (and stop at a cycle)."""


def relationship_people(user_ids: Iterable[int]) -> dict[int, Person]:
    """What the relationship rules need of each user, as the matching core's `Person` (id
    `str(pk)`): organisation, its competitors, and the reporting line upwards. Read fresh
    (accept checks again, since managers change): two queries, then one per level of the
    longest reporting line."""
    from tandem.people.models import Organisation, Profile

    ids = set(user_ids)
    rows: dict[int, tuple[int | None, int | None, str | None]] = {
        uid: (manager, org_id, org_name)
        for uid, manager, org_id, org_name in Profile.objects.filter(user_id__in=ids).values_list(
            "user_id", "manager_id", "organisation_id", "organisation__name"
        )
    }
    competitors: dict[int, set[str]] = {}
    org_ids = {org for _m, org, _n in rows.values() if org}
    for org_id, name in Organisation.competitors.through.objects.filter(
        from_organisation_id__in=org_ids
    ).values_list("from_organisation_id", "to_organisation__name"):
        competitors.setdefault(org_id, set()).add(name)
    manager_of = {uid: row[0] for uid, row in rows.items() if row[0]}
    looked = set(ids)
    frontier = set(manager_of.values()) - looked
    for _step in range(MAX_CHAIN):
        if not frontier:
            break
        found = dict(
            Profile.objects.filter(user_id__in=frontier, manager__isnull=False).values_list(
                "user_id", "manager_id"
            )
        )
        looked |= frontier
        manager_of.update(found)
        frontier = set(found.values()) - looked
    people: dict[int, Person] = {}
    for uid in ids:
        chain: list[str] = []
        boss = manager_of.get(uid)
        while boss and boss != uid and str(boss) not in chain and len(chain) < MAX_CHAIN:
            chain.append(str(boss))
            boss = manager_of.get(boss)
        _manager, org, org_name = rows.get(uid, (None, None, ""))
        people[uid] = Person(
            id=str(uid),
            organisation=org_name or "",
            competitors=frozenset(competitors.get(org or 0, ())),
            manager_chain=tuple(chain),
        )
    return people
