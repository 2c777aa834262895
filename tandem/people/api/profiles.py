"""My profile and career roles, someone's profile (field groups honour visibility), the
mentor directory, organisations and reference lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import ErrorOut, Id
from tandem.people import selectors, services
from tandem.people.api._common import router
from tandem.people.api.schemas import (
    CareerRoleIn,
    CareerRoleOut,
    CareerRolePatch,
    DirectoryOut,
    DirectoryQuery,
    ListItemOut,
    MyProfileOut,
    OrganisationOut,
    OrganisationRef,
    ProfileIn,
    ProfileOut,
)
from tandem.people.models import Association, CareerRole, ListItem, ListKind, Organisation
from tandem.people.selectors import CareerRoleView, DirectoryFilters, ProfileView


def _item(item: ListItem | None) -> dict[str, str] | None:
    return {"slug": item.slug, "name": item.name} if item else None


def _ref(obj: Organisation | Association | User | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": str(obj)}


def _month(value: date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _role(role: CareerRole | CareerRoleView) -> dict[str, Any]:
    return {
        "id": role.pk if isinstance(role, CareerRole) else role.id,
        "title": role.title,
        "function": _item(role.function),
        "seniority": _item(role.seniority),
        "industry": _item(role.industry),
        "organisation": _ref(role.organisation),
        "start": _month(role.start),
        "end": _month(role.end),
    }


def _items(items: list[ListItem] | None) -> list[dict[str, str]] | None:
    return None if items is None else [{"slug": i.slug, "name": i.name} for i in items]


def _profile(view: ProfileView) -> dict[str, Any]:
    return {
        "user_id": view.user_id,
        "name": view.name,
        "timezone": view.timezone,
        "headline": view.headline,
        "bio": view.bio,
        "languages": view.languages,
        "organisation": _ref(view.organisation),
        "function": _item(view.function),
        "seniority": _item(view.seniority),
        "industry": _item(view.industry),
        "associations": [_ref(a) for a in view.associations],
        "is_mentee": view.is_mentee,
        "is_mentor": view.is_mentor,
        "guidance_offered": _items(view.guidance_offered),
        "capacity": view.capacity,
        "hours_per_month": view.hours_per_month,
        "accepts_external": view.accepts_external,
        "accepts_reverse": view.accepts_reverse,
        "accepts_peer": view.accepts_peer,
        "paused": view.paused,
        "accepting_requests": view.accepting,
        "at_capacity": view.at_capacity,
        "visible": view.visible,
        "career": None if view.career is None else [_role(r) for r in view.career],
        "manager": _ref(view.manager),
        "values": _items(view.values),
        "work_style": view.work_style,
        "humour": _items(view.humour),
        "goals": view.goals,
        "guidance_wanted": _items(view.guidance_wanted),
        "preferred_mentor_seniority": _item(view.preferred_mentor_seniority),
        "preferred_cadence": view.preferred_cadence,
        "city": view.city,
        "country": view.country,
        "channels": view.channels,
    }


def _lookup(field: str, kind: str, slug: str) -> ListItem:
    item = ListItem.objects.of(kind).filter(slug=slug).first()
    if item is None:
        raise ValidationError({field: [_("“%(value)s” is not in the list.") % {"value": slug}]})
    return item


def _lookup_many(field: str, kind: str, slugs: list[str]) -> list[ListItem]:
    items = {i.slug: i for i in ListItem.objects.of(kind).filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in items]
    if unknown:
        raise ValidationError(
            {field: [_("“%(value)s” is not in the list.") % {"value": ", ".join(unknown)}]}
        )
    return [items[s] for s in dict.fromkeys(slugs)]


FK_FIELDS = {
    "function": ListKind.FUNCTION,
    "seniority": ListKind.SENIORITY,
    "industry": ListKind.INDUSTRY,
    "preferred_mentor_seniority": ListKind.SENIORITY,
}
M2M_FIELDS = {
    "values": ListKind.VALUE,
    "humour": ListKind.HUMOUR,
    "guidance_wanted": ListKind.GUIDANCE,
    "guidance_offered": ListKind.GUIDANCE,
}


def _role_fields(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name in ("function", "seniority", "industry"):
            out[name] = _lookup(name, FK_FIELDS[name], value) if value else None
        elif name == "organisation":
            out[name] = services.organisation_get_or_create(name=value) if value else None
        elif name in ("start", "end"):
            out[name] = date.fromisoformat(f"{value}-01") if value else None
        else:
            out[name] = value
    return out


def _me(user: User) -> dict[str, Any]:
    profile = selectors.profile_for_user(user=user)
    done = selectors.profile_completeness(profile)
    return {
        **_profile(selectors.profile_view_for(user, profile)),
        "manager_email": profile.manager_email
        or (profile.manager.email if profile.manager else ""),
        "visibility": {
            g: profile.visibility_of(g) for g in ("career", "values", "goals", "contact")
        },
        "completeness": {"percent": done.percent, "missing": [str(m) for m in done.missing]},
    }


@router.get("/me", response=MyProfileOut)
def my_profile(request: HttpRequest):
    """My own profile, every field, with its visibility settings and completeness."""
    return _me(request.user)  # type: ignore[arg-type]


def _profile_fields(data: dict[str, Any]) -> dict[str, Any]:
    """ProfileIn's values as keyword arguments for services.profile_update."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name in FK_FIELDS:
            fields[name] = _lookup(name, FK_FIELDS[name], value) if value else None
        elif name in M2M_FIELDS:
            fields[name] = _lookup_many(name, M2M_FIELDS[name], value or [])
        elif name == "organisation":
            fields[name] = services.organisation_get_or_create(name=value) if value else None
        elif name == "associations":
            names = value or []
            found = {a.name.lower(): a for a in Association.objects.filter(name__in=names)}
            missing = [n for n in names if n.lower() not in found]
            if missing:
                message = _("Unknown association: %(names)s") % {"names": ", ".join(missing)}
                raise ValidationError({"associations": [message]})
            fields[name] = list(found.values())
        elif name == "manager_email":
            fields[name] = value or ""  # the service links the account, if any, unsaid
        elif value is None and name != "preferred_cadence":
            raise ValidationError({name: [_("This field cannot be null.")]})
        else:
            fields[name] = value if value is not None else ""
    return fields


