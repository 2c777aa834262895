"""Reads for the binder and the mentorship's working material, with the one access helper
per object type. A binder entry is seen by its owner, and by the mentor of its mentorship
only once it is shared: every page, API endpoint, search and export goes through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.binder.models import (
    ENTRY_SECTIONS,
    Appreciation,
    Assignment,
    BinderEntry,
    CritiqueRequest,
    Section,
    SharedResource,
)
from tandem.meetings import selectors as meeting_selectors
from tandem.meetings.models import Meeting, MeetingNote
from tandem.mentorships.models import Mentorship


# --- The coupling to the growth app, kept in one place --------------------------------------
def action_plan(*, user: Any) -> Any:
    """The binder's "My Action Plan" section: growth's action plan (goals with their steps,
    then unfiled action items). One model, owned by growth; the binder only shows it."""
    from tandem.growth.selectors import action_plan_for_user

    return action_plan_for_user(user=user)


def steps_from_meeting(*, meeting: Any, owner_id: int) -> list[Any]:
    """The owner's action-plan steps agreed in `meeting` (growth's GoalStep), by due date."""
    from tandem.growth.models import GoalStep

    return list(GoalStep.objects.filter(meeting=meeting, owner_id=owner_id))


# --- Mentorships the binder can be shared in -------------------------------------------------
def mentee_mentorships(*, user: Any) -> list[Any]:
    """The user's live mentorships as the mentee: whom their binder can be shared with."""
    return [
        m
        for m in meeting_selectors.mentorships_for_user(user)
        if m.mentee_id == user.pk and m.is_live
    ]


def mentor_mentorships(*, user: Any) -> list[Any]:
    return [m for m in meeting_selectors.mentorships_for_user(user) if m.mentor_id == user.pk]


def default_mentorship(*, user: Any) -> Any | None:
    """The mentorship an entry belongs to when the mentee has exactly one live one."""
    live = mentee_mentorships(user=user)
    return live[0] if len(live) == 1 else None


# --- Entries ---------------------------------------------------------------------------------
def _shared_in_time() -> Q:
    """Shared while the mentorship was live: it still is, or the entry was shared before it
    ended. What a mentee shares after the end never reaches the former mentor."""
    return Q(shared_at__isnull=False) & (
        Q(mentorship__status__in=Mentorship.LIVE_STATUSES)
        | Q(mentorship__ended_at__isnull=False, shared_at__lte=F("mentorship__ended_at"))
    )


def _visible_entries(user: Any) -> Q:
    """Own entries, and entries shared with the user as the mentor of their mentorship
    (while it was live)."""
    return Q(owner=user) | (
        Q(mentorship__mentor=user, mentorship__mentee_id=F("owner_id")) & _shared_in_time()
    )


def entries_for_owner(*, user: Any) -> QuerySet[BinderEntry]:
    return BinderEntry.objects.filter(owner=user).select_related("mentorship__mentor")


def get_entry_for_user(user: Any, pk: int) -> BinderEntry:
    """The one access helper for binder entries: the owner, or the mentor once shared."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    entry = (
        BinderEntry.objects.filter(_visible_entries(user), pk=pk)
        .select_related("owner", "mentorship__mentor", "mentorship__mentee")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def shared_entries(*, mentorship: Any) -> QuerySet[BinderEntry]:
    """What the mentor of a mentorship sees of the mentee's binder: shared entries only."""
    return (
        BinderEntry.objects.filter(mentorship=mentorship, owner_id=mentorship.mentee_id)
        .filter(_shared_in_time())
        .select_related("owner")
    )


def urgent_sent_this_month(*, user: Any) -> int:
    now = timezone.localtime()
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return BinderEntry.objects.filter(owner=user, urgent_sent_at__gte=start).count()


@dataclass
class BinderSection:
    key: str
    label: str
    entries: list[BinderEntry] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"section-{self.key.replace('_', '-')}"


@dataclass
class MeetingNotesView:
    meeting: Meeting
    private_body: str


