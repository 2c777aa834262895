"""API: the current user, personal tokens, and personal data (download, delete)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import FileResponse
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from tandem.accounts import selectors, services
from tandem.accounts.models import TIME_ZONE_CHOICES, PersonalDataExport, User
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import FieldErrorsOut, Id, StrictSchema, max_length_of

router = Router(tags=["accounts"])

_LANGS = {code for code, _name in settings.LANGUAGES}
_ZONES = {name for name, _label in TIME_ZONE_CHOICES}


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    timezone: str


class AccountSecurityOut(Schema):
    """How the person signs in: a second factor set up, required of them, SSO accounts."""

    mfa_enabled: bool
    mfa_required: bool
    sso_providers: list[str]


class MeIn(StrictSchema):
    full_name: str | None = Field(None, max_length=max_length_of(User, "full_name"))
    language: str | None = None
    timezone: str | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and value not in _LANGS:
            raise ValueError(f"must be one of {sorted(_LANGS)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is not None and value not in _ZONES:
            raise ValueError("must be an IANA time zone name such as Asia/Jakarta")
        return value


class TokenIn(StrictSchema):
    name: str = Field(min_length=1, max_length=80)


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    key: str


@router.get("/me", response=MeOut)
def me(request: AuthedHttpRequest) -> User:
    return request.user


@router.get("/me/security", response=AccountSecurityOut)
def me_security(request: AuthedHttpRequest) -> dict[str, object]:
    """The signed-in person's own sign-in security (MFA is set up on the MFA page)."""
    return selectors.account_security(user=request.user)


@router.patch("/me", response=MeOut)
def me_update(request: AuthedHttpRequest, payload: MeIn) -> User:
    user = request.user
    return services.user_update_preferences(
        user=user,
        full_name=payload.full_name if payload.full_name is not None else user.full_name,
        language=payload.language or user.language,
        timezone_name=payload.timezone or user.timezone,
    )


@router.get("/tokens", response=list[TokenOut])
def tokens_list(request: AuthedHttpRequest):
    return list(selectors.api_tokens_for_user(user=request.user))


@router.post("/tokens", response={201: TokenCreatedOut})
def tokens_create(request: AuthedHttpRequest, payload: TokenIn):
    token, raw = services.api_token_create(user=request.user, name=payload.name.strip())
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "key": raw})


@router.delete("/tokens/{token_id}", response={204: None})
def tokens_revoke(request: AuthedHttpRequest, token_id: Id):
    token = selectors.get_api_token_for_user(request.user, token_id)
    services.api_token_revoke(token=token)
    return Status(204, None)


class PersonalDataExportOut(Schema):
    id: int
    state: PersonalDataExport.State
    created: datetime
    finished: datetime | None
    expires: datetime | None
    download_url: str | None

    @staticmethod
    def resolve_download_url(obj: PersonalDataExport) -> str | None:
        if not obj.is_downloadable():
            return None
        return reverse("api-1.0.0:personal_data_download", kwargs={"export_id": obj.pk})


class AccountDeleteIn(StrictSchema):
    """The confirmation: the account's email address and, where it has one, its password."""

    email: str = Field(min_length=1, max_length=254)
    password: str = Field("", max_length=4096)


@router.post("/export", response={202: PersonalDataExportOut})
def personal_data_export(request: AuthedHttpRequest):
    """Ask for "Download my data". The worker builds the zip; poll the state. An export still
    being prepared is returned instead of starting another."""
    return Status(202, services.personal_data_export_request(user=request.user))


@router.get("/export/{export_id}", response=PersonalDataExportOut)
def personal_data_export_state(request: AuthedHttpRequest, export_id: Id):
    return selectors.get_personal_data_export_for_user(request.user, export_id)


@router.get("/export/{export_id}/download", url_name="personal_data_download")
def personal_data_export_download(request: AuthedHttpRequest, export_id: Id) -> FileResponse:
    """The zip (application/zip), to its owner only, until it expires (404 after)."""
    from tandem.accounts.views import personal_data_file_response

    return personal_data_file_response(
        selectors.get_personal_data_export_file(request.user, export_id)
    )


@router.post("/delete", response={204: None, 422: FieldErrorsOut})
def account_delete(request: AuthedHttpRequest, payload: AccountDeleteIn):
    """Delete my account, confirmed by its email address and password: mentorships end with
    a notice to the other person, and everything only mine is erased. Cannot be undone."""
    services.account_delete_check(user=request.user, email=payload.email, password=payload.password)
    services.account_delete(user=request.user)
    return Status(204, None)
