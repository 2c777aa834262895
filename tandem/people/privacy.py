"""People's part of a person's data: their profile and career history, and the CSV imports
they ran (as staff; the files hold other people's data and stay with the organisation)."""

from __future__ import annotations

from typing import Any

from tandem.accounts.personal_data import blank_values, rows
from tandem.people.models import CareerRole, OrganisationAdmin, PeopleImport, Profile
from tandem.people.services import PROFILE_FIELDS, PROFILE_M2M

MODELS = ("people.Profile", "people.PeopleImport", "people.OrganisationAdmin")


def export(user: Any) -> dict[str, Any]:
    profiles = Profile.objects.filter(user=user)
    return {
        "profile": rows(profiles),
        "career_roles": rows(CareerRole.objects.filter(profile__user=user)),
        "organisations_administered": rows(OrganisationAdmin.objects.filter(user=user)),
        "people_imports": rows(
            PeopleImport.objects.filter(uploaded_by=user), exclude=("data", "errors")
        ),
    }


def erase(user: Any) -> None:
    """The profile row stays, emptied and out of matching; others' profiles that name the
    person as their manager no longer link to them."""
    CareerRole.objects.filter(profile__user=user).delete()
    OrganisationAdmin.objects.filter(user=user).delete()
    for profile in Profile.objects.filter(user=user):
        for name in sorted(PROFILE_M2M):
            getattr(profile, name).clear()
    # Everything the person wrote or chose about themselves (what the profile form edits)
    # goes back to its default, and the profile leaves matching.
    values = blank_values(Profile, *sorted(PROFILE_FIELDS))
    values.update(is_mentor=False, is_mentee=False, capacity=0, hours_per_month=0, paused=True)
    Profile.objects.filter(user=user).update(**values)
    Profile.objects.filter(manager=user).update(manager=None)