@dataclass
class Binder:
    sections: list[BinderSection]
    plan: Any
    meeting_notes: list[MeetingNotesView]
    urgent_this_month: int

    def section(self, key: str) -> BinderSection:
        return next(s for s in self.sections if s.key == key)


def meeting_notes_for(*, user: Any) -> list[MeetingNotesView]:
    """Meetings of the user's mentorships with a shared summary or the user's own notes."""
    notes = {
        n.meeting_id: n.body
        for n in MeetingNote.objects.filter(author=user).only("meeting_id", "body")
    }
    meetings = (
        meeting_selectors.meetings_for_user(user=user)
        .filter(Q(pk__in=list(notes)) | ~Q(shared_summary=""))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at", "-pk")
    )
    return [MeetingNotesView(meeting=m, private_body=notes.get(m.pk, "")) for m in meetings]


def binder_for_user(*, user: Any) -> Binder:
    """The mentee's binder: exactly five sections, in the order of seed 001."""
    entries = list(entries_for_owner(user=user).prefetch_related("agenda_items"))
    sections = []
    for section in Section:
        sections.append(
            BinderSection(
                key=section.value,
                label=str(section.label),
                entries=[e for e in entries if e.section == section.value],
            )
        )
    return Binder(
        sections=sections,
        plan=action_plan(user=user),
        meeting_notes=meeting_notes_for(user=user),
        urgent_this_month=urgent_sent_this_month(user=user),
    )


def section_entries(*, user: Any, section: str) -> list[BinderEntry]:
    return list(
        entries_for_owner(user=user).filter(section=section).prefetch_related("agenda_items")
    )


# --- Search ----------------------------------------------------------------------------------
@dataclass
class SearchHit:
    kind: str
    title: str
    excerpt: str
    url: str
    when: datetime | None = None


