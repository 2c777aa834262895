"""API: my profile, career roles, someone's profile (field groups honour visibility), the
mentor directory, organisations, reference lists, and the CSV import and export."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from tandem.accounts.models import User
from tandem.core import uploads
from tandem.core.schemas import Id, SafeSchema, StrictSchema, YearMonth, max_length_of
from tandem.people import imports, selectors, services
from tandem.people.csv_io import RowError
from tandem.people.models import (
    Association,
    CareerRole,
    ListItem,
    ListKind,
    Organisation,
    PeopleImport,
    Visibility,
)
from tandem.people.selectors import CareerRoleView, DirectoryFilters, ProfileView
from tandem.people.views import csv_response

router = Router(tags=["people"])


# --- Schemas --------------------------------------------------------------------------------


ORGANISATION_NAME_MAX = max_length_of(Organisation, "name")


class ItemOut(Schema):
    slug: str
    name: str


class ListItemOut(ItemOut):
    level: int
    low: str
    high: str


class OrganisationRef(Schema):
    id: int
    name: str


class OrganisationOut(OrganisationRef):
    industry: ItemOut | None
    website: str
    competitors: list[OrganisationRef]
    partners: list[OrganisationRef]


class CareerRoleOut(Schema):
    id: int
    title: str
    function: ItemOut | None
    seniority: ItemOut | None
    industry: ItemOut | None
    organisation: OrganisationRef | None
    start: str = Field(description="YYYY-MM")
    end: str | None = Field(description="YYYY-MM, or null for the current role")


class CareerRoleIn(StrictSchema):
    title: str = Field(min_length=1, max_length=150)
    function: str | None = None
    seniority: str | None = None
    industry: str | None = None
    organisation: str | None = Field(
        None, max_length=ORGANISATION_NAME_MAX, description="Organisation name; created if new"
    )
    start: YearMonth
    end: YearMonth | None = Field(None, description="YYYY-MM or null")


class CareerRolePatch(StrictSchema):
    title: str | None = Field(None, min_length=1, max_length=150)
    function: str | None = None
    seniority: str | None = None
    industry: str | None = None
    organisation: str | None = Field(None, max_length=ORGANISATION_NAME_MAX)
    start: YearMonth | None = None
    end: YearMonth | None = None


class ProfileOut(Schema):
    """A profile as the caller may see it. A field group the owner does not share with the
    caller ("career", "values", "goals", "contact") has its fields set to null."""

    user_id: Id
    name: str
    timezone: str
    headline: str
    bio: str
    languages: list[str]
    organisation: OrganisationRef | None
    function: ItemOut | None
    seniority: ItemOut | None
    industry: ItemOut | None
    associations: list[OrganisationRef]
    is_mentee: bool
    is_mentor: bool
    guidance_offered: list[ItemOut]
    capacity: int
    hours_per_month: int
    accepts_external: bool
    accepts_reverse: bool
    accepts_peer: bool
    paused: bool
    accepting_requests: bool
    visible: dict[str, bool]
    career: list[CareerRoleOut] | None
    manager: OrganisationRef | None = Field(description="The current manager (id, name)")
    values: list[ItemOut] | None
    work_style: dict[str, int] | None
    humour: list[ItemOut] | None
    goals: str | None
    guidance_wanted: list[ItemOut] | None
    preferred_mentor_seniority: ItemOut | None
    preferred_cadence: str | None
    city: str | None
    country: str | None
    channels: list[str] | None


class CompletenessOut(Schema):
    percent: int
    missing: list[str]


class MyProfileOut(ProfileOut):
    manager_email: str = Field(
        description="Your manager's address as you gave it. `manager` stays empty on your own "
        "profile: whether that address has an account is not told."
    )
    visibility: dict[str, str]
    completeness: CompletenessOut


class ProfileIn(StrictSchema):
    """Fields to change; leave out what stays. Lists replace the whole list. List values
    are slugs from /lists."""

    headline: str | None = Field(None, max_length=160)
    bio: str | None = Field(None, max_length=2000)
    languages: list[str] | None = Field(None, description="ISO codes, e.g. ['en', 'id']")
    timezone: str | None = None
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=100)
    channels: list[str] | None = None
    organisation: str | None = Field(
        None, max_length=ORGANISATION_NAME_MAX, description="Organisation name; '' clears"
    )
    function: str | None = None
    seniority: str | None = None
    industry: str | None = None
    manager_email: str | None = Field(None, description="'' clears")
    associations: list[str] | None = Field(None, description="Association names")
    values: list[str] | None = None
    humour: list[str] | None = None
    work_style: dict[str, int] | None = None
    is_mentee: bool | None = None
    goals: str | None = Field(None, max_length=2000)
    guidance_wanted: list[str] | None = None
    preferred_mentor_seniority: str | None = None
    preferred_cadence: str | None = None
    is_mentor: bool | None = None
    guidance_offered: list[str] | None = None
    capacity: int | None = Field(None, ge=0, le=50)
    hours_per_month: int | None = Field(None, ge=0, le=200)
    accepts_external: bool | None = None
    accepts_reverse: bool | None = None
    accepts_peer: bool | None = None
    paused: bool | None = None
    visibility_career: Visibility | None = None
    visibility_values: Visibility | None = None
    visibility_goals: Visibility | None = None
    visibility_contact: Visibility | None = None


class DirectoryQuery(SafeSchema):
    q: str = ""
    guidance: str = ""
    function: str = ""
    industry: str = ""
    language: str = ""
    seniority: str = ""
    availability: str = Field("", description="accepting, paused or full")
    organisation: int | None = None
    association: int | None = None
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)

    @field_validator("availability")
    @classmethod
    def _availability(cls, value: str) -> str:
        if value and value not in selectors.Availability.ALL:
            raise ValueError("must be accepting, paused or full")
        return value


class DirectoryEntryOut(Schema):
    user_id: Id
    name: str
    headline: str
    languages: list[str]
    timezone: str
    organisation: OrganisationRef | None
    function: ItemOut | None
    seniority: ItemOut | None
    industry: ItemOut | None
    guidance_offered: list[ItemOut]
    associations: list[OrganisationRef]
    capacity: int
    hours_per_month: int
    paused: bool
    at_capacity: bool
    accepting_requests: bool


class DirectoryOut(Schema):
    count: int
    page: int
    pages: int
    results: list[DirectoryEntryOut]


class ImportErrorOut(Schema):
    line: int
    column: str
    message: str


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[ImportErrorOut]


class DetailOut(Schema):
    detail: str


class PeopleImportOut(Schema):
    """A large upload imported by the worker: poll `status_url` until `status` is done
    (everything imported) or failed (nothing imported; `errors` says why, row by row)."""

    id: int
    status: PeopleImport.Status
    filename: str
    total_rows: int
    checked_rows: int
    percent: int
    created: int
    updated: int
    unchanged: int
    errors: list[ImportErrorOut]
    created_at: datetime
    finished_at: datetime | None
    status_url: str


# --- Converters -----------------------------------------------------------------------------


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


# --- Endpoints ------------------------------------------------------------------------------


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


@router.patch("/me", response={200: MyProfileOut, 422: DetailOut})
def my_profile_update(request: HttpRequest, payload: ProfileIn):
    user: User = request.user  # type: ignore[assignment]
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


@router.post("/me/roles", response={201: CareerRoleOut, 422: DetailOut})
def my_role_add(request: HttpRequest, payload: CareerRoleIn):
    profile = selectors.profile_for_user(user=request.user)  # type: ignore[arg-type]
    with transaction.atomic():
        role = services.career_role_create(
            profile=profile, **_role_fields(payload.model_dump(exclude_unset=True))
        )
    return 201, _role(role)


@router.patch("/me/roles/{role_id}", response={200: CareerRoleOut, 422: DetailOut})
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


def _require_importer(request: HttpRequest) -> None:
    if not selectors.can_import_people(request.user):  # type: ignore[arg-type]
        raise Http404


def _import_errors(errors: list[RowError]) -> list[dict[str, Any]]:
    return [{"line": e.line, "column": e.column, "message": e.message} for e in errors]


def _people_import_out(job: PeopleImport) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "filename": job.filename,
        "total_rows": job.total_rows,
        "checked_rows": job.checked_rows,
        "percent": job.percent,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "errors": job.errors,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "status_url": reverse("api-1.0.0:people_import_status", args=[job.pk]),
    }


@router.post(
    "/import",
    response={200: ImportOut, 202: PeopleImportOut, 413: DetailOut, 422: ImportOut},
)
def import_csv(request: HttpRequest, file: File[UploadedFile]):
    """Import people from a CSV file (see /people/import/columns/). All or nothing: when any
    row is bad the answer is 422 with every problem and its line number. A file over the
    upload limit is 413, one with too many rows 422. A file with more rows than are
    imported at once is queued for the worker: 202 with the import to poll."""
    _require_importer(request)
    try:
        outcome = imports.people_import_upload(user=request.user, upload=file)  # type: ignore[arg-type]
    except uploads.UploadTooLarge as exc:
        return 413, {"detail": str(exc)}
    except imports.TooManyRows as exc:
        error = RowError(line=1, column="", message=str(exc))
        return 422, {"rows": 0, "created": 0, "updated": 0, "unchanged": 0,
                     "errors": _import_errors([error])}  # fmt: skip
    if isinstance(outcome, PeopleImport):
        return 202, _people_import_out(outcome)
    body = {
        "rows": outcome.rows,
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "errors": _import_errors(outcome.errors),
    }
    return (200 if outcome.ok else 422), body


@router.get("/imports/{import_id}", response=PeopleImportOut, url_name="people_import_status")
def import_status(request: HttpRequest, import_id: Id):
    """A queued import's progress and result; only its uploader sees it (404 otherwise)."""
    return _people_import_out(
        imports.get_people_import_for_user(request.user, import_id)  # type: ignore[arg-type]
    )


@router.get("/export", response={200: None})
def export_csv(request: HttpRequest) -> HttpResponse:
    """Everyone with a profile as CSV, in the import's columns. Staff get every field;
    anyone else gets each profile as they may see it: the cells of a field group the person
    keeps from them are empty (`people.selectors.export_viewer`)."""
    _require_importer(request)
    return csv_response(request.user)  # type: ignore[arg-type,return-value]
