"""Reads for people: reference lists, profiles as a given viewer may see them, reporting
lines, the mentor directory, and the access helpers.

What depends on mentorships and programmes (who is related to whom, how many mentees a
mentor has) comes from the registry in `tandem.people.hooks`, which they fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404

from tandem.accounts.models import User
from tandem.accounts.rules import joined_q
from tandem.people import hooks
from tandem.people.completeness import Completeness, ProfileFacts, completeness
from tandem.people.models import (
    FIELD_GROUPS,
    Association,
    CareerRole,
    ListItem,
    ListKind,
    Organisation,
    OrganisationAdmin,
    Profile,
    Visibility,
)

DIRECTORY_PAGE_SIZE = 20

# --- What mentorships and programmes tell people (tandem.people.hooks) -----------------------


def share_programme(viewer: User, owner: User) -> bool:
    """Are `viewer` and `owner` members of the same programme?"""
    return hooks.related(hooks.PROGRAMME, viewer, owner)


def share_mentorship(viewer: User, owner: User) -> bool:
    """Are `viewer` and `owner` in a live mentorship together?"""
    return hooks.related(hooks.MENTORSHIP, viewer, owner)


def with_active_mentee_count(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """Annotate each profile with `active_mentees` (places taken) in the same query."""
    subquery = hooks.mentee_counts().subquery
    assert subquery is not None
    return queryset.annotate(active_mentees=subquery("user"))


def active_mentee_count(user: User) -> int:
    """How many mentees `user` has as a mentor (draft, active or paused mentorships)."""
    count = hooks.mentee_counts().count
    assert count is not None
    return count(mentor=user)


# --- Reference lists ------------------------------------------------------------------------


def list_items(kind: str) -> list[ListItem]:
    return list(ListItem.objects.of(kind))


def list_lookup() -> dict[str, dict[str, ListItem]]:
    """Every active list item by kind and slug, in one query."""
    out: dict[str, dict[str, ListItem]] = {kind: {} for kind in ListKind.values}
    for item in ListItem.objects.filter(active=True):
        out[item.kind][item.slug] = item
    return out


# --- Visibility -----------------------------------------------------------------------------


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


def profile_view_for(viewer: User | None, profile: Profile) -> ProfileView:
    """`profile` as `viewer` may see it. Use this (or the API built on it) whenever one
    person looks at another's profile."""
    visible = {group: can_see_group(viewer, profile, group) for group in FIELD_GROUPS}
    view = ProfileView(
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
        active_mentees=int(getattr(profile, "active_mentees", None) or 0)
        if hasattr(profile, "active_mentees")
        else active_mentee_count(profile.user),
        visible=visible,
    )
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


# --- Profiles and access helpers ------------------------------------------------------------


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


