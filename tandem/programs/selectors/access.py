"""The one access helper per object type, and who may do what in a programme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tandem.accounts.models import User, hash_token
from tandem.programs import adapters
from tandem.programs.models import CheckIn, Circle, Match, MatchRun, Membership, Programme, Role
from tandem.programs.selectors._common import _managed_by

# --- access helpers -------------------------------------------------------------------------


CANNOT_CREATE_MESSAGE = gettext_lazy(
    "Creating programmes is a right that Tandem's staff or your organisation's administrator "
    "grants. Ask them for it."
)


def server_localdate(now: dt.datetime) -> dt.date:
    """A programme's calendar day: in the server's time zone (TIME_ZONE), whoever's request
    it runs in, so that check-ins, health windows and closings fall on the same day for
    everyone and for the daily sweep."""
    return timezone.localdate(now, timezone.get_default_timezone())


def can_create_programme(user: Any) -> bool:
    """The one rule for who may create a programme: staff, and people granted the
    `programs.add_programme` permission (directly or through a group, by staff or an
    organisation administrator in the admin). Not every account."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.has_perm("programs.add_programme"))
    )


def manages_any_programme(user: User) -> bool:
    """The "programme_managers" role of TANDEM_MFA_REQUIRED_FOR: manages at least one."""
    return Membership.objects.filter(user_id=user.pk, role=Role.MANAGER).exists()


def is_manager(user: User, programme: Programme) -> bool:
    return Membership.objects.filter(
        programme=programme, user_id=user.pk, role=Role.MANAGER
    ).exists()


def get_programme_for_user(user: User, pk: int, *, manage: bool = False) -> Programme:
    """The one access helper for programmes: 404 unless the user is a member (any role), or
    with `manage=True` unless they manage it."""
    members = Membership.objects.filter(programme_id=pk, user_id=user.pk)
    if manage:
        members = members.filter(role=Role.MANAGER)
    programme = Programme.objects.filter(pk=pk).filter(Exists(members)).first()
    if programme is None:
        raise Http404
    return programme


SELF_MATCH_MODES = (Programme.MatchingMode.SELF, Programme.MatchingMode.BOTH)
"""Matching modes in which mentees choose their mentor from suggestions themselves."""


def self_match_programmes(*, user: User) -> list[Programme]:
    """Programmes in which `user` is a mentee and may choose a mentor from suggestions, by
    name (one query): where they may open the programme's mentors page. Never a group-circle
    programme: choosing makes a one-to-one request, and its circles come from publishing."""
    if not user.is_authenticated:
        return []
    return list(
        Programme.objects.filter(
            memberships__user_id=user.pk,
            memberships__role=Role.MENTEE,
            matching_mode__in=SELF_MATCH_MODES,
        )
        .exclude(kind=Programme.Kind.GROUP)
        .order_by("name", "pk")
    )


def get_programme_for_self_match(user: User, pk: int) -> Programme:
    """A programme `user` may choose a mentor in: they are one of its mentees and its matching
    mode lets people choose from suggestions; 404 otherwise (an outsider, a mentor or manager
    only, a programme the manager matches, or a group-circle programme)."""
    programme = next((p for p in self_match_programmes(user=user) if p.pk == pk), None)
    if programme is None:
        raise Http404
    return programme


def mentor_ids(*, programme: Programme) -> list[int]:
    """The users enrolled as mentors in the programme (one query)."""
    return list(
        Membership.objects.filter(programme=programme, role=Role.MENTOR).values_list(
            "user_id", flat=True
        )
    )


def is_member(*, programme: Programme, user: User, role: str) -> bool:
    return Membership.objects.filter(programme=programme, user_id=user.pk, role=role).exists()


def mentor_limit(*, programme: Programme, capacity: int | None) -> int:
    """How many mentees a mentor takes at a time in the programme: their membership's
    override (`capacity`), else the programme's default."""
    return capacity if capacity is not None else programme.mentor_capacity


