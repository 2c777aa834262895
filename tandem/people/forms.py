"""Forms for the profile pages, career roles, the directory filters and the CSV import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import TIME_ZONE_CHOICES, User, canonical_time_zone
from tandem.people.languages import language_name
from tandem.people.models import (
    MAX_VALUES,
    SPOKEN_LANGUAGE_CODES,
    Association,
    Cadence,
    Channel,
    ListItem,
    ListKind,
    Organisation,
    Profile,
    Visibility,
)
from tandem.people.selectors import Availability

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class ListChoiceField(forms.ModelChoiceField):
    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(queryset=ListItem.objects.of(kind), required=False, **kwargs)


class ListMultipleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(queryset=ListItem.objects.of(kind), required=False, **kwargs)


def spoken_language_choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, f"{language_name(code)} ({code})") for code in SPOKEN_LANGUAGE_CODES),
        key=lambda c: c[1],
    )


class OrganisationNameField(forms.CharField):
    """An organisation typed by name (suggested from the known ones)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["list"] = "organisation-names"


class ProfileForm(forms.Form):
    """Everything a person says about themselves. Saved with services.profile_update."""

    headline = forms.CharField(
        label=_("Headline"),
        max_length=160,
        required=False,
        help_text=_("One line about what you do, e.g. “Product lead in fintech”."),
    )
    bio = forms.CharField(
        label=_("Short bio"), max_length=2000, required=False, widget=forms.Textarea
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=spoken_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    channels = forms.MultipleChoiceField(
        label=_("Preferred channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = OrganisationNameField(label=_("Organisation"))
    function = ListChoiceField(ListKind.FUNCTION, label=_("Function"))
    seniority = ListChoiceField(ListKind.SENIORITY, label=_("Seniority"))
    industry = ListChoiceField(ListKind.INDUSTRY, label=_("Industry"))
    manager_email = forms.EmailField(
        label=_("Your manager's email"),
        required=False,
        help_text=_("So that Tandem never suggests your own manager as your mentor."),
    )
    associations = forms.ModelMultipleChoiceField(
        label=_("Professional associations"),
        queryset=Association.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    values = ListMultipleField(
        ListKind.VALUE,
        label=_("Your values"),
        help_text=_("Choose up to five."),
    )
    humour = ListMultipleField(ListKind.HUMOUR, label=_("Your sense of humour"))
    is_mentee = forms.BooleanField(label=_("I am looking for a mentor"), required=False)
    goals = forms.CharField(
        label=_("Your goals, in your own words"),
        max_length=2000,
        required=False,
        widget=forms.Textarea,
        help_text=_("Be specific, e.g. “promotion to manager within a year, with an action plan”."),
    )
    guidance_wanted = ListMultipleField(ListKind.GUIDANCE, label=_("Guidance you want"))
    preferred_mentor_seniority = ListChoiceField(
        ListKind.SENIORITY, label=_("Preferred mentor seniority")
    )
    preferred_cadence = forms.ChoiceField(
        label=_("How often you would like to meet"),
        choices=[("", "—"), *Cadence.choices],
        required=False,
        help_text=_("Once a month is a reasonable start."),
    )
    is_mentor = forms.BooleanField(label=_("I am open to mentoring"), required=False)
    guidance_offered = ListMultipleField(ListKind.GUIDANCE, label=_("Guidance you can offer"))
    capacity = forms.IntegerField(
        label=_("How many mentees at a time"), min_value=0, max_value=50, initial=0
    )
    hours_per_month = forms.IntegerField(
        label=_("Hours a month for mentoring"), min_value=0, max_value=200, initial=0
    )
    accepts_external = forms.BooleanField(
        label=_("I take mentees from other organisations"), required=False, initial=True
    )
    accepts_reverse = forms.BooleanField(
        label=_("I am open to reverse mentoring (a junior mentoring me)"), required=False
    )
    accepts_peer = forms.BooleanField(label=_("I am open to peer mentoring"), required=False)
    paused = forms.BooleanField(label=_("Not taking requests now"), required=False)
    visibility_career = forms.ChoiceField(
        label=_("Who sees your career history"), choices=Visibility.choices
    )
    visibility_values = forms.ChoiceField(
        label=_("Who sees your values, work style and humour"), choices=Visibility.choices
    )
    visibility_goals = forms.ChoiceField(label=_("Who sees your goals"), choices=Visibility.choices)
    visibility_contact = forms.ChoiceField(
        label=_("Who sees your location and channels"), choices=Visibility.choices
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.axes = list(ListItem.objects.of(ListKind.WORK_STYLE))
        for axis in self.axes:
            self.fields[f"work_style_{axis.slug}"] = forms.TypedChoiceField(
                label=axis.name,
                coerce=int,
                empty_value=None,
                required=False,
                choices=[
                    ("", _("Not set")),
                    (-1, axis.low),
                    (0, _("In between")),
                    (1, axis.high),
                ],
            )

    @classmethod
    def initial_for(cls, profile: Profile) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(profile, name)
            for name in (
                "headline", "bio", "city", "country", "channels", "function", "seniority",
                "industry", "is_mentee", "goals", "preferred_mentor_seniority",
                "preferred_cadence", "is_mentor", "capacity", "hours_per_month",
                "accepts_external", "accepts_reverse", "accepts_peer", "paused",
                "visibility_career", "visibility_values", "visibility_goals",
                "visibility_contact",
            )
        }  # fmt: skip
        initial["languages"] = profile.language_list
        initial["timezone"] = canonical_time_zone(profile.user.timezone)
        initial["organisation"] = profile.organisation.name if profile.organisation else ""
        initial["manager_email"] = profile.manager_address
        for name in ("associations", "values", "humour", "guidance_wanted", "guidance_offered"):
            initial[name] = list(getattr(profile, name).all()) if profile.pk else []
        for axis, value in (profile.work_style or {}).items():
            initial[f"work_style_{axis}"] = value
        return initial

    @property
    def work_style_fields(self) -> list[forms.BoundField]:
        return [self[f"work_style_{axis.slug}"] for axis in self.axes]

    def clean_values(self) -> Any:
        values = self.cleaned_data["values"]
        if len(values) > MAX_VALUES:
            raise forms.ValidationError(_("Choose at most five values."))
        return values

    def clean_manager_email(self) -> str:
        """Any address is accepted the same way, on Tandem or not (the service links the
        account when there is one), so the form never tells who has an account."""
        email = self.cleaned_data["manager_email"].strip().lower()
        if email and email == self.user.email.lower():
            raise forms.ValidationError(_("You cannot be your own manager."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_mentor") and not data.get("capacity"):
            self.add_error("capacity", _("As a mentor, say how many mentees you can take."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments for services.profile_update (the
        organisation is resolved by the view)."""
        data = dict(self.cleaned_data)
        style = {
            axis.slug: data.pop(f"work_style_{axis.slug}")
            for axis in self.axes
            if data.get(f"work_style_{axis.slug}") is not None
        }
        for axis in self.axes:
            data.pop(f"work_style_{axis.slug}", None)
        data["work_style"] = style
        data.pop("organisation")
        return data


class CareerRoleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    organisation = OrganisationNameField(label=_("Organisation"))
    function = ListChoiceField(ListKind.FUNCTION, label=_("Function"))
    seniority = ListChoiceField(ListKind.SENIORITY, label=_("Seniority"))
    industry = ListChoiceField(ListKind.INDUSTRY, label=_("Industry"))
    start = forms.DateField(
        label=_("Start month"),
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    end = forms.DateField(
        label=_("End month"),
        input_formats=MONTH_FORMATS,
        required=False,
        help_text=_("Leave empty for your current role."),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Shown on the profile page next to the profile form, which has its own
        # organisation/function/seniority/industry: distinct ids keep every label attached.
        kwargs.setdefault("auto_id", "id_role_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end month cannot be before the start month."))
        return data


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    guidance = forms.ChoiceField(label=_("Guidance offered"), required=False)
    function = forms.ChoiceField(label=_("Function"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    seniority = forms.ChoiceField(label=_("Seniority"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[
            ("", _("Any")),
            (Availability.ACCEPTING, _("Taking requests")),
            (Availability.PAUSED, _("Paused")),
            (Availability.FULL, _("Full")),
        ],
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    association = forms.ModelChoiceField(
        label=_("Association"), queryset=Association.objects.all(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = list(ListItem.objects.filter(active=True))
        for name, kind in (
            ("guidance", ListKind.GUIDANCE),
            ("function", ListKind.FUNCTION),
            ("industry", ListKind.INDUSTRY),
            ("seniority", ListKind.SENIORITY),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Any"))] + [(i.slug, i.name) for i in items if i.kind == kind]
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("Any")), *spoken_language_choices()]


class ImportForm(forms.Form):
    """The limits are checked by `people.imports.people_import_upload`."""

    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8, separated by commas, semicolons or tabs. At most %(size)s MB and "
            "%(rows)s rows; a file of more than %(sync)s rows is imported in the background."
        ) % {
            "size": f"{settings.TANDEM_MAX_UPLOAD_SIZE / (1024 * 1024):.3g}",
            "rows": f"{settings.TANDEM_IMPORT_MAX_ROWS:,}",
            "sync": f"{settings.TANDEM_IMPORT_SYNC_ROWS:,}",
        }
