"""Choosing from suggestions: a mentee's request to a mentor within a programme."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.accounts.models import User
from tandem.programs import adapters, selectors
from tandem.programs.models import Match, Membership, Programme, Role

# --- choosing from suggestions -------------------------------------------------------------

NOT_A_MENTOR = gettext_lazy("This person is not one of the programme's mentors.")


def programme_full_message(programme: Programme, mentor: User, limit: int) -> str:
    return _(
        "%(name)s has no free place left in the programme “%(programme)s” (%(limit)s "
        "mentees at a time there). Nothing is wrong with your plan: choose another of the "
        "programme's mentors, or ask again when a place frees up."
    ) % {"name": mentor.get_full_name(), "programme": programme.name, "limit": limit}


def mentee_full_message(programme: Programme, limit: int) -> str:
    return ngettext(
        "You already have %(limit)s mentor in the programme “%(programme)s”, as many as it "
        "allows at a time. You can ask again once that match has ended.",
        "You already have %(limit)s mentors in the programme “%(programme)s”, as many as it "
        "allows at a time. You can ask again once one of those matches has ended.",
        limit,
    ) % {"programme": programme.name, "limit": limit}


def _mentee_full_refusal(programme: Programme, mentee: User, mentor: User) -> str:
    """The refusal when the mentee's open matches in the programme with other mentors fill
    its `mentors_per_mentee` ('' when they do not)."""
    others = {
        m
        for _e, m in selectors.open_pairs(programme=programme, mentee_id=mentee.pk)
        if m != mentor.pk
    }
    limit = programme.mentors_per_mentee
    return mentee_full_message(programme, limit) if len(others) >= limit else ""


def self_match_refusal(*, programme: Programme, mentee: User, mentor: User) -> str:
    """Why `mentee` cannot ask `mentor` within the programme now because of the programme's
    limits, the mentor's places or the mentee's `mentors_per_mentee` ('' when they can), for
    the request form to say before it is filled in. A read: `self_match_request_send` checks
    again under the lock."""
    row = (
        Membership.objects.filter(programme=programme, user_id=mentor.pk, role=Role.MENTOR)
        .values("capacity")
        .first()
    )
    if row is None:
        return ""  # not one of its mentors: sending says so on the field
    cap = selectors.mentor_limit(programme=programme, capacity=row["capacity"])
    taken = selectors.places_taken(
        programme=programme, mentor_ids=[mentor.pk], exclude_mentee_id=mentee.pk
    ).get(mentor.pk, 0)
    if taken >= cap:
        return programme_full_message(programme, mentor, cap)
    return _mentee_full_refusal(programme, mentee, mentor)


@transaction.atomic
def self_match_request_send(
    *, programme: Programme, mentee: User, mentor: User, **plan: Any
) -> Any:
    """A mentee of a programme that lets people choose from suggestions asks one of its
    mentors (the programme's mentors page, or its API). The request is mentorships' own (its
    rules, its emails); the programme match that holds it is what ties it to the programme,
    as publishing with the mentor's approval does: the request and the match are written
    together, and the match follows the answer as soon as it commits: it links the
    mentorship once the mentor accepts, or closes quietly if they decline
    (`match_follow_request`, on mentorships' `request_answered`). A pair that was matched
    in this programme before starts again on its existing match.

    The programme's limit for the mentor holds as well as their global one: their places here
    (the membership's override, else the programme's default) are taken by their live
    mentorships in the programme and by its requests still waiting for their answer, since
    the mentor may accept a waiting request at any time (`selectors.places_taken`). So does
    the programme's `mentors_per_mentee` for the mentee: their other open matches here
    (`selectors.open_pairs`) count against it. The mentee's own pair with this mentor is
    left out of both counts, so asking twice gets mentorships' "already open" answer rather
    than "full". A group-circle programme is refused: its circles come from publishing.

    Concurrency: the mentor's and the mentee's membership rows are locked, in pk order, before
    counting, so requests for the same mentor or by the same mentee in the same programme
    (and publishing, which locks every mentor's row in pk order) run one after the other and
    the last place goes to one of them only; taking the locks in one global order means
    none of them can deadlock."""
    if programme.matching_mode not in selectors.SELF_MATCH_MODES:
        raise ValidationError(
            {"__all__": [_("In this programme the manager matches people; ask them.")]}
        )
    if programme.kind == Programme.Kind.GROUP:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "This programme meets in group circles, which the manager puts "
                        "together; mentees do not choose a mentor here."
                    )
                ]
            }
        )
    locked = list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("programme")
        .filter(
            Q(user_id=mentor.pk, role=Role.MENTOR) | Q(user_id=mentee.pk, role=Role.MENTEE),
            programme=programme,
        )
        .order_by("pk")
    )
    if not any(m.role == Role.MENTEE and m.user_id == mentee.pk for m in locked):
        raise ValidationError({"__all__": [_("Only the programme's mentees choose here.")]})
    membership = next((m for m in locked if m.role == Role.MENTOR and m.user_id == mentor.pk), None)
    if membership is None:
        raise ValidationError({"mentor_id": [str(NOT_A_MENTOR)]})
    limit = selectors.mentor_limit(programme=membership.programme, capacity=membership.capacity)
    taken = selectors.places_taken(
        programme=programme, mentor_ids=[mentor.pk], exclude_mentee_id=mentee.pk
    ).get(mentor.pk, 0)
    if taken >= limit:
        raise ValidationError({"__all__": [programme_full_message(programme, mentor, limit)]})
    refusal = _mentee_full_refusal(programme, mentee, mentor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    req = adapters.request_send(mentee=mentee, mentor=mentor, **plan)
    now = timezone.now()
    fresh = {
        "run": None,
        "request": req,
        "mentorship": None,
        "circle": None,
        "matched_at": now,
        "next_checkin_on": selectors.server_localdate(now)
        + dt.timedelta(days=programme.checkin_first_days),
        "inactive_alerted_at": None,
        "close_warned_at": None,
        "closed_at": None,
    }
    match = (
        Match.objects.select_for_update()
        .filter(programme=programme, mentee=mentee, mentor=mentor)
        .first()
    )
    if match is None:
        Match.objects.create(programme=programme, mentee=mentee, mentor=mentor, **fresh)
    else:
        for name, value in fresh.items():
            setattr(match, name, value)
        match.save(update_fields=list(fresh))
    return req
