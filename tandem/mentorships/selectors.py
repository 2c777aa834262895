"""Reads for mentorships, and the one access helper per object type (404 for anyone else)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import User
from tandem.mentorships.models import (
    AgreementVersion,
    Channel,
    CheckIn,
    Formality,
    Mentorship,
    MentorshipRequest,
    Review,
    TryOut,
)

# --- access helpers -------------------------------------------------------------------------


def get_tryout_for_user(user: User, pk: int) -> TryOut:
    tryout = (
        TryOut.objects.select_related("mentee", "mentor")
        .filter(Q(mentee=user) | Q(mentor=user), pk=pk)
        .first()
    )
    if tryout is None:
        raise Http404
    return tryout


def get_request_for_user(user: User, pk: int) -> MentorshipRequest:
    req = (
        MentorshipRequest.objects.select_related("mentee", "mentor", "initiated_by")
        .filter(Q(mentee=user) | Q(mentor=user), pk=pk)
        .first()
    )
    if req is None:
        raise Http404
    return req


def get_mentorship_for_user(user: User, pk: int) -> Mentorship:
    """The one access helper for mentorships: 404 unless the user is the mentee or mentor."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    mentorship = (
        Mentorship.objects.select_related("mentee", "mentor", "request")
        .prefetch_related("agreement_versions")
        .filter(Q(mentee=user) | Q(mentor=user), pk=pk)
        .first()
    )
    if mentorship is None:
        raise Http404
    return mentorship


def get_agreement_version(mentorship: Mentorship, number: int) -> AgreementVersion:
    for version in mentorship._versions():
        if version.number == number:
            return version
    raise Http404


# --- the contract other apps use ------------------------------------------------------------


def mentorships_for_user(*, user: User) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("mentee", "mentor")
        .prefetch_related(
            Prefetch("agreement_versions", queryset=AgreementVersion.objects.order_by("number"))
        )
        .order_by("-created_at")
    )


def active_mentee_count(*, mentor: User) -> int:
    """Mentees holding one of the mentor's slots: draft, active and paused relationships."""
    return Mentorship.objects.filter(mentor=mentor, status__in=Mentorship.LIVE_STATUSES).count()


def active_mentee_count_subquery(user_ref: str = "user") -> Any:
    """The same count as an expression, for annotating many profiles in one query:
    `Profile.objects.annotate(active_mentees=active_mentee_count_subquery("user"))`."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counts = (
        Mentorship.objects.filter(mentor=OuterRef(user_ref), status__in=Mentorship.LIVE_STATUSES)
        .order_by()
        .values("mentor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def users_share_mentorship(a: User, b: User) -> bool:
    """True while a and b are mentee and mentor of each other (draft, active or paused).

    Privacy follows the live relationship: once it has ended, what was shared "with people
    I am in a mentorship with" is no longer shown to the former partner."""
    if a.pk is None or b.pk is None or a.pk == b.pk:
        return False
    return Mentorship.objects.filter(
        Q(mentee_id=a.pk, mentor_id=b.pk) | Q(mentee_id=b.pk, mentor_id=a.pk),
        status__in=Mentorship.LIVE_STATUSES,
    ).exists()


def mentorship_between(*, mentee: User, mentor: User) -> Mentorship | None:
    """The live (draft, active or paused) mentorship of this pair, if any."""
    return Mentorship.objects.filter(
        mentee=mentee, mentor=mentor, status__in=Mentorship.LIVE_STATUSES
    ).first()


# --- lists for the pages and the API ---------------------------------------------------------


def requests_for_user(*, user: User) -> QuerySet[MentorshipRequest]:
    return (
        MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("mentee", "mentor")
        .order_by("-created_at")
    )


def request_inbox(*, user: User) -> QuerySet[MentorshipRequest]:
    """Open requests this user is asked to answer: requests to a mentor, invitations to a
    mentee."""
    return (
        MentorshipRequest.objects.filter(status__in=MentorshipRequest.OPEN_STATUSES)
        .filter((Q(mentor=user) & ~Q(initiated_by=user)) | (Q(mentee=user) & ~Q(initiated_by=user)))
        .select_related("mentee", "mentor")
        .order_by("expires_at")
    )


def requests_sent(*, user: User) -> QuerySet[MentorshipRequest]:
    """Requests and invitations `user` sent: never a pair a programme proposed, which
    nobody sent."""
    return (
        MentorshipRequest.objects.filter(initiated_by=user, proposed_by_programme="")
        .select_related("mentee", "mentor")
        .order_by("-created_at")
    )


def tryouts_received(*, user: User) -> QuerySet[TryOut]:
    return TryOut.objects.filter(mentor=user).select_related("mentee").order_by("-created_at")


def tryouts_asked(*, user: User) -> QuerySet[TryOut]:
    return TryOut.objects.filter(mentee=user).select_related("mentor").order_by("-created_at")


def tryouts_for_user(*, user: User) -> QuerySet[TryOut]:
    return (
        TryOut.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("mentee", "mentor")
        .order_by("-created_at")
    )


def open_request_count(*, mentee: User) -> int:
    return MentorshipRequest.objects.filter(
        mentee=mentee,
        initiated_by=mentee,
        proposed_by_programme="",
        status__in=MentorshipRequest.OPEN_STATUSES,
    ).count()


def open_review(*, mentorship: Mentorship) -> Review | None:
    return (
        mentorship.reviews.filter(closed_at__isnull=True)
        .prefetch_related("check_ins")
        .order_by("due_on")
        .first()
    )


def check_ins_for(*, review: Review) -> list[CheckIn]:
    return list(review.check_ins.select_related("user"))


# --- the readable difference between two agreement versions ----------------------------------


@dataclass(frozen=True)
class DiffPart:
    kind: str  # "same", "removed", "added"
    text: str


@dataclass(frozen=True)
class TermChange:
    field: str
    label: str
    before: str
    after: str
    parts: list[DiffPart]


def agreement_display(version: AgreementVersion, field: str) -> str:
    value: Any = getattr(version, field)
    if field == "channels":
        return ", ".join(version.channel_labels())
    if field == "formality":
        return str(dict(Formality.choices).get(value, value))
    if field == "meeting_minutes":
        return str(version.get_meeting_minutes_display())
    if value is None:
        return "—"
    return str(value)


def agreement_diff(old: AgreementVersion, new: AgreementVersion) -> list[TermChange]:
    """Only the terms that changed, each with a word-level difference to show inline."""
    changes = []
    for field in AgreementVersion.TERMS:
        before, after = agreement_display(old, field), agreement_display(new, field)
        if before == after:
            continue
        a, b = before.split(), after.split()
        parts: list[DiffPart] = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op == "equal":
                parts.append(DiffPart("same", " ".join(a[i1:i2])))
                continue
            if i2 > i1:
                parts.append(DiffPart("removed", " ".join(a[i1:i2])))
            if j2 > j1:
                parts.append(DiffPart("added", " ".join(b[j1:j2])))
        label = str(getattr(AgreementVersion._meta.get_field(field), "verbose_name", field))
        changes.append(TermChange(field, label[:1].upper() + label[1:], before, after, parts))
    return changes


CHANNEL_CODES = {c for c, _label in Channel.choices}


def home_panel(user: User) -> dict[str, Any] | None:
    """The home page's requests panel: requests and invitations waiting for my answer."""
    waiting = list(request_inbox(user=user)[:5])
    if not waiting:
        return None
    return {"waiting": waiting, "user": user}
