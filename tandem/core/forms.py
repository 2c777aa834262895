"""Form helpers shared by every app's views."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# Dates and times the product can mean (a role began, a meeting is held, an agreement ends),
# for pages and API alike. Year 9999 cannot be shifted into a time zone or reminded of.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2200, 12, 31)


def validate_sane_date(value: Any) -> None:
    """A date or time between DATE_MIN and DATE_MAX."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day is not None and not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_range",
            params={"min": DATE_MIN.year, "max": DATE_MAX.year},
        )


def service_error_messages(exc: ValidationError) -> list[str]:
    """Every message a service's ValidationError holds, field errors included, in order."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def service_error_codes(exc: ValidationError) -> set[str | None]:
    """The codes of a service's ValidationError, field errors included."""
    return (
        {e.code for e in exc.error_list}
        if not hasattr(exc, "error_dict")
        else {e.code for errors in exc.error_dict.values() for e in errors}
    )


def apply_service_errors(
    form: forms.BaseForm, exc: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: by field where the form has that field
    (a service's field name may be known to the form by another name: `aliases`), otherwise as
    a form-wide error, so nothing the service said is lost.

    This and `service_errors_to_messages` are the only two ways a page shows a service's
    errors (tandem/core/tests/test_idioms.py)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            name = (aliases or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def service_errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's ValidationError as error messages on the next page (for buttons with
    no form of their own)."""
    for message in service_error_messages(exc):
        messages.error(request, message)


def perform(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a button's service call: its ValidationError becomes error messages on the next
    page, else `success` is said. Returns whether it succeeded."""
    try:
        action()
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
        return False
    messages.success(request, success)
    return True