def organisations_list(*, q: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("industry")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def get_organisation(pk: int) -> Organisation:
    """Organisations are public reference data: 404 only when missing."""
    org = (
        Organisation.objects.select_related("industry")
        .prefetch_related("competitors", "partners")
        .filter(pk=pk)
        .first()
    )
    if org is None:
        raise Http404
    return org


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


# --- Directory ------------------------------------------------------------------------------


class Availability:
    ACCEPTING = "accepting"
    PAUSED = "paused"
    FULL = "full"
    ALL = (ACCEPTING, PAUSED, FULL)


@dataclass
class DirectoryFilters:
    q: str = ""
    guidance: str = ""
    function: str = ""
    industry: str = ""
    language: str = ""
    seniority: str = ""
    availability: str = ""
    organisation: int | None = None
    association: int | None = None

    def as_query(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


def _words(q: str) -> list[str]:
    return [w for w in q.replace(",", " ").split() if w][:8]


def directory_search(*, viewer: User, filters: DirectoryFilters) -> QuerySet[Profile]:
    """Mentors matching `filters`, best first. Paused and full mentors are included (the
    page shows them with a badge). Goals are searched only where they are public."""
    qs = with_active_mentee_count(
        Profile.objects.filter(is_mentor=True, user__is_active=True)
    ).select_related("user", "organisation", "function", "seniority", "industry")
    if filters.guidance:
        qs = qs.filter(
            Exists(
                Profile.guidance_offered.through._default_manager.filter(
                    profile_id=OuterRef("pk"), listitem__slug=filters.guidance
                )
            )
        )
    if filters.function:
        qs = qs.filter(function__slug=filters.function)
    if filters.industry:
        qs = qs.filter(industry__slug=filters.industry)
    if filters.seniority:
        qs = qs.filter(seniority__slug=filters.seniority)
    if filters.language:
        code = "".join(c for c in filters.language.lower() if c.isalpha())[:3]
        qs = qs.filter(languages__regex=rf"(^|,){code}(,|$)")
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.association:
        qs = qs.filter(
            Exists(
                Profile.associations.through._default_manager.filter(
                    profile_id=OuterRef("pk"), association_id=filters.association
                )
            )
        )
    if filters.availability == Availability.ACCEPTING:
        qs = qs.filter(paused=False, capacity__gt=F("active_mentees"))
    elif filters.availability == Availability.PAUSED:
        qs = qs.filter(paused=True)
    elif filters.availability == Availability.FULL:
        qs = qs.filter(paused=False, capacity__lte=F("active_mentees"))
    ordering: list[Any] = ["paused", "user__full_name", "pk"]
    words = _words(filters.q)
    if words:
        public_goals = Case(
            When(visibility_goals=Visibility.EVERYONE, then=F("goals")),
            default=Value(""),
            output_field=TextField(),
        )
        text_match = Q()
        for word in words:
            text_match &= (
                Q(headline__icontains=word)
                | Q(bio__icontains=word)
                | Q(goals__icontains=word, visibility_goals=Visibility.EVERYONE)
                | Q(user__full_name__icontains=word)
            )
        if connection.vendor == "postgresql":
            vector = SearchVector("headline", weight="A", config="simple") + SearchVector(
                "bio", public_goals, weight="B", config="simple"
            )
            query = SearchQuery(filters.q, config="simple", search_type="websearch")
            qs = qs.annotate(search=vector, rank=SearchRank(vector, query)).filter(
                Q(search=query) | text_match
            )
            ordering = ["-rank", *ordering]
        else:
            qs = qs.filter(text_match)
    return qs.order_by(*ordering)


def directory_page(
    *, viewer: User, filters: DirectoryFilters, page: int = 1, per_page: int = DIRECTORY_PAGE_SIZE
) -> tuple[Page[Profile], list[ProfileView]]:
    """One page of the directory as `viewer` may see it, in a constant number of queries."""
    paginator = Paginator(directory_search(viewer=viewer, filters=filters), per_page)
    page_obj = paginator.get_page(page)
    profiles = list(page_obj.object_list)
    prefetch_related_objects(profiles, "guidance_offered", "associations")
    views = [_directory_entry(viewer, p) for p in profiles]
    return page_obj, views


def _directory_entry(viewer: User, profile: Profile) -> ProfileView:
    """A directory card: only the always-public fields (no per-row queries)."""
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
        active_mentees=int(getattr(profile, "active_mentees", 0)),
        visible={group: False for group in FIELD_GROUPS},
    )


def associations_list() -> QuerySet[Association]:
    return Association.objects.all()


def home_panel(user: User) -> dict[str, Any]:
    """The home page's profile panel: how complete my profile is (empty: a first visit)."""
    profile = profile_for_user(user=user)
    done = profile_completeness(profile)
    return {"completeness": done, "first_visit": done.percent == 0}


# --- Organisation administration --------------------------------------------------------------

# The programme-manager right is the programmes app's `add_programme` permission (it reads it
# in `programs.selectors.can_create_programme`); people names it as data, never imports it.
PROGRAMME_MANAGER_PERMISSION = ("programs", "add_programme")


def can_administer(user: Any, organisation: Organisation | int) -> bool:
    """The one rule for who administers an organisation: staff, and the people staff
    appointed its administrators (`OrganisationAdmin`)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff:
        return True
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return OrganisationAdmin.objects.filter(organisation_id=org_id, user_id=user.pk).exists()


def get_organisation_for_admin(user: Any, pk: int) -> Organisation:
    """The access helper for administering an organisation: 404 unless `can_administer`."""
    org = Organisation.objects.filter(pk=pk).first()
    if org is None or not can_administer(user, org):
        raise Http404
    return org


def organisations_administered(*, user: Any) -> QuerySet[Organisation]:
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    if user.is_staff:
        return Organisation.objects.filter(admins__isnull=False).distinct()
    return Organisation.objects.filter(admins__user_id=user.pk)


def organisation_people(
    *, organisation: Organisation, joined: bool | None = None
) -> QuerySet[User]:
    """The people whose profile names `organisation`, each annotated with `joined` (the
    accounts rule) and `programme_manager` (has the right directly); `joined` filters."""
    app_label, codename = PROGRAMME_MANAGER_PERMISSION
    permission = User.user_permissions.through.objects.filter(
        user_id=OuterRef("pk"),
        permission__content_type__app_label=app_label,
        permission__codename=codename,
    )
    qs = (
        User.objects.filter(profile__organisation=organisation)
        .annotate(
            joined=Case(
                When(joined_q(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            programme_manager=Exists(permission),
        )
        .order_by("full_name", "email", "pk")
    )
    if joined is True:
        qs = qs.filter(joined_q())
    elif joined is False:
        qs = qs.exclude(joined_q())
    return qs


def get_organisation_person(organisation: Organisation, user_pk: int) -> User:
    """Someone of `organisation` (their profile names it); 404 for anyone else."""
    user = User.objects.filter(pk=user_pk, profile__organisation=organisation).first()
    if user is None:
        raise Http404
    return user