@router.patch("/me", response={200: MyProfileOut, 422: ErrorOut})
def my_profile_update(request: AuthedHttpRequest, payload: ProfileIn):
    user = request.user
    profile = selectors.profile_for_user(user=user)
    data = payload.model_dump(exclude_unset=True)
    timezone = data.pop("timezone", None)
    with transaction.atomic():  # a new organisation is kept only if the save succeeds
        services.profile_update(profile=profile, timezone=timezone, **_profile_fields(data))
    return 200, _me(user)


@router.get("/me/roles", response=list[CareerRoleOut])
def my_roles(request: HttpRequest):
    profile = selectors.profile_for_user(user=request.user)  # type: ignore[arg-type]
    return [_role(r) for r in selectors.career_roles_for(profile=profile)]


@router.post("/me/roles", response={201: CareerRoleOut, 422: ErrorOut})
def my_role_add(request: HttpRequest, payload: CareerRoleIn):
    profile = selectors.profile_for_user(user=request.user)  # type: ignore[arg-type]
    with transaction.atomic():
        role = services.career_role_create(
            profile=profile, **_role_fields(payload.model_dump(exclude_unset=True))
        )
    return 201, _role(role)


@router.patch("/me/roles/{role_id}", response={200: CareerRoleOut, 422: ErrorOut})
def my_role_update(request: HttpRequest, role_id: Id, payload: CareerRolePatch):
    role = selectors.get_career_role_for_user(request.user, role_id)  # type: ignore[arg-type]
    data = payload.model_dump(exclude_unset=True)
    if "title" in data and data["title"] is None:
        raise ValidationError({"title": [_("Give the role a title.")]})
    if "start" in data and data["start"] is None:
        raise ValidationError({"start": [_("Give the start month.")]})
    with transaction.atomic():
        role = services.career_role_update(role=role, **_role_fields(data))
    return 200, _role(role)


@router.delete("/me/roles/{role_id}", response={204: None})
def my_role_delete(request: HttpRequest, role_id: Id):
    role = selectors.get_career_role_for_user(request.user, role_id)  # type: ignore[arg-type]
    services.career_role_delete(role=role)
    return 204, None


@router.get("/profiles/{user_id}", response=ProfileOut)
def profile_get(request: HttpRequest, user_id: Id):
    """Someone's profile; field groups they do not share with you are null."""
    profile = selectors.get_profile_for_user(request.user, user_id)  # type: ignore[arg-type]
    return _profile(selectors.profile_view_for(request.user, profile))  # type: ignore[arg-type]


@router.get("/directory", response=DirectoryOut)
def directory(request: HttpRequest, query: Query[DirectoryQuery]):
    """People who mentor, with filters and full-text search over headline, bio and public
    goals. Paused and full mentors are included and flagged."""
    data = query.model_dump()
    page_number, per_page = data.pop("page"), data.pop("per_page")
    page, entries = selectors.directory_page(
        viewer=request.user,  # type: ignore[arg-type]
        filters=DirectoryFilters(**data),
        page=page_number,
        per_page=per_page,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [_profile(e) for e in entries],
    }


@router.get("/organisations", response=list[OrganisationRef])
def organisations(request: HttpRequest, q: str = ""):
    return [_ref(o) for o in selectors.organisations_list(q=q)[:500]]


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation(request: HttpRequest, organisation_id: Id):
    org = selectors.get_organisation(organisation_id)
    return {
        "id": org.pk,
        "name": org.name,
        "industry": _item(org.industry),
        "website": org.website,
        "competitors": [_ref(o) for o in org.competitors.all()],
        "partners": [_ref(o) for o in org.partners.all()],
    }


@router.get("/lists", response=dict[str, list[ListItemOut]])
def lists(request: HttpRequest):
    """Every reference list by kind: the slugs the API and the CSV files use."""
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ListKind.values}
    for item in ListItem.objects.filter(active=True):
        out[item.kind].append(
            {
                "slug": item.slug,
                "name": item.name,
                "level": item.level,
                "low": item.low,
                "high": item.high,
            }
        )
    return out
