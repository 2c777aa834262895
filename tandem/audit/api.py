"""API: the audit log, for staff (a personal token or the browser session). Anyone else
gets 404, as on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.paginator import Paginator
from ninja import Query, Router, Schema
from pydantic import Field

from tandem.accounts.types import AuthedHttpRequest
from tandem.audit import selectors
from tandem.audit.models import Action
from tandem.audit.selectors import AuditFilters
from tandem.core.schemas import BoundedInt, SafeSchema, SaneDate

router = Router(tags=["audit"])

ActionName = Literal[tuple(Action.values)]  # type: ignore[valid-type]


class AuditQueryIn(SafeSchema):
    actor: str = Field("", max_length=254, description="An id or part of an email address")
    subject: str = Field("", max_length=254, description="Whose data: an id or part of an email")
    action: ActionName | Literal[""] = ""  # type: ignore[valid-type]
    since: SaneDate | None = Field(None, description="From this day (inclusive)")
    until: SaneDate | None = Field(None, description="Until this day (inclusive)")
    page: BoundedInt(ge=1, le=1_000_000) = 1  # type: ignore[valid-type]


class AuditEventOut(Schema):
    id: int
    created_at: dt.datetime
    actor_id: int | None
    actor: str
    action: str
    action_text: str
    subject_user_id: int | None
    subject: str
    target: str
    method: str
    path: str
    ip: str | None
    detail: dict[str, Any]


class AuditPageOut(Schema):
    count: int
    page: int
    pages: int
    events: list[AuditEventOut]


@router.get("/", response=AuditPageOut)
def audit_list(request: AuthedHttpRequest, query: Query[AuditQueryIn]) -> dict[str, Any]:
    """Audit events, newest first, 50 a page (`page` past the last gives the last)."""
    selectors.require_auditor(request.user)
    events = selectors.audit_events(
        filters=AuditFilters(
            actor=query.actor,
            subject=query.subject,
            action=query.action,
            since=query.since,
            until=query.until,
        )
    )
    page = Paginator(events, selectors.PAGE_SIZE).get_page(query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "events": [
            {
                "id": e.pk,
                "created_at": e.created_at,
                "actor_id": e.actor_id,
                "actor": e.actor_label,
                "action": e.action,
                "action_text": e.get_action_display(),
                "subject_user_id": e.subject_user_id,
                "subject": e.subject_label,
                "target": e.target,
                "method": e.method,
                "path": e.path,
                "ip": e.ip,
                "detail": e.detail,
            }
            for e in page.object_list
        ],
    }
