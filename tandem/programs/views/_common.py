"""What the programme pages share: htmx detection, errors shown as messages or on a form,
CSV downloads and health labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from tandem import safecsv as csv
from tandem.accounts.types import AuthedHttpRequest
from tandem.programs import health


def _is_htmx(request: AuthedHttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _csv(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def health_label(status: str) -> str:
    return {
        health.HEALTHY: _("Healthy"),
        health.NEEDS_CHECKIN: _("Needs a check-in"),
        health.AT_RISK: _("At risk"),
        health.CLOSED: _("Closed"),
    }[status]
