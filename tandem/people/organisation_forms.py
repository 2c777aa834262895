"""Forms of the organisation administration pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Organisation


class RelationsForm(forms.Form):
    competitors = forms.ModelMultipleChoiceField(
        label=_("Competitors"), queryset=Organisation.objects.none(), required=False
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners and affiliates"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Organisation.objects.exclude(pk=organisation.pk).order_by("name")
        for name in ("competitors", "partners"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = others


class AssociationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea
    )


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("Email domain"), max_length=253)


class AppointAdminForm(forms.Form):
    email = forms.EmailField(label=_("Email address of their account"), max_length=254)


class PeopleFilterForm(forms.Form):
    joined = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Everyone")),
            ("no", _("Not joined yet")),
            ("yes", _("Joined")),
        ],
    )
