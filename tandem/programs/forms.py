"""Forms for the programme pages. Validation of meaning lives in services; these parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.matching.types import COMPONENTS, Weights
from tandem.programs.models import Circle, Programme, Question, Role

WEIGHT_LABELS = {
    "career": _("Similar career path"),
    "seniority": _("Seniority fit"),
    "guidance": _("Help wanted and offered"),
    "values": _("Shared values"),
    "style": _("Work style and humour"),
    "text": _("Goals and experience"),
    "language_time": _("Language and time zone"),
    "availability": _("Time available"),
}


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "kind",
            "matching_mode",
            "approval",
            "mentor_capacity",
            "mentors_per_mentee",
            "duration_months",
            "meetings_per_month",
            "checkin_first_days",
            "checkin_every_days",
            "language",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class WeightsForm(forms.Form):
    objective = forms.ChoiceField(
        label=_("Aim"),
        choices=[
            ("coverage", _("Match as many mentees as possible, then the best scores")),
            ("score", _("Only the best scores, even if fewer are matched")),
        ],
        initial="coverage",
    )

    def __init__(self, *args: Any, weights: dict[str, float] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in COMPONENTS:
            self.fields[f"w_{name}"] = forms.FloatField(
                label=WEIGHT_LABELS.get(name, name),
                min_value=0,
                max_value=1,
                initial=(weights or {}).get(name, getattr(Weights(), name)),
                widget=forms.NumberInput(attrs={"step": "0.05"}),
            )

    def weights(self) -> dict[str, float]:
        return {name: self.cleaned_data[f"w_{name}"] for name in COMPONENTS}


class JoinForm(forms.Form):
    role = forms.ChoiceField(
        label=_("I join as"),
        choices=[(Role.MENTEE, _("A mentee")), (Role.MENTOR, _("A mentor"))],
        widget=forms.RadioSelect,
    )
    capacity = forms.IntegerField(
        label=_("As a mentor: how many mentees at a time?"),
        min_value=1,
        max_value=50,
        required=False,
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for q in questions:
            self.fields[f"q_{q.pk}"] = forms.CharField(
                label=q.text,
                required=False,
                max_length=2000,
                help_text=_("For mentors") if q.role == Role.MENTOR else _("For mentees"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[str, str]:
        return {key[2:]: value for key, value in self.cleaned_data.items() if key.startswith("q_")}


class CsvEnrolForm(forms.Form):
    file = forms.FileField(label=_("CSV file of people"))
    role = forms.ChoiceField(
        label=_("Enrol them as"),
        choices=[
            ("auto", _("As the roles column says")),
            (Role.MENTEE, _("Mentees")),
            (Role.MENTOR, _("Mentors")),
        ],
    )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["role", "text"]


class ManagerForm(forms.Form):
    email = forms.EmailField(label=_("Email of the new manager"))


class CheckInForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with this mentoring relationship?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 means not at all, 5 means very satisfied."),
    )
    meets_as_agreed = forms.TypedChoiceField(
        label=_("Do you meet as you agreed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (only you see this)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CircleForm(forms.ModelForm):
    class Meta:
        model = Circle
        fields = ["name", "weekday", "time", "frequency"]
        widgets = {"time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class AgendaForm(forms.Form):
    text = forms.CharField(label=_("Add to the shared agenda"), max_length=300)