def places_taken(
    *,
    programme: Programme,
    mentor_ids: Iterable[int] | None = None,
    exclude_mentee_id: int | None = None,
) -> dict[int, int]:
    """Places each mentor has taken in the programme, through its matches: a live mentorship
    takes one, and so does a request still waiting for the mentor's answer (pending or being
    thought over). A waiting request holds its place because the mentor may accept it at any
    time and accepting checks only their global capacity; the place frees when the request is
    declined, withdrawn or expires. A mentee in one of the mentor's circles takes one while
    the match is open. Mentorships and requests outside the programme never count.
    Optionally for some mentors only, or leaving one mentee's pairs out. Three queries."""
    matches = Match.objects.filter(programme=programme)
    if mentor_ids is not None:
        matches = matches.filter(mentor_id__in=list(mentor_ids))
    if exclude_mentee_id is not None:
        matches = matches.exclude(mentee_id=exclude_mentee_id)
    taken = adapters.places_taken_per_mentor(
        mentorship_ids=matches.filter(mentorship__isnull=False).values("mentorship_id"),
        request_ids=matches.filter(request__isnull=False).values("request_id"),
    )
    in_circles = (
        matches.filter(circle__isnull=False, closed_at__isnull=True)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    for mentor_id, n in in_circles:
        taken[mentor_id] = taken.get(mentor_id, 0) + n
    return taken


def open_pairs(*, programme: Programme, mentee_id: int | None = None) -> set[tuple[int, int]]:
    """(mentee, mentor) pairs whose match in the programme is open and still holds a place:
    a circle, a live mentorship, or a request still waiting for the mentor's answer (or
    accepted into a live mentorship). A match whose request ended unanswered, or whose
    mentorship ended, holds nothing even before the daily sweep closes it. Optionally for
    one mentee only. Three queries."""
    matches = Match.objects.filter(programme=programme, closed_at__isnull=True)
    if mentee_id is not None:
        matches = matches.filter(mentee_id=mentee_id)
    rows = list(
        matches.values_list("mentee_id", "mentor_id", "circle_id", "mentorship_id", "request_id")
    )
    live, waiting = adapters.places_held(
        mentorship_ids=[r[3] for r in rows], request_ids=[r[4] for r in rows]
    )
    return {
        (mentee, mentor)
        for mentee, mentor, circle, mentorship, request in rows
        if circle is not None or mentorship in live or request in waiting
    }


def mentor_places(
    *, programme: Programme, mentor_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Mentees each of the programme's mentors (or only those in `mentor_ids`) may still take
    in it: their limit here (`mentor_limit`) minus the places they have taken in it
    (`places_taken`: live mentorships and requests waiting for their answer). Never below
    zero; four queries. Someone who is not one of its mentors is absent. The mentor's global
    free places (their profile) are applied by the matching engine and by mentorships."""
    ids = list(mentor_ids) if mentor_ids is not None else None
    rows = Membership.objects.filter(programme=programme, role=Role.MENTOR)
    if ids is not None:
        rows = rows.filter(user_id__in=ids)
    own = {
        uid: mentor_limit(programme=programme, capacity=capacity)
        for uid, capacity in rows.values_list("user_id", "capacity")
    }
    busy = places_taken(programme=programme, mentor_ids=ids)
    return {uid: max(0, cap - busy.get(uid, 0)) for uid, cap in own.items()}


def get_run_for_user(user: User, pk: int) -> MatchRun:
    """A matching run: only its programme's managers may see it (proposals are staged)."""
    return _managed_by(user, MatchRun.objects.select_related("programme"), pk)


def in_circle(circle: Circle, user: User) -> bool:
    return circle.mentor_id == user.pk or circle.members.filter(mentee_id=user.pk).exists()


def can_edit_circle(circle: Circle, user: User) -> bool:
    """Who changes a circle's slot, its sessions and its video link: its mentor and its
    programme's managers (a mentee only reads them)."""
    return circle.mentor_id == user.pk or is_manager(user, circle.programme)


def get_circle_for_member(user: User, pk: int) -> Circle:
    """A circle for its agenda: only its mentor and its mentees; 404 for anyone else, the
    programme's managers included (the agenda is the circle's own conversation)."""
    circle = (
        Circle.objects.select_related("programme", "mentor")
        .filter(pk=pk)
        .filter(Q(mentor_id=user.pk) | Q(members__mentee_id=user.pk))
        .distinct()
        .first()
    )
    if circle is None:
        raise Http404
    return circle


def get_circle_for_user(user: User, pk: int) -> Circle:
    """A circle's page: its mentor, its members and its programme's managers (who see its
    slot and members, never its agenda: see `get_circle_for_member`)."""
    circle = (
        Circle.objects.select_related("programme", "mentor")
        .filter(pk=pk)
        .filter(
            Q(mentor_id=user.pk)
            | Q(members__mentee_id=user.pk)
            | Q(programme__memberships__user_id=user.pk, programme__memberships__role=Role.MANAGER)
        )
        .distinct()
        .first()
    )
    if circle is None:
        raise Http404
    return circle


def get_checkin_for_user(user: User, pk: int) -> CheckIn:
    """A check-in survey: only the person it was sent to (never a manager)."""
    checkin = (
        CheckIn.objects.select_related("match__programme", "match__mentee", "match__mentor")
        .filter(pk=pk, user_id=user.pk)
        .first()
    )
    if checkin is None:
        raise Http404
    return checkin


def programme_by_invite(token: str) -> Programme:
    """The programme whose join link carries `token` (only its hash is stored)."""
    programme = Programme.objects.filter(invite_token_hash=hash_token(token)).first()
    if programme is None:
        raise Http404
    return programme
