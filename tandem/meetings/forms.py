"""Forms for meetings. Times are entered and shown in the signed-in person's time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import validate_sane_date
from tandem.meetings.action_items import Destination
from tandem.meetings.models import (
    INTRO_MAX_MINUTES,
    NOTE_MAX_LENGTH,
    VIDEO_URL_MAX_LENGTH,
    AgendaItem,
    Meeting,
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _time_field(label: Any, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[validate_sane_date],
    )


class IdForm(forms.Form):
    """A form whose element ids carry its own prefix: several forms share the meeting page."""

    id_prefix = "f"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class TimesForm(IdForm):
    """Up to three candidate times."""

    time_1 = _time_field(_("First time"), True)
    time_2 = _time_field(_("Another time (optional)"), False)
    time_3 = _time_field(_("A third time (optional)"), False)

    def times(self) -> list[datetime]:
        return [
            self.cleaned_data[k] for k in ("time_1", "time_2", "time_3") if self.cleaned_data.get(k)
        ]


class ProposeForm(TimesForm):
    id_prefix = "propose"

    mentorship = forms.TypedChoiceField(label=_("With"), coerce=int)
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=10, max_value=480, initial=60
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Meeting.Channel.choices)
    location = forms.CharField(
        label=_("Place or link"),
        max_length=500,
        required=False,
        help_text=_("A video link, a phone number or an address."),
    )
    video_url = forms.CharField(
        label=_("Video link"),
        max_length=VIDEO_URL_MAX_LENGTH,
        required=False,
        help_text=_("Paste an https:// link, or leave it empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    acknowledge_extra = forms.BooleanField(
        label=_(
            "I understand this goes beyond our agreed rhythm and I am asking my mentor for an "
            "extra meeting."
        ),
        required=False,
    )

    def __init__(self, *args: Any, mentorships: list[Any], viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentorship"].choices = [  # type: ignore[attr-defined]
            (m.pk, m.other(viewer).get_full_name()) for m in mentorships
        ]


class IntroForm(TimesForm):
    """An introductory meeting before committing: a few times for one short meeting."""

    id_prefix = "intro"

    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=10,
        max_value=INTRO_MAX_MINUTES,
        initial=INTRO_MAX_MINUTES,
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Meeting.Channel.choices)
    location = forms.CharField(label=_("Place or link"), max_length=500, required=False)
    video_url = forms.CharField(
        label=_("Video link"),
        max_length=VIDEO_URL_MAX_LENGTH,
        required=False,
        help_text=_("Paste an https:// link, or leave it empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CounterForm(TimesForm):
    id_prefix = "counter"

    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RescheduleForm(TimesForm):
    id_prefix = "reschedule"

    note = forms.CharField(
        label=_("Why the meeting moves"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(IdForm):
    id_prefix = "cancel"

    note = forms.CharField(
        label=_("A note for the other person"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DetailsForm(IdForm):
    id_prefix = "details"

    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=10, max_value=480)
    channel = forms.ChoiceField(label=_("Channel"), choices=Meeting.Channel.choices)
    location = forms.CharField(label=_("Place or link"), max_length=500, required=False)


class SeriesForm(IdForm):
    """Meetings on the agreed rhythm: the first time and how many."""

    id_prefix = "series"

    mentorship = forms.TypedChoiceField(label=_("With"), coerce=int)
    starts_at = _time_field(_("First meeting"), True)
    count = forms.IntegerField(
        label=_("Number of meetings"),
        min_value=2,
        max_value=24,
        initial=6,
        help_text=_("Between 2 and 24; the series follows your agreed meetings a month."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=10, max_value=480, initial=60
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Meeting.Channel.choices)
    location = forms.CharField(label=_("Place or link"), max_length=500, required=False)
    video_url = forms.CharField(
        label=_("Video link"),
        max_length=VIDEO_URL_MAX_LENGTH,
        required=False,
        help_text=_("Paste an https:// link, or leave it empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, mentorships: list[Any], viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentorship"].choices = [  # type: ignore[attr-defined]
            (m.pk, m.other(viewer).get_full_name()) for m in mentorships
        ]


class SeriesCounterForm(IdForm):
    id_prefix = "series-counter"

    starts_at = _time_field(_("Another first meeting"), True)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SeriesDeclineForm(IdForm):
    id_prefix = "series-decline"

    note = forms.CharField(
        label=_("A note for the other person"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VideoLinkForm(IdForm):
    id_prefix = "video"

    video_url = forms.CharField(
        label=_("Video link"),
        max_length=VIDEO_URL_MAX_LENGTH,
        required=False,
        help_text=_("Paste an https:// link; leave it empty to remove the link."),
    )


class RecordForm(IdForm):
    """A meeting already held outside Tandem: when, and what came of it."""

    id_prefix = "record"

    mentorship = forms.TypedChoiceField(label=_("With"), coerce=int)
    starts_at = _time_field(_("When it took place"), True)
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=10, max_value=480, initial=60
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Meeting.Channel.choices)
    summary = forms.CharField(
        label=_("Shared summary"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Both of you can read and edit this."),
    )
    private_note = forms.CharField(
        label=_("My private notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you ever see these."),
    )

    def __init__(self, *args: Any, mentorships: list[Any], viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentorship"].choices = [  # type: ignore[attr-defined]
            (m.pk, m.other(viewer).get_full_name()) for m in mentorships
        ]


class AgendaItemForm(IdForm):
    id_prefix = "agenda"

    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItem.Kind.choices)
    title = forms.CharField(label=_("Item"), max_length=200)
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    solutions = forms.CharField(
        label=_("Possible solutions, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A problem you bring comes with at least one solution you would try."),
    )

    def solution_list(self) -> list[str]:
        return [
            line for line in self.cleaned_data.get("solutions", "").splitlines() if line.strip()
        ]


class SolutionForm(IdForm):
    id_prefix = "solution"

    text = forms.CharField(label=_("Possible solution"), max_length=500)


class NoteForm(IdForm):
    id_prefix = "note"

    body = forms.CharField(
        label=_("My private notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only you ever see these."),
    )


class SummaryForm(IdForm):
    id_prefix = "summary"

    summary = forms.CharField(
        label=_("Shared summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Both of you can read and edit this."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionItemForm(IdForm):
    id_prefix = "action"

    title = forms.CharField(label=_("Action item"), max_length=200)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_sane_date],
    )
    destination = forms.ChoiceField(
        label=_("Where it goes"),
        choices=Destination.choices,
        initial=Destination.PLAN,
    )
