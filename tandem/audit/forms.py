"""The audit log's filter form (the page's query string)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tandem.audit.models import Action
from tandem.audit.selectors import AuditFilters
from tandem.core.forms import validate_sane_date

PERSON_HELP = _("An id or part of an email address.")


def _no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(_("Remove the NUL character."))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Who"), required=False, max_length=254, help_text=PERSON_HELP, validators=[_no_nul]
    )
    subject = forms.CharField(
        label=_("Whose data"),
        required=False,
        max_length=254,
        help_text=PERSON_HELP,
        validators=[_no_nul],
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *Action.choices]
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        validators=[validate_sane_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        validators=[validate_sane_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def filters(self) -> AuditFilters:
        """The filters of a valid form; of an invalid one, none (the page shows the errors)."""
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            actor=data["actor"],
            subject=data["subject"],
            action=data["action"],
            since=data["since"],
            until=data["until"],
        )
