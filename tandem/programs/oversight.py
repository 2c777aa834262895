"""What a programme manager looked at or downloaded, in the audit log: every page, export
and API read of a programme's people, relationships, reports and runs calls this, after its
access check (only managers get that far, so ordinary members reading their own data are
never recorded)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.audit.models import Action
from tandem.audit.services import audit_record


def manager_saw(
    request: HttpRequest,
    *,
    programme_id: int,
    what: str,
    export: bool = False,
    run_id: int | None = None,
    **detail: Any,
) -> None:
    """`what`: "participants", "relationships", "dashboard", "run", "compare", ... One INSERT."""
    target = f"programme:{programme_id} {what}" + (f" run:{run_id}" if run_id else "")
    audit_record(
        actor=None,
        action=Action.EXPORT if export else Action.VIEW,
        target=target,
        request=request,
        detail={k: v for k, v in detail.items() if v not in (None, "")},
    )
