"""API: the in-app notification list and email preferences."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import BoundedLimitOffsetPagination, Id, StrictSchema
from tandem.notifications import selectors, services
from tandem.notifications.models import Notification, NotificationPreference

router = Router(tags=["notifications"])

Mode = NotificationPreference.Mode


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body_text: str
    url: str
    email: str
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(StrictSchema):
    ids: list[Id] | None = None


class MarkReadOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    example: str
    mode: Mode


class PreferenceIn(StrictSchema):
    kind: str
    mode: Mode


@router.get("/", response=list[NotificationOut])
@paginate(BoundedLimitOffsetPagination)
def notification_list(request: AuthedHttpRequest) -> list[Notification]:
    return selectors.notifications_for_user(user=request.user)  # type: ignore[return-value]


@router.post("/read", response=MarkReadOut)
def notification_mark_read(request: AuthedHttpRequest, payload: MarkReadIn) -> dict[str, int]:
    return {"marked": services.notifications_mark_read(user=request.user, ids=payload.ids)}


@router.get("/preferences", response=list[PreferenceOut])
def preference_list(request: AuthedHttpRequest) -> list[dict[str, str]]:
    return selectors.preferences_for_user(user=request.user)


@router.put("/preferences", response=PreferenceOut)
def preference_update(request: AuthedHttpRequest, payload: PreferenceIn) -> dict[str, str]:
    pref = services.preference_set(user=request.user, kind=payload.kind[:64], mode=payload.mode)
    return {"kind": pref.kind, "example": "", "mode": pref.mode}
