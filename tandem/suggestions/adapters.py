"""Django models -> the matching core's `Person`, in a fixed number of queries.

This is the only module of the app that reads other apps' tables:
- people (Profile, CareerRole, Organisation competitors, the reporting lines),
- mentorships, through `live_mentee_counts` and `current_mentor_ids` (the functions that know
  the Mentorship model), for each mentor's active mentees and the user's current mentors.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from tandem.accounts.models import User
from tandem.matching.types import PRIVATE_GROUPS, Person, redact
from tandem.matching.types import CareerRole as CoreRole
from tandem.people.models import (
    FIELD_GROUPS,
    CareerRole,
    ListItem,
    Organisation,
    Profile,
    Visibility,
)

MAX_CHAIN = 50
"""Reporting chains are followed at most this far up (and stop at a cycle)."""


def _user_queryset(users: Iterable[User] | QuerySet[User]) -> tuple[QuerySet[User], list[int]]:
    """A queryset to use as a subquery, and the ids in the caller's order ([] = queryset order)."""
    if isinstance(users, QuerySet):
        return users, []
    ids = [u.pk for u in users]
    return User.objects.filter(pk__in=ids), ids


@functools.lru_cache(maxsize=1024)
def _utc_offset_minutes(tz_name: str, hour: int) -> int:
    """The zone's offset from UTC now (cached per hour, so daylight saving moves with time)."""
    try:
        zone = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0
    offset = datetime.now(UTC).astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def live_mentee_counts(user_ids: Any) -> dict[int, int]:
    """Mentees holding a slot of each mentor (draft, active or paused mentorships), one query.

    The one place this app reads the mentorships app (its contract: `Mentorship.LIVE_STATUSES`,
    the same count as `mentorships.selectors.active_mentee_count`)."""
    from tandem.mentorships.models import Mentorship

    rows = (
        Mentorship.objects.filter(mentor_id__in=user_ids, status__in=Mentorship.LIVE_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    return {int(mentor): int(n) for mentor, n in rows}


def current_mentor_ids(user: User) -> list[int]:
    """The user's mentors in a live (draft, active or paused) mentorship, one query: Find a
    mentor does not suggest someone who already mentors the user."""
    from tandem.mentorships.models import Mentorship

    return list(
        Mentorship.objects.filter(
            mentee_id=user.pk, status__in=Mentorship.LIVE_STATUSES
        ).values_list("mentor_id", flat=True)
    )


def manager_chains(user_ids: QuerySet[Any]) -> dict[int, tuple[int, ...]]:
    """Each user's current manager, then theirs, upwards: one recursive query for everyone."""
    table = Profile._meta.db_table
    sub_sql, sub_params = user_ids.query.sql_with_params()
    sql = f"""
        WITH RECURSIVE chain(start_id, manager_id, depth) AS (
            SELECT user_id, manager_id, 1 FROM {table}
            WHERE manager_id IS NOT NULL AND user_id IN ({sub_sql})
            UNION
            SELECT chain.start_id, p.manager_id, chain.depth + 1
            FROM chain JOIN {table} p ON p.user_id = chain.manager_id
            WHERE p.manager_id IS NOT NULL AND chain.depth < %s
        )
        SELECT start_id, manager_id, depth FROM chain ORDER BY start_id, depth
    """
    chains: dict[int, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sub_params, MAX_CHAIN])
        for start, manager, _depth in cursor.fetchall():
            chain = chains[int(start)]
            if manager == start or manager in chain:
                continue  # a cycle: the chain has come round again
            chain.append(int(manager))
    return {k: tuple(v) for k, v in chains.items()}


def _slugs_by_profile(relation: Any, profile_ids: Any) -> dict[int, frozenset[str]]:
    through = relation.through
    out: dict[int, set[str]] = defaultdict(set)
    for pid, slug in through.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", "listitem__slug"
    ):
        out[pid].add(slug)
    return {k: frozenset(v) for k, v in out.items()}


def hidden_groups(profile: Profile) -> frozenset[str]:
    """The profile's field groups that not everyone may see (any visibility narrower than
    "everyone"), among those the engine reads (`PRIVATE_GROUPS`)."""
    return frozenset(
        group
        for group in FIELD_GROUPS
        if group in PRIVATE_GROUPS and profile.visibility_of(group) != Visibility.EVERYONE
    )


