"""API: the current user and personal tokens."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import field_validator

from tandem.accounts import selectors, services
from tandem.accounts.models import TIME_ZONE_CHOICES

router = Router(tags=["accounts"])

_LANGS = {code for code, _name in settings.LANGUAGES}
_ZONES = {name for name, _label in TIME_ZONE_CHOICES}


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    timezone: str


class MeIn(Schema):
    full_name: str | None = None
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


class TokenIn(Schema):
    name: str


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
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.user


@router.patch("/me", response=MeOut)
def me_update(request: HttpRequest, payload: MeIn):  # type: ignore[no-untyped-def]
    user = request.user
    return services.user_update_preferences(
        user=user,  # type: ignore[arg-type]
        full_name=payload.full_name if payload.full_name is not None else user.full_name,  # type: ignore[union-attr]
        language=payload.language or user.language,  # type: ignore[union-attr]
        timezone_name=payload.timezone or user.timezone,  # type: ignore[union-attr]
    )


@router.get("/tokens", response=list[TokenOut])
def tokens_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(selectors.api_tokens_for_user(user=request.user))  # type: ignore[arg-type]


@router.post("/tokens", response={201: TokenCreatedOut})
def tokens_create(request: HttpRequest, payload: TokenIn):  # type: ignore[no-untyped-def]
    token, raw = services.api_token_create(user=request.user, name=payload.name.strip()[:80])  # type: ignore[arg-type]
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "key": raw})


@router.delete("/tokens/{token_id}", response={204: None})
def tokens_revoke(request: HttpRequest, token_id: int):  # type: ignore[no-untyped-def]
    token = selectors.get_api_token_for_user(request.user, token_id)  # type: ignore[arg-type]
    services.api_token_revoke(token=token)
    return Status(204, None)
