"""API: the current user and personal tokens."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from tandem.accounts import selectors, services
from tandem.accounts.models import TIME_ZONE_CHOICES, User
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import Id, StrictSchema, max_length_of

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