def hidden_groups_by_user(user_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """`hidden_groups` of each of these users who has a profile (one query)."""
    profiles = Profile.objects.filter(user_id__in=list(user_ids)).only(
        "user_id", *(f"visibility_{group}" for group in FIELD_GROUPS)
    )
    return {p.user_id: hidden_groups(p) for p in profiles}


def persons_for_users(
    users: Iterable[User] | QuerySet[User], *, public: bool = False
) -> list[Person]:
    """The engine's view of each user (ids are `str(user.pk)`), in the order given.

    `public=True` gives what everyone on Tandem may see of each person: a field group they
    show to fewer people (their programmes, their mentorships) is left out (`redact`), and
    so are their career titles from the experience text when their career is hidden. Find a
    mentor scores mentors this way, so that no score, component or reason it shows depends
    on something the mentor hid from the reader. Rules still see everything they need.

    Nine queries whatever the number of users (ten for a QuerySet, whose ids are read first).
    Pass a QuerySet for large populations: it is used as a subquery, so no list of ids travels
    to the database. Users without a profile
    become a bare `Person` (no mentoring capacity, no rules beyond "same person").
    """
    user_qs, order = _user_queryset(users)
    bulk = isinstance(users, QuerySet)
    if bulk:
        order = list(user_qs.values_list("pk", flat=True))
    # Large populations filter by subquery; a short list by its ids (cheaper to plan).
    ids_sq: Any = user_qs.values("pk") if bulk else order
    profiles = list(
        Profile.objects.filter(user_id__in=ids_sq).select_related(
            "user",
            "organisation",
            "function",
            "seniority",
            "industry",
            "preferred_mentor_seniority",
        )
    )
    profile_sq: Any = (
        Profile.objects.filter(user_id__in=ids_sq).values("pk")
        if bulk
        else [p.pk for p in profiles]
    )
    values = _slugs_by_profile(Profile.values, profile_sq)
    humour = _slugs_by_profile(Profile.humour, profile_sq)
    wanted = _slugs_by_profile(Profile.guidance_wanted, profile_sq)
    offered = _slugs_by_profile(Profile.guidance_offered, profile_sq)
    careers: dict[int, list[CoreRole]] = defaultdict(list)
    titles: dict[int, list[str]] = defaultdict(list)
    for pid, function, industry, org, level, title in (
        CareerRole.objects.filter(profile_id__in=profile_sq)
        .order_by("profile_id", "start", "pk")
        .values_list(
            "profile_id",
            "function__slug",
            "industry__slug",
            "organisation__name",
            "seniority__level",
            "title",
        )
    ):
        careers[pid].append(CoreRole(function or "", industry or "", org or "", int(level or 0)))
        titles[pid].append(title)
    competitors: dict[int, set[str]] = defaultdict(set)
    org_sq: Any = (
        Profile.objects.filter(user_id__in=ids_sq, organisation__isnull=False).values(
            "organisation_id"
        )
        if bulk
        else sorted({p.organisation_id for p in profiles if p.organisation_id})
    )
    for org_id, name in Organisation.competitors.through.objects.filter(
        from_organisation_id__in=org_sq
    ).values_list("from_organisation_id", "to_organisation__name"):
        competitors[org_id].add(name)
    chains = manager_chains(ids_sq if bulk else User.objects.filter(pk__in=order).values("pk"))
    counts = live_mentee_counts(ids_sq)
    hour = int(datetime.now(UTC).timestamp() // 3600)

    by_user: dict[int, Person] = {}
    for p in profiles:
        uid = p.user_id
        level = p.seniority.level if p.seniority and p.seniority.level else 3
        preferred = p.preferred_mentor_seniority
        hidden = hidden_groups(p) if public else frozenset()
        shown_titles = () if "career" in hidden else titles.get(p.pk, ())
        by_user[uid] = Person(
            id=str(uid),
            organisation=p.organisation.name if p.organisation else "",
            competitors=frozenset(competitors.get(p.organisation_id or 0, ())),
            manager_chain=tuple(str(m) for m in chains.get(uid, ())),
            languages=frozenset(p.language_list),
            utc_offset_minutes=_utc_offset_minutes(p.user.timezone, hour),
            function=p.function.slug if p.function else "",
            industry=p.industry.slug if p.industry else "",
            seniority=max(1, min(8, int(level))),
            career=tuple(careers.get(p.pk, ())),
            values=values.get(p.pk, frozenset()),
            work_style={str(k): float(v) for k, v in (p.work_style or {}).items()},
            humour=humour.get(p.pk, frozenset()),
            guidance_wanted=wanted.get(p.pk, frozenset()),
            guidance_offered=offered.get(p.pk, frozenset()),
            goals=p.goals,
            experience=" ".join([p.headline, p.bio, *shown_titles]).strip(),
            capacity=p.capacity if p.is_mentor else 0,
            active_mentees=counts.get(uid, 0),
            hours_per_month=float(p.hours_per_month),
            paused=p.paused,
            accepts_external=p.accepts_external,
            accepts_reverse=p.accepts_reverse,
            accepts_peer=p.accepts_peer,
            preferred_mentor_seniority=(
                int(preferred.level) if preferred and preferred.level else None
            ),
        )
        if hidden:
            by_user[uid] = redact(by_user[uid], hidden)
    return [
        by_user.get(uid)
        or Person(
            id=str(uid),
            manager_chain=tuple(str(m) for m in chains.get(uid, ())),
            active_mentees=counts.get(uid, 0),
        )
        for uid in order
    ]


def invalidating_models() -> list[tuple[type[Any], list[type[Any]]]]:
    """Models (and their many-to-many tables) whose changes make the mentor index stale."""
    from tandem.mentorships.models import Mentorship

    return [
        (
            Profile,
            [
                Profile.values.through,
                Profile.humour.through,
                Profile.guidance_offered.through,
                Profile.guidance_wanted.through,
            ],
        ),
        (CareerRole, []),
        (ListItem, []),
        (Organisation, [Organisation.competitors.through]),
        (Mentorship, []),
    ]
