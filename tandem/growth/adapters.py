"""The growth app's only coupling to the people and mentorships apps.

Every read or write that growth needs from another domain goes through one function here, so a
change in their contract touches this file alone. Imports are lazy: those apps never import
growth at module level, and growth does not import them at module level either.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Q, When

from tandem.accounts.models import User

# --- mentorships ----------------------------------------------------------------------------


def is_mentor_of(mentor: User, mentee: User) -> bool:
    """True while `mentor` mentors `mentee` in a live mentorship. Sharing "with my mentors" is
    directional: it reaches the people who mentor the owner, never the owner's own mentees."""
    if mentor.pk is None or mentee.pk is None or mentor.pk == mentee.pk:
        return False
    return mentorship_between(mentee=mentee, mentor=mentor) is not None


def mentee_ids(mentor: User) -> set[int]:
    """The people the user mentors in a live (draft, active, paused) mentorship: the direction
    matters (a mentee records no opportunity "for" her own mentor, and sees none of her
    mentor's goals shared "with my mentors")."""
    from tandem.mentorships.models import Mentorship

    return set(
        Mentorship.objects.filter(mentor_id=mentor.pk, status__in=Mentorship.LIVE_STATUSES)
        .exclude(mentee_id=mentor.pk)
        .values_list("mentee_id", flat=True)
    )


def current_mentor_ids(user: User) -> set[int]:
    """The user's mentors in live (draft, active, paused) mentorships."""
    from tandem.mentorships.models import Mentorship

    return set(
        Mentorship.objects.filter(
            mentee_id=user.pk, status__in=Mentorship.LIVE_STATUSES
        ).values_list("mentor_id", flat=True)
    ) - {user.pk}


def relationship_refused_mentor_ids(user: User, candidate_ids: set[int]) -> set[int]:
    """Of `candidate_ids`, those the relationship rules never pair with `user` as mentor
    (one's manager line, a competitor): mentorships' one rule check."""
    from tandem.mentorships.rules import refused_mentor_ids

    return refused_mentor_ids(user, candidate_ids) if candidate_ids else set()


def relationship_refusal(*, mentee: User, mentor: User) -> str | None:
    """Why `mentor` may not mentor `mentee` (mentorships' one rule check), or None."""
    from tandem.mentorships.rules import relationship_refusal as refusal

    return refusal(mentee, mentor)


def mentorship_between(*, mentee: User, mentor: User) -> Any:
    """The live mentorship between the two, if any (a mentorships.Mentorship)."""
    from tandem.mentorships.selectors import mentorship_between as between

    return between(mentee=mentee, mentor=mentor)


def mentorship_start_from_contact(*, initiator: User, other: User) -> Any:
    """Ask mentorships to invite `other` to confirm a mentorship with `initiator` (who is the
    mentee); confirming leads to the draft agreement. Returns the invitation."""
    from tandem.mentorships.services import mentorship_start_from_contact as start

    return start(initiator=initiator, other=other)


# --- people ---------------------------------------------------------------------------------


def manager_ids(user: User) -> set[int]:
    """The user's reporting chain upwards (their manager, the manager's manager, ...)."""
    from tandem.people.selectors import reporting_chain

    return {manager.pk for manager in reporting_chain(user)}


def direct_report_ids(manager: User) -> set[int]:
    from tandem.people.models import Profile

    return set(Profile.objects.filter(manager=manager).values_list("user_id", flat=True))


def can_see_career(viewer: User, profile: Any) -> bool:
    """May `viewer` see the career history (past employers, roles and their dates) of the
    person whose people.Profile this is? Their visibility choice decides (people's contract)."""
    from tandem.people.selectors import can_see_group

    return can_see_group(viewer, profile, "career")


def careers_visible_to(viewer_id: int, user_ids: set[int]) -> set[int]:
    """Of `user_ids`, those whose career history the viewer may see (two queries, then one
    check for each person whose career is not public)."""
    from tandem.people.models import Profile

    viewer = User.objects.filter(pk=viewer_id).first()
    if viewer is None:
        return set()
    profiles = Profile.objects.select_related("user").filter(user_id__in=list(user_ids))
    return {p.user_id for p in profiles if can_see_career(viewer, p)}


@dataclass(frozen=True)
class KnownPerson:
    """Someone on Tandem the user has worked with, found in career histories or reporting lines."""

    user: User
    relationship: str  # one of Contact.Relationship's values
    known_from: str


