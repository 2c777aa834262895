"""A profile as a given viewer may see it: who shares a programme or a mentorship with whom
(from the registry in `tandem.people.hooks`), which field groups each viewer sees, and the
profile card built from that."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tandem.accounts.models import User
from tandem.people import hooks
from tandem.people.models import (
    FIELD_GROUPS,
    Association,
    ListItem,
    Organisation,
    Profile,
    Visibility,
)
from tandem.people.selectors.profiles import career_roles_for


def share_programme(viewer: User, owner: User) -> bool:
    """Are `viewer` and `owner` members of the same programme?"""
    return hooks.related(hooks.PROGRAMME, viewer, owner)


def share_mentorship(viewer: User, owner: User) -> bool:
    """Are `viewer` and `owner` in a live mentorship together?"""
    return hooks.related(hooks.MENTORSHIP, viewer, owner)


def active_mentee_count(user: User) -> int:
    """How many mentees `user` has as a mentor (draft, active or paused mentorships)."""
    count = hooks.mentee_counts().count
    assert count is not None
    return count(mentor=user)


def can_see_group(viewer: User | None, profile: Profile, group: str) -> bool:
    """May `viewer` see the field group `group` ("career", "values", "goals", "contact")?"""
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.pk == profile.user_id:
        return True
    level = profile.visibility_of(group)
    if level == Visibility.EVERYONE:
        return True
    owner = profile.user
    if level == Visibility.PROGRAMME:
        return share_programme(viewer, owner) or share_mentorship(viewer, owner)
    return share_mentorship(viewer, owner)


@dataclass
class CareerRoleView:
    id: int
    title: str
    function: ListItem | None
    seniority: ListItem | None
    industry: ListItem | None
    organisation: Organisation | None
    start: date
    end: date | None

    @property
    def is_current(self) -> bool:
        return self.end is None


@dataclass
class ProfileView:
    """A profile as one viewer may see it: a hidden group's fields are None."""

    user_id: int
    name: str
    timezone: str
    headline: str
    bio: str
    languages: list[str]
    organisation: Organisation | None
    function: ListItem | None
    seniority: ListItem | None
    industry: ListItem | None
    associations: list[Association]
    is_mentee: bool
    is_mentor: bool
    guidance_offered: list[ListItem]
    capacity: int
    hours_per_month: int
    accepts_external: bool
    accepts_reverse: bool
    accepts_peer: bool
    paused: bool
    active_mentees: int
    visible: dict[str, bool] = field(default_factory=dict)
    # "career"
    career: list[CareerRoleView] | None = None
    manager: User | None = None
    # "values"
    values: list[ListItem] | None = None
    work_style: dict[str, int] | None = None
    humour: list[ListItem] | None = None
    # "goals"
    goals: str | None = None
    guidance_wanted: list[ListItem] | None = None
    preferred_mentor_seniority: ListItem | None = None
    preferred_cadence: str | None = None
    # "contact"
    city: str | None = None
    country: str | None = None
    channels: list[str] | None = None

    @property
    def at_capacity(self) -> bool:
        return self.is_mentor and self.active_mentees >= self.capacity

    @property
    def accepting(self) -> bool:
        return self.is_mentor and not self.paused and not self.at_capacity


def _public_view(
    viewer: User | None, profile: Profile, *, active_mentees: int, visible: dict[str, bool]
) -> ProfileView:
    """The fields everyone who may see the profile sees: the one place the card is built
    (the profile page adds the groups `visible` opens; the directory shows only these)."""
    return ProfileView(
        user_id=profile.user_id,
        name=profile.user.name_for(viewer),
        timezone=profile.user.timezone,
        headline=profile.headline,
        bio=profile.bio,
        languages=profile.language_list,
        organisation=profile.organisation,
        function=profile.function,
        seniority=profile.seniority,
        industry=profile.industry,
        associations=list(profile.associations.all()),
        is_mentee=profile.is_mentee,
        is_mentor=profile.is_mentor,
        guidance_offered=list(profile.guidance_offered.all()),
        capacity=profile.capacity,
        hours_per_month=profile.hours_per_month,
        accepts_external=profile.accepts_external,
        accepts_reverse=profile.accepts_reverse,
        accepts_peer=profile.accepts_peer,
        paused=profile.paused,
        active_mentees=active_mentees,
        visible=visible,
    )


def profile_view_for(viewer: User | None, profile: Profile) -> ProfileView:
    """`profile` as `viewer` may see it. Use this (or the API built on it) whenever one
    person looks at another's profile."""
    visible = {group: can_see_group(viewer, profile, group) for group in FIELD_GROUPS}
    mentees = (
        int(getattr(profile, "active_mentees", None) or 0)
        if hasattr(profile, "active_mentees")
        else active_mentee_count(profile.user)
    )
    view = _public_view(viewer, profile, active_mentees=mentees, visible=visible)
    if visible["career"]:
        view.career = [
            CareerRoleView(
                id=r.pk,
                title=r.title,
                function=r.function,
                seniority=r.seniority,
                industry=r.industry,
                organisation=r.organisation,
                start=r.start,
                end=r.end,
            )
            for r in career_roles_for(profile=profile)
        ]
        # Not to the person themself: they gave an address, and seeing the account it names
        # would tell them who is on Tandem (they see the address in their own settings).
        own = viewer is not None and viewer.pk == profile.user_id
        view.manager = None if own else profile.manager
    if visible["values"]:
        view.values = list(profile.values.all())
        view.work_style = dict(profile.work_style or {})
        view.humour = list(profile.humour.all())
    if visible["goals"]:
        view.goals = profile.goals
        view.guidance_wanted = list(profile.guidance_wanted.all())
        view.preferred_mentor_seniority = profile.preferred_mentor_seniority
        view.preferred_cadence = profile.preferred_cadence
    if visible["contact"]:
        view.city = profile.city
        view.country = profile.country
        view.channels = list(profile.channels or [])
    return view