def _excerpt(text: str, q: str, width: int = 160) -> str:
    lowered = text.lower()
    at = lowered.find(q.lower())
    if at < 0:
        return text[:width]
    start = max(0, at - width // 3)
    return ("…" if start else "") + text[start : start + width]


def binder_search(*, user: Any, q: str) -> list[SearchHit]:
    """Search everything the user may read in binders: their own entries, action plan and
    meeting notes, and the entries their mentees shared with them. Nothing else."""
    from django.urls import reverse

    q = q.strip()
    if len(q) < 2:
        return []
    hits: list[SearchHit] = []
    matches = Q(title__icontains=q) | Q(body__icontains=q)
    for entry in (
        BinderEntry.objects.filter(_visible_entries(user))
        .filter(matches)
        .select_related("owner")
        .order_by("-created_at")[:100]
    ):
        label = str(dict(Section.choices)[entry.section])
        if entry.owner_id != user.pk:
            label = f"{label} · {entry.owner.get_full_name()}"
        hits.append(
            SearchHit(
                kind=str(label),
                title=entry.title,
                excerpt=_excerpt(entry.body or entry.title, q),
                url=reverse("binder:entry", args=[entry.pk]),
                when=entry.created_at,
            )
        )
    plan = action_plan(user=user)
    steps = [s for g in plan.goals for s in g.steps.all()] + list(plan.unfiled)
    for goal in plan.goals:
        if q.lower() in goal.title.lower():
            hits.append(
                SearchHit(
                    kind=str(Section.ACTION_PLAN.label),
                    title=goal.title,
                    excerpt=goal.title,
                    url=reverse("binder:home") + "#section-action-plan",
                )
            )
    for step in steps:
        text = f"{step.title} {step.note}"
        if q.lower() in text.lower():
            hits.append(
                SearchHit(
                    kind=str(Section.ACTION_PLAN.label),
                    title=step.title,
                    excerpt=_excerpt(step.note or step.title, q),
                    url=reverse("binder:home") + "#section-action-plan",
                )
            )
    own_notes = MeetingNote.objects.filter(author=user, body__icontains=q).select_related("meeting")
    for note in own_notes:
        hits.append(
            SearchHit(
                kind=str(Section.MEETING_NOTES.label),
                title=_meeting_title(note.meeting),
                excerpt=_excerpt(note.body, q),
                url=reverse("meetings:detail", args=[note.meeting_id]),
                when=note.meeting.starts_at,
            )
        )
    for meeting in meeting_selectors.meetings_for_user(user=user).filter(
        shared_summary__icontains=q
    ):
        hits.append(
            SearchHit(
                kind=str(Section.MEETING_NOTES.label),
                title=_meeting_title(meeting),
                excerpt=_excerpt(meeting.shared_summary, q),
                url=reverse("meetings:detail", args=[meeting.pk]),
                when=meeting.starts_at,
            )
        )
    return hits


def _meeting_title(meeting: Meeting) -> str:
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    if meeting.starts_at is None:
        return str(_("Meeting (time not chosen yet)"))
    return _("Meeting on %(date)s") % {
        "date": date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")
    }


# --- Export ----------------------------------------------------------------------------------
def binder_markdown(*, user: Any) -> str:
    """The whole binder as Markdown, for the download. Only the owner's own material."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    binder = binder_for_user(user=user)
    lines = [f"# {_('My binder')} — {user.get_full_name()}", ""]
    lines.append(
        _("Exported on %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}
    )
    lines.append("")
    for section in binder.sections:
        lines += [f"## {section.label}", ""]
        if section.key == Section.ACTION_PLAN:
            for goal in binder.plan.goals:
                lines.append(f"### {goal.title}")
                for step in goal.steps.all():
                    box = "x" if step.done_at else " "
                    due = f" ({step.due_date.isoformat()})" if step.due_date else ""
                    lines.append(f"- [{box}] {step.title}{due}")
                lines.append("")
            for step in binder.plan.unfiled:
                box = "x" if step.done_at else " "
                due = f" ({step.due_date.isoformat()})" if step.due_date else ""
                lines.append(f"- [{box}] {step.title}{due}")
            if binder.plan.is_empty:
                lines.append(f"_{_('Nothing here yet.')}_")
            lines.append("")
            continue
        for entry in section.entries:
            flags = []
            if entry.is_shared:
                flags.append(_("shared with my mentor"))
            if entry.urgent_sent_at:
                flags.append(_("sent as urgent"))
            suffix = f" _({', '.join(str(f) for f in flags)})_" if flags else ""
            lines.append(f"### {entry.title}{suffix}")
            if entry.body:
                lines += ["", entry.body.strip()]
            lines.append("")
        if section.key == Section.MEETING_NOTES:
            for view in binder.meeting_notes:
                lines.append(f"### {_meeting_title(view.meeting)}")
                if view.meeting.shared_summary:
                    lines += ["", f"**{_('Shared summary')}**", "", view.meeting.shared_summary]
                if view.private_body:
                    lines += ["", f"**{_('My private notes')}**", "", view.private_body]
                lines.append("")
        if not section.entries and not (
            section.key == Section.MEETING_NOTES and binder.meeting_notes
        ):
            lines += [f"_{_('Nothing here yet.')}_", ""]
    return "\n".join(lines).rstrip() + "\n"


# --- Assignments, critiques, resources, thanks -----------------------------------------------
def _in_mentorship_of(user: Any) -> Q:
    return Q(mentorship__mentee=user) | Q(mentorship__mentor=user)


def get_assignment_for_user(user: Any, pk: int) -> Assignment:
    item = (
        Assignment.objects.filter(_in_mentorship_of(user), pk=pk)
        .select_related("mentorship__mentee", "mentorship__mentor")
        .first()
    )
    if item is None:
        raise Http404
    return item


def get_critique_for_user(user: Any, pk: int) -> CritiqueRequest:
    item = (
        CritiqueRequest.objects.filter(_in_mentorship_of(user), pk=pk)
        .select_related("mentorship__mentee", "mentorship__mentor")
        .first()
    )
    if item is None:
        raise Http404
    return item


def get_resource_for_user(user: Any, pk: int) -> SharedResource:
    item = (
        SharedResource.objects.filter(_in_mentorship_of(user), pk=pk)
        .select_related("mentorship", "shared_by")
        .first()
    )
    if item is None:
        raise Http404
    return item


def get_appreciation_for_user(user: Any, pk: int) -> Appreciation:
    item = (
        Appreciation.objects.filter(_in_mentorship_of(user), pk=pk)
        .select_related("mentorship", "author")
        .first()
    )
    if item is None:
        raise Http404
    return item


def assignments_for(*, mentorship: Any) -> QuerySet[Assignment]:
    return Assignment.objects.filter(mentorship=mentorship)


def critiques_for(*, mentorship: Any) -> QuerySet[CritiqueRequest]:
    return CritiqueRequest.objects.filter(mentorship=mentorship)


def resources_for(*, mentorship: Any) -> QuerySet[SharedResource]:
    return SharedResource.objects.filter(mentorship=mentorship).select_related("shared_by")


def appreciations_for(*, mentorship: Any) -> QuerySet[Appreciation]:
    return Appreciation.objects.filter(mentorship=mentorship).select_related("author")


def from_my_mentors(*, user: Any) -> dict[str, list[Any]]:
    """For the Mentor Notes/Emails section: what the user's mentors sent them."""
    as_mentee = Q(mentorship__mentee=user)
    return {
        "resources": list(
            SharedResource.objects.filter(as_mentee)
            .exclude(shared_by=user)
            .select_related("shared_by")[:20]
        ),
        "critiques": list(
            CritiqueRequest.objects.filter(as_mentee, critiqued_at__isnull=False)[:20]
        ),
        "assignments": list(Assignment.objects.filter(as_mentee).order_by("-created_at")[:20]),
    }


ENTRY_SECTION_VALUES = [s.value for s in ENTRY_SECTIONS]


# --- A meeting's action items, for its page (registered with meetings.action_items) ---------
def meeting_plan_items(meeting: Meeting, viewer: Any) -> list[Any]:
    """Steps of the mentee's action plan agreed in the meeting. Both were there: the mentor
    sees the title, the date and whether it is done; only the mentee gets the link."""
    from django.urls import reverse

    from tandem.meetings.action_items import Destination, ListedItem

    if meeting.mentorship is None:
        return []  # an introductory meeting (a try-out's): no action plan before committing
    mentee_id = meeting.mentorship.mentee_id
    url = reverse("binder:home") + "#section-action-plan" if viewer.pk == mentee_id else ""
    return [
        ListedItem(Destination.PLAN, s.title, s.due_date, s.done_at is not None, url)
        for s in steps_from_meeting(meeting=meeting, owner_id=mentee_id)
    ]


def meeting_assignment_items(meeting: Meeting, viewer: Any) -> list[Any]:
    """Assignments given in the meeting: done once handed in."""
    from django.urls import reverse

    from tandem.meetings.action_items import Destination, ListedItem

    if meeting.mentorship_id is None:
        return []  # an introductory meeting (a try-out's): no assignments before committing
    return [
        ListedItem(
            Destination.ASSIGNMENT,
            a.title,
            a.due_date,
            a.submitted_at is not None,
            reverse("binder:assignment", args=[a.pk]),
        )
        for a in Assignment.objects.filter(meeting=meeting, mentorship_id=meeting.mentorship_id)
    ]


def home_panel(user: Any) -> dict[str, Any] | None:
    """The home page's assignments panel: my assignments not yet handed in, soonest first."""
    due = list(
        Assignment.objects.filter(mentorship__mentee=user, submitted_at__isnull=True).order_by(
            "due_date", "pk"
        )[:5]
    )
    return {"assignments": due} if due else None


# --- Files on critiques and assignments (tandem.binder.files registers these) ---------------
def critique_visible_to(user: Any, pk: int) -> bool:
    """The pair of the critique's mentorship: the one rule for its files too."""
    if not getattr(user, "is_authenticated", False):
        return False
    return CritiqueRequest.objects.filter(_in_mentorship_of(user), pk=pk).exists()


def assignment_visible_to(user: Any, pk: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Assignment.objects.filter(_in_mentorship_of(user), pk=pk).exists()
