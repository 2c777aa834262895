"""Forms for the growth pages. They only parse input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.growth.models import (
    CoachingRole,
    Contact,
    Conversation,
    Goal,
    GoalStep,
    JobDescriptionVersion,
    Opportunity,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

RHYTHM_CHOICES = [
    ("", _("No reminders")),
    ("30", _("Every month")),
    ("61", _("Every two months")),
    ("91", _("Every three months")),
    ("182", _("Every six months")),
    ("365", _("Once a year")),
]


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "target", "due_date", "description", "shared_with_mentor"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)


class StepForm(forms.ModelForm):
    class Meta:
        model = GoalStep
        fields = ["title", "due_date", "is_milestone"]
        widgets = {"due_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_step_%s")  # unique ids beside the goal form
        super().__init__(*args, **kwargs)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, required=False
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 2}))


class JobDescriptionForm(forms.Form):
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the role exists, in a sentence or two."),
    )
    responsibilities = forms.CharField(
        label=_("Responsibilities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line."),
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you aim to achieve this year, one per line."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    summary = forms.CharField(label=_("What changed"), max_length=255, required=False)

    @classmethod
    def for_version(
        cls, version: JobDescriptionVersion | None, **kwargs: Any
    ) -> JobDescriptionForm:
        initial = {}
        if version is not None:
            initial = {
                "job_title": version.job_description.job_title,
                "purpose": version.purpose,
                "responsibilities": version.responsibilities,
                "objectives": version.objectives,
                "skills": version.skills,
            }
        return cls(initial=initial, **kwargs)


class SuggestionForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsibilities = forms.CharField(
        label=_("Responsibilities"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    objectives = forms.CharField(
        label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    skills = forms.CharField(
        label=_("Skills"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(
        label=_("Why this change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpportunityForm(forms.Form):
    mentee = forms.ModelChoiceField(label=_("For"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Opportunity.Kind.choices)
    where = forms.ChoiceField(label=_("Where"), choices=Opportunity.Where.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    person_name = forms.CharField(
        label=_("Key person"),
        max_length=150,
        required=False,
        help_text=_("For an introduction: who you will introduce them to."),
    )
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, mentees: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[m.pk for m in mentees]).order_by("full_name")


class FollowUpForm(forms.Form):
    pursued = forms.TypedChoiceField(
        label=_("Did you pursue it?"),
        choices=[("1", _("Yes, I pursued it")), ("0", _("No, I let it pass"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContactForm(forms.ModelForm):
    rhythm_days = forms.TypedChoiceField(
        label=_("Keep in touch"),
        choices=RHYTHM_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Contact
        fields = [
            "name",
            "email",
            "known_from",
            "relationship",
            "rhythm_days",
            "leaving_on",
            "notes",
        ]
        widgets = {"leaving_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rhythm = self.initial.get("rhythm_days")
        if rhythm and str(rhythm) not in dict(RHYTHM_CHOICES):
            field = self.fields["rhythm_days"]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [*RHYTHM_CHOICES, (str(rhythm), str(rhythm))]


class ConversationForm(forms.ModelForm):
    class Meta:
        model = Conversation
        fields = ["happened_on", "channel", "note"]
        widgets = {"happened_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class LeavingForm(forms.Form):
    leaving_on = forms.DateField(label=_("Leaving on"), widget=DATE)


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CoachingRole.choices)
    contact = forms.ModelChoiceField(label=_("Person"), queryset=Contact.objects.none())
    note = forms.CharField(label=_("How they help"), max_length=255, required=False)

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Contact.objects.filter(owner=owner).order_by("name")
