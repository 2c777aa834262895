"""What an organisation's administrator (or staff) looked at, in the audit log: the page and
the API that list an organisation's people call this after their access check (only
administrators get that far). The writes record themselves, in `services`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.audit.models import Action
from tandem.audit.services import audit_record
from tandem.people.models import Organisation


def organisation_admin_saw(
    request: HttpRequest, *, organisation: Organisation, what: str, **detail: Any
) -> None:
    """`what`: "people". One INSERT; a filter or page left empty is not recorded."""
    audit_record(
        actor=None,
        action=Action.VIEW,
        target=f"organisation:{organisation.pk} {what}",
        request=request,
        detail={k: v for k, v in detail.items() if v not in (None, "")},
    )
