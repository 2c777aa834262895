"""The audit log's page for staff, with its CSV export (itself recorded)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem import safecsv
from tandem.accounts.types import AuthedHttpRequest
from tandem.audit import selectors
from tandem.audit.forms import AuditFilterForm
from tandem.audit.models import Action, AuditEvent
from tandem.audit.services import audit_record


def csv_rows(events: Iterable[AuditEvent]) -> Iterator[list[Any]]:
    yield [
        _("When (UTC)"),
        _("Who"),
        _("Who (id)"),
        _("Action"),
        _("Whose data"),
        _("Whose data (id)"),
        _("What"),
        _("Method"),
        _("Address"),
        _("IP address"),
        _("Detail"),
    ]
    for e in events:
        yield [
            e.created_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.actor_id or "",
            e.get_action_display(),
            e.subject_label,
            e.subject_user_id or "",
            e.target,
            e.method,
            e.path,
            e.ip or "",
            _json(e.detail),
        ]


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if value else ""


@login_required
def audit_list(request: AuthedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    selectors.require_auditor(request.user)
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_events(filters=form.filters())
    if request.GET.get("format") == "csv":
        audit_record(
            actor=request.user,
            action=Action.EXPORT,
            target="audit-log",
            request=request,
            detail={k: v for k, v in request.GET.items() if k != "format" and v},
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            safecsv.stream(csv_rows(events.iterator(chunk_size=2000))),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="tandem-audit-{stamp}.csv"'
        return response
    page = Paginator(events, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "retention_days": settings.TANDEM_AUDIT_RETENTION_DAYS,
        },
    )
