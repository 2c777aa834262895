"""Forms for the binder and the mentorship's working material."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.binder.models import ENTRY_SECTIONS, REPLY_MAX_LENGTH, Appreciation, SharedResource


class IdForm(forms.Form):
    """Element ids carry the form's own prefix: several forms share one page."""

    id_prefix = "f"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class EntryForm(IdForm):
    id_prefix = "entry"

    section = forms.ChoiceField(
        label=_("Section"), choices=[(s.value, s.label) for s in ENTRY_SECTIONS]
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    mentorship = forms.TypedChoiceField(
        label=_("Mentorship"), coerce=int, required=False, empty_value=None
    )
    share = forms.BooleanField(
        label=_("Share with my mentor"),
        required=False,
        help_text=_("Entries are private unless you share them."),
    )

    def __init__(self, *args: Any, mentorships: list[Any], viewer: Any, **kwargs: Any) -> None:
        if "auto_id" not in kwargs and kwargs.get("initial", {}).get("section"):
            kwargs["auto_id"] = f"entry-{kwargs['initial']['section']}-%s"
        super().__init__(*args, **kwargs)
        self.mentorships = {m.pk: m for m in mentorships}
        choices: list[tuple[Any, Any]] = [("", _("Not tied to a mentorship"))]
        choices += [(m.pk, m.mentor.get_full_name()) for m in mentorships]
        self.fields["mentorship"].choices = choices  # type: ignore[attr-defined]
        if len(mentorships) <= 1:
            self.fields["mentorship"].widget = forms.HiddenInput()

    def chosen_mentorship(self) -> Any:
        pk = self.cleaned_data.get("mentorship")
        return self.mentorships.get(pk) if pk else None


class EntryEditForm(IdForm):
    id_prefix = "edit"

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the binder"), max_length=200, required=False)


class AssignmentForm(IdForm):
    id_prefix = "assignment"

    title = forms.CharField(label=_("Assignment"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class SubmissionForm(IdForm):
    id_prefix = "submission"

    text = forms.CharField(
        label=_("Your submission"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    links = forms.CharField(
        label=_("Links, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def link_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip()
        ]


class FeedbackForm(IdForm):
    id_prefix = "feedback"

    feedback = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 5}))


class CritiqueForm(IdForm):
    id_prefix = "critique"

    title = forms.CharField(label=_("What it is"), max_length=200)
    work = forms.CharField(
        label=_("The work, or what to look at"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")


class CritiqueAnswerForm(IdForm):
    id_prefix = "answer"

    critique = forms.CharField(label=_("Your critique"), widget=forms.Textarea(attrs={"rows": 6}))


class EntryReplyForm(IdForm):
    id_prefix = "reply"

    reply = forms.CharField(
        label=_("Your answer"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": REPLY_MAX_LENGTH}),
    )


class ResourceForm(IdForm):
    id_prefix = "resource"

    kind = forms.ChoiceField(label=_("Kind"), choices=SharedResource.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    author_name = forms.CharField(label=_("Author"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Why it is worth reading"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AppreciationForm(IdForm):
    id_prefix = "thanks"

    kind = forms.ChoiceField(label=_("Kind"), choices=Appreciation.Kind.choices)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
