"""Form helpers shared by every app's views."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has that field,
    otherwise as a form-wide error, so nothing the service said is lost."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
