"""The people API's request and response schemas."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field, field_validator

from tandem.core.schemas import Id, SafeSchema, StrictSchema, YearMonth, max_length_of
from tandem.people import selectors
from tandem.people.models import (
    Association,
    Organisation,
    OrganisationDomain,
    PeopleImport,
    Visibility,
)

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


# --- Organisation administration -------------------------------------------------------------


class OrgPersonOut(Schema):
    id: int
    name: str
    email: str
    joined: bool
    programme_manager: bool
    invitation_sent_at: datetime | None
    invitation_expires_at: datetime | None


class OrgPeopleOut(Schema):
    count: int
    results: list[OrgPersonOut]


class OrgInvitationOut(Schema):
    user_id: int
    sent_at: datetime | None
    expires_at: datetime


class ProgrammeManagerIn(StrictSchema):
    granted: bool


class ProgrammeManagerOut(Schema):
    user_id: int
    programme_manager: bool


class OrgRelationsIn(StrictSchema):
    competitor_ids: list[Id] = Field(default_factory=list, max_length=500)
    partner_ids: list[Id] = Field(default_factory=list, max_length=500)


class OrgRelationsOut(Schema):
    competitors: list[OrganisationRef]
    partners: list[OrganisationRef]


class OrgAssociationIn(StrictSchema):
    name: str = Field(min_length=1, max_length=max_length_of(Association, "name"))
    description: str = Field("", max_length=2000)


class OrgAssociationOut(Schema):
    id: int
    name: str


class OrgDomainIn(StrictSchema):
    domain: str = Field(min_length=1, max_length=max_length_of(OrganisationDomain, "domain"))


class OrgDomainOut(Schema):
    id: int
    domain: str
    verified: bool


class OrgAdminIn(StrictSchema):
    email: str = Field(min_length=3, max_length=254)


class OrgAdminOut(Schema):
    id: int
    user_id: int
    name: str