def people_worked_with(user: User, *, limit: int = 30) -> list[KnownPerson]:
    """Bosses and colleagues from reporting lines and overlapping career roles at the same
    organisation, best first (bosses, then the most recent overlap). Someone whose career
    history the user may not see is never found through it."""
    from tandem.people.models import CareerRole, Profile

    found: dict[int, KnownPerson] = {}
    profile = Profile.objects.filter(user=user).select_related("manager", "organisation").first()
    if profile is not None and profile.manager_id and profile.manager is not None:
        org = profile.organisation.name if profile.organisation else ""
        found[profile.manager_id] = KnownPerson(profile.manager, "boss", org)
    mine = list(
        CareerRole.objects.filter(profile__user=user, organisation__isnull=False).select_related(
            "organisation"
        )
    )
    if mine:
        today = datetime.date.today()
        overlap = Q()
        for role in mine:
            cond = Q(organisation_id=role.organisation_id) & (
                Q(end__isnull=True) | Q(end__gte=role.start)
            )
            if role.end is not None:
                cond &= Q(start__lte=role.end)
            overlap |= cond
        theirs = (
            CareerRole.objects.filter(overlap)
            .exclude(profile__user=user)
            .select_related("profile__user", "organisation")
            .order_by("-start")[: limit * 3]
        )
        by_org = {r.organisation_id: r for r in mine}
        for other in theirs:
            other_user = other.profile.user
            if other_user.pk in found or not other_user.is_active:
                continue
            if not can_see_career(user, other.profile):
                continue  # their past employers are hidden from the user: not a hint either
            my_role = by_org[other.organisation_id]
            ended = (my_role.end is not None and my_role.end < today) or (
                other.end is not None and other.end < today
            )
            org = other.organisation.name if other.organisation else ""
            found[other_user.pk] = KnownPerson(
                other_user, "former_colleague" if ended else "colleague", org
            )
            if len(found) >= limit:
                break
    return list(found.values())[:limit]


def roles_ending(
    user_ids: set[int], *, since: datetime.date, until: datetime.date
) -> dict[int, datetime.date]:
    """For each user whose career history ends a role between the two dates, that end date."""
    from tandem.people.models import CareerRole

    ends: dict[int, datetime.date] = {}
    rows = CareerRole.objects.filter(
        profile__user_id__in=user_ids, end__gte=since, end__lte=until
    ).values_list("profile__user_id", "end")
    for user_id, end in rows:
        if end is not None and (user_id not in ends or end > ends[user_id]):
            ends[user_id] = end
    return ends


@dataclass(frozen=True)
class DirectoryCandidate:
    user: User
    reason: str


def directory_candidates(
    user: User, roles: list[str], *, exclude_ids: set[int], limit: int = 3
) -> dict[str, list[DirectoryCandidate]]:
    """People in the directory (people.Profile) who could fill each of the given coaching-team
    roles, with a reason. One query for the user's profile, then at most one per role."""
    from django.utils.translation import gettext as _

    from tandem.mentorships.rules import refused_mentor_ids
    from tandem.people.models import Profile

    mine = Profile.objects.filter(user=user).first()
    base = (
        Profile.objects.select_related("user")
        .filter(user__is_active=True)
        .exclude(user_id__in=exclude_ids | {user.pk})
    )
    open_to_mentor = base.filter(is_mentor=True, paused=False)
    found: dict[str, list[DirectoryCandidate]] = {}
    for role in roles:
        if role == "mentor":
            qs = open_to_mentor
            if mine is not None and mine.function_id:
                same_function = Case(When(function_id=mine.function_id, then=0), default=1)
                qs = qs.order_by(same_function, "user__full_name")
            else:
                qs = qs.order_by("user__full_name")
            reason = _("Open to mentoring, often in your function")
        elif role == "adviser":
            qs = open_to_mentor.order_by("-hours_per_month", "user__full_name")
            reason = _("Open to mentoring and gives time each month")
        elif role == "network_connector" and mine is not None:
            qs = (
                base.filter(associations__in=mine.associations.all())
                .distinct()
                .order_by("user__full_name")
            )
            reason = _("A member of the same professional association")
        elif role == "success_partner":
            qs = base.filter(accepts_peer=True).order_by("user__full_name")
            if mine is not None and mine.seniority_id:
                qs = qs.filter(seniority_id=mine.seniority_id)
            reason = _("A peer at your level who is open to peer mentoring")
        elif role == "idea_person":
            qs = open_to_mentor.order_by("user__full_name")
            if mine is not None and mine.industry_id:
                qs = qs.exclude(industry_id=mine.industry_id)
            reason = _("Brings a view from another industry")
        else:
            found[role] = []
            continue
        if role == "mentor":  # never one's own manager line or a competitor as a mentor
            picked = _first_allowed(qs, limit, lambda ids: refused_mentor_ids(user, ids))
        else:
            picked = list(qs[:limit])
        found[role] = [DirectoryCandidate(p.user, reason) for p in picked]
    return found


def _first_allowed(qs: Any, limit: int, refused: Any) -> list[Any]:
    """The first `limit` profiles of `qs` whose user `refused` (a set of user ids -> the
    refused ones) lets through, read a few pages at a time."""
    out: list[Any] = []
    start = 0
    while len(out) < limit:
        page = list(qs[start : start + 4 * limit])
        if not page:
            break
        barred = refused({p.user_id for p in page})
        out.extend(p for p in page if p.user_id not in barred)
        start += len(page)
    return out[:limit]
