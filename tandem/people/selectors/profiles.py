"""Profiles and career roles with their access helpers, reporting lines, importing and
exporting people, and how complete a profile is."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import QuerySet
from django.http import Http404

from tandem.accounts.models import User
from tandem.people.completeness import Completeness, ProfileFacts, completeness
from tandem.people.models import CareerRole, Profile


def _profile_queryset() -> QuerySet[Profile]:
    return Profile.objects.select_related(
        "user",
        "organisation",
        "function",
        "seniority",
        "industry",
        "manager",
        "preferred_mentor_seniority",
    )


def profile_for_user(*, user: User) -> Profile:
    """The user's own profile, created empty on first use."""
    profile = _profile_queryset().filter(user=user).first()
    if profile is None:
        from tandem.people.services import profile_get_or_create

        profile = profile_get_or_create(user=user)
    return profile


def get_profile_for_user(viewer: User, user_pk: int) -> Profile:
    """The one access helper for profiles: the profile of active user `user_pk`, for any
    signed-in viewer (field groups are then filtered by `profile_view_for`); 404 otherwise."""
    if not viewer.is_authenticated:
        raise Http404
    owner = User.objects.filter(pk=user_pk, is_active=True).first()
    if owner is None:
        raise Http404
    return profile_for_user(user=owner)


def career_roles_for(*, profile: Profile) -> QuerySet[CareerRole]:
    return CareerRole.objects.filter(profile=profile).select_related(
        "function", "seniority", "industry", "organisation"
    )


def get_career_role_for_user(user: User, pk: int) -> CareerRole:
    """The one access helper for career roles: 404 unless the role is in the user's own
    career history."""
    role = (
        CareerRole.objects.select_related(
            "profile", "function", "seniority", "industry", "organisation"
        )
        .filter(pk=pk, profile__user=user)
        .first()
    )
    if role is None:
        raise Http404
    return role


def can_import_people(user: User) -> bool:
    """Programme managers may import and export people. For now: staff, or users with the
    `people.import_people` permission (the programmes app will add its managers)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.has_perm("people.import_people"))
    )


def manager_account_for_email(email: str) -> User | None:
    """The active account a manager's address names, or None. An address someone signed up
    with but has not confirmed names no one: a stranger cannot claim to be your manager
    (a manager reads their reports' job descriptions) by signing up with that address."""
    if not email:
        return None
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return None
    unconfirmed = EmailAddress.objects.filter(user=user, email__iexact=email, verified=False)
    return None if unconfirmed.exists() else user


def export_viewer(user: User) -> User | None:
    """Whose eyes a people export looks through, for a user `can_import_people` allows:
    staff get every field of every profile (None), as they already read every profile in
    the admin; anyone else gets each profile as `profile_view_for` shows it to them, with
    the cells of every field group the person keeps from them left empty. The command line
    (`tandem export people`), run by whoever runs the server, exports every field."""
    return None if user.is_staff else user


def reporting_chain(user: User, *, limit: int = 50) -> list[User]:
    """The user's current manager, then that manager's manager, and so on upwards. Stops at
    a cycle or after `limit` steps. One query per step (chains are short)."""
    chain: list[User] = []
    seen = {user.pk}
    current = user
    for _ in range(limit):
        manager_id = (
            Profile.objects.filter(user_id=current.pk).values_list("manager_id", flat=True).first()
        )
        if manager_id is None or manager_id in seen:
            break
        manager = User.objects.filter(pk=manager_id).first()
        if manager is None:
            break
        chain.append(manager)
        seen.add(manager.pk)
        current = manager
    return chain


def profile_completeness(profile: Profile) -> Completeness:
    """How complete `profile` is for good matches (see completeness.completeness)."""
    return completeness(
        ProfileFacts(
            headline=profile.headline,
            bio=profile.bio,
            languages=profile.language_list,
            has_location=bool(profile.city or profile.country),
            has_position=bool(profile.function_id and profile.seniority_id),
            career_roles=profile.career_roles.count(),
            values=profile.values.count(),
            work_style_axes=len(profile.work_style or {}),
            humour=profile.humour.count(),
            is_mentee=profile.is_mentee,
            is_mentor=profile.is_mentor,
            goals=profile.goals,
            guidance_wanted=profile.guidance_wanted.count(),
            guidance_offered=profile.guidance_offered.count(),
            capacity=profile.capacity,
            hours_per_month=profile.hours_per_month,
        )
    )


def home_panel(user: User) -> dict[str, Any]:
    """The home page's profile panel: how complete my profile is (empty: a first visit)."""
    profile = profile_for_user(user=user)
    done = profile_completeness(profile)
    return {"completeness": done, "first_visit": done.percent == 0}
