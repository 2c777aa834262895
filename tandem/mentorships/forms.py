"""Forms for the mentorship pages. The services validate again; forms give the guidance."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import validate_sane_date
from tandem.mentorships import adapters
from tandem.mentorships.models import (
    DURATION_MONTHS,
    MEETING_MINUTES_CHOICES,
    MEETINGS_PER_MONTH,
    Channel,
    CheckIn,
    Formality,
)
from tandem.mentorships.services import DECLINE_TEMPLATES


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class TryOutForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One real question about their path or your situation. It asks for no commitment, "
            "and they may answer or let it go."
        ),
    )


class TryOutAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RequestForm(forms.Form):
    """The guided plan (seed 001): expectations, guidance, goal, rhythm, and why this person."""

    expectations = forms.CharField(
        label=_("What exactly do you hope for from them?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("If you ask someone to commit, they need to know what they are saying yes to."),
    )
    guidance_kind = forms.ChoiceField(label=_("Kind of guidance"), choices=())
    goal = forms.CharField(
        label=_("Your specific goal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: promotion to manager within a year, with an action plan to get there."
        ),
    )
    meetings_per_month = forms.IntegerField(
        label=_("Meetings a month"),
        min_value=MEETINGS_PER_MONTH[0],
        max_value=MEETINGS_PER_MONTH[1],
        initial=1,
        help_text=_(
            "One meeting a month is a reasonable start. Asking for more is a lot at the "
            "beginning: you can always agree on more later."
        ),
    )
    meeting_minutes = forms.TypedChoiceField(
        label=_("Meeting length"), choices=MEETING_MINUTES_CHOICES, coerce=int, initial=60
    )
    channel = forms.ChoiceField(label=_("How you would like to meet"), choices=Channel.choices)
    duration_months = forms.IntegerField(
        label=_("For how many months"),
        min_value=DURATION_MONTHS[0],
        max_value=DURATION_MONTHS[1],
        initial=6,
    )
    why_this_mentor = forms.CharField(
        label=_("Why this person, in your own words (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    message = forms.CharField(
        label=_("A personal note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    not_a_job = forms.BooleanField(
        label=_("I am asking for advice and guidance, not for a job."),
        required=True,
    )

    def __init__(self, *args: Any, as_mentor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "guidance_kind").choices = [("", "—"), *adapters.guidance_kinds()]
        if as_mentor:
            del self.fields["not_a_job"]
            self.fields["expectations"].label = _("What you can offer")
            self.fields["expectations"].help_text = ""
            self.fields["goal"].label = _("The goal you could help with")
            self.fields["why_this_mentor"].label = _("Why you are inviting them")

    @property
    def asks_a_lot(self) -> bool:
        value = self.data.get("meetings_per_month") if self.is_bound else None
        try:
            return int(value or 0) > 1
        except ValueError:
            return False


class DeclineForm(forms.Form):
    template = forms.ChoiceField(
        label=_("A kind message (optional)"),
        choices=(),
        required=False,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("In your own words (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "template").choices = [("", _("No message")), *DECLINE_TEMPLATES.items()]


class AgreementForm(forms.Form):
    goal = forms.CharField(
        label=_("What we work towards"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    meetings_per_month = forms.IntegerField(
        label=_("Meetings a month"),
        min_value=MEETINGS_PER_MONTH[0],
        max_value=MEETINGS_PER_MONTH[1],
    )
    meeting_minutes = forms.TypedChoiceField(
        label=_("Meeting length"), choices=MEETING_MINUTES_CHOICES, coerce=int
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    between_meetings = forms.CharField(
        label=_("How we talk between meetings"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: email for quick critiques of work; a call only when something is urgent."
        ),
    )
    confidentiality = forms.CharField(
        label=_("What stays between the two of us"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    mentee_expectations = forms.CharField(
        label=_("What the mentee expects"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mentor_expectations = forms.CharField(
        label=_("What the mentor expects"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    formality = forms.ChoiceField(
        label=_("Style"), choices=Formality.choices, widget=forms.RadioSelect
    )
    start_date = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_sane_date],
    )
    review_every_months = forms.IntegerField(
        label=_("Review every (months)"), min_value=1, max_value=12
    )
    end_date = forms.DateField(
        label=_("End date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_sane_date],
    )
    change_note = forms.CharField(
        label=_("What changed and why (optional)"), max_length=300, required=False
    )


class CheckInForm(forms.Form):
    working = forms.ChoiceField(
        label=_("Is this working for you?"),
        choices=CheckIn.Working.choices,
        widget=forms.RadioSelect,
    )
    going_well = forms.CharField(
        label=_("What is going well?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    to_change = forms.CharField(
        label=_("What would you change?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rhythm_ok = forms.BooleanField(
        label=_("The rhythm and length of our meetings suit me"), required=False, initial=True
    )


class PauseForm(forms.Form):
    note = forms.CharField(
        label=_("A note for the other person (optional)"), max_length=2000, required=False
    )


class EndForm(forms.Form):
    OUTCOMES = [
        ("completed", _("Completed: we did what we set out to do")),
        ("ended", _("Ending early: it is time to stop, and that is fine")),
    ]
    outcome = forms.ChoiceField(
        label=_("How is it ending?"), choices=OUTCOMES, widget=forms.RadioSelect
    )
    reflection = forms.CharField(
        label=_("A closing reflection (optional)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you learned, what you will keep doing."),
    )
    thanks = forms.CharField(
        label=_("A thank-you (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, draft: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if draft:
            choice_field(self, "outcome").choices = [
                ("ended", _("Not going ahead: that is fine too"))
            ]
            self.fields["outcome"].initial = "ended"


class ClosingForm(forms.Form):
    reflection = forms.CharField(
        label=_("A closing reflection"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    thanks = forms.CharField(
        label=_("A thank-you"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
