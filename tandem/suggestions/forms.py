"""The filter form of the Find a mentor page (GET); choices come from `filter_options`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.suggestions.selectors import FilterOptions, SuggestionFilters

ANY = [("", _("Any"))]


class FilterForm(forms.Form):
    guidance = forms.ChoiceField(label=_("Guidance offered"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    function = forms.ChoiceField(label=_("Function"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    seniority = forms.ChoiceField(label=_("Seniority"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    availability = forms.TypedChoiceField(
        label=_("Availability"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, options: FilterOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("guidance", "language", "function", "industry", "seniority"):
            self.fields[name].choices = ANY + list(getattr(options, name))  # type: ignore[attr-defined]
        self.fields["organisation"].choices = ANY + [  # type: ignore[attr-defined]
            (str(pk), name) for pk, name in options.organisation
        ]
        self.fields["availability"].choices = ANY + [  # type: ignore[attr-defined]
            (str(h), label) for h, label in options.availability
        ]

    def filters(self) -> SuggestionFilters:
        """The chosen filters; an invalid choice is ignored (the page still answers)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return SuggestionFilters(
            guidance=data.get("guidance") or "",
            language=data.get("language") or "",
            function=data.get("function") or "",
            industry=data.get("industry") or "",
            seniority=data.get("seniority") or "",
            organisation=data.get("organisation"),
            availability=data.get("availability"),
        )
