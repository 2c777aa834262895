"""Reads for conversations, and the one access helper: `get_thread_for_user`.

A thread is a subject (a mentorship, a request or a try-out question) with its conversation,
which exists from the first message on. Who may read and write is decided by the subject's
own access helper in the mentorships app (its mentee and its mentor; 404 for anyone else);
whether one may still write is `thread_is_open`, the one rule for that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.attachments.models import Attachment
from tandem.conversations.models import (
    MESSAGE_FILE_KIND,
    Conversation,
    Message,
    ReadMarker,
    Subject,
)
from tandem.mentorships import selectors as mentorship_selectors
from tandem.mentorships.models import Mentorship, TryOut

# The most messages a page (or one API answer) shows: the latest ones.
SHOWN = 200


@dataclass
class Thread:
    kind: str
    subject: Any  # Mentorship, MentorshipRequest or TryOut: each has mentee and mentor
    conversation: Conversation | None

    @property
    def mentee(self) -> Any:
        return self.subject.mentee

    @property
    def mentor(self) -> Any:
        return self.subject.mentor

    def is_participant(self, user: Any) -> bool:
        return user.pk in (self.subject.mentee_id, self.subject.mentor_id)

    def other(self, user: Any) -> Any:
        return self.subject.mentor if user.pk == self.subject.mentee_id else self.subject.mentee

    @property
    def is_open(self) -> bool:
        return thread_is_open(self.kind, self.subject)

    @property
    def url(self) -> str:
        return url_for(self.kind, self.subject.pk)

    def title(self) -> str:
        return subject_title(self.kind, self.subject)

    def subject_url(self) -> str:
        return subject_url(self.kind, self.subject)


def url_for(kind: str, pk: int) -> str:
    return reverse("conversations:thread", args=[kind, pk])


def subject_title(kind: str, subject: Any) -> str:
    names = {"mentee": subject.mentee.get_full_name(), "mentor": subject.mentor.get_full_name()}
    if kind == Subject.MENTORSHIP:
        return _("Mentorship of %(mentee)s with %(mentor)s") % names
    if kind == Subject.REQUEST:
        return _("Request between %(mentee)s and %(mentor)s") % names
    return _("Try-out question from %(mentee)s to %(mentor)s") % names


def subject_url(kind: str, subject: Any) -> str:
    if kind == Subject.MENTORSHIP:
        return reverse("mentorships:detail", args=[subject.pk])
    if kind == Subject.REQUEST:
        return reverse("mentorships:request", args=[subject.pk])
    return reverse("mentorships:list") + f"#tryout-{subject.pk}"


def thread_is_open(kind: str, subject: Any) -> bool:
    """The one rule: a conversation takes messages while its subject is still going (a live
    mentorship, an open request, an unanswered try-out question); after, it is read-only."""
    if kind == Subject.MENTORSHIP:
        return subject.status in Mentorship.LIVE_STATUSES
    if kind == Subject.REQUEST:
        return bool(subject.is_open)
    return bool(subject.status == TryOut.Status.OPEN)


def closed_reason(kind: str) -> str:
    if kind == Subject.MENTORSHIP:
        return _("This mentorship has ended, so its conversation is read-only.")
    if kind == Subject.REQUEST:
        return _("This request has been answered or closed, so its conversation is read-only.")
    return _("This question has been answered or closed, so its conversation is read-only.")


def _subject_for_user(user: Any, kind: str, pk: int) -> Any:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if kind == Subject.MENTORSHIP:
        return mentorship_selectors.get_mentorship_for_user(user, pk)
    if kind == Subject.REQUEST:
        return mentorship_selectors.get_request_for_user(user, pk)
    if kind == Subject.TRYOUT:
        return mentorship_selectors.get_tryout_for_user(user, pk)
    raise Http404


def get_thread_for_user(user: Any, kind: str, pk: int) -> Thread:
    """The subject and its conversation; 404 unless `user` is its mentee or its mentor."""
    subject = _subject_for_user(user, kind, pk)
    conversation = Conversation.objects.filter(**{kind: subject}).first()
    return Thread(kind=kind, subject=subject, conversation=conversation)


# --- participants and unread counts ----------------------------------------------------------
def _participant_q(user: Any, prefix: str = "") -> Q:
    q = Q()
    for kind in Subject.values:
        q |= Q(**{f"{prefix}{kind}__mentee": user}) | Q(**{f"{prefix}{kind}__mentor": user})
    return q


def _last_read(user: Any, conversation_ref: Any) -> Any:
    marker = ReadMarker.objects.filter(conversation=conversation_ref, user=user).values(
        "last_read_id"
    )[:1]
    return Coalesce(Subquery(marker), 0)


def unread_message_count(*, user: Any) -> int:
    """Messages from the other side this person has not read yet, in all their
    conversations: one query (the navigation's badge)."""
    return (
        Message.objects.filter(_participant_q(user, "conversation__"))
        .exclude(author=user)
        .filter(id__gt=_last_read(user, OuterRef("conversation")))
        .count()
    )


def _unread_subquery(user: Any) -> Any:
    counts = (
        Message.objects.filter(conversation=OuterRef("pk"))
        .exclude(author=user)
        .filter(id__gt=_last_read(user, OuterRef("conversation")))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def conversations_for_user(*, user: Any) -> QuerySet[Conversation]:
    """Every conversation this person takes part in, the latest first, each with `unread`
    (their unread messages) and its subject's two people: one query."""
    return (
        Conversation.objects.filter(_participant_q(user))
        .select_related(
            "mentorship__mentee",
            "mentorship__mentor",
            "request__mentee",
            "request__mentor",
            "tryout__mentee",
            "tryout__mentor",
        )
        .annotate(unread=_unread_subquery(user))
        .order_by("-last_message_at", "-pk")
    )


def thread_of(conversation: Conversation) -> Thread:
    kind = conversation.subject_kind
    return Thread(kind=kind, subject=getattr(conversation, kind), conversation=conversation)


def unread_in(*, conversation: Conversation | None, user: Any) -> int:
    if conversation is None:
        return 0
    return (
        Message.objects.filter(conversation=conversation)
        .exclude(author=user)
        .filter(id__gt=_last_read(user, conversation.pk))
        .count()
    )


def messages_for(*, thread: Thread, after: int = 0) -> list[Message]:
    """The latest messages (at most SHOWN), oldest first; only those after id `after`."""
    if thread.conversation is None:
        return []
    qs = Message.objects.filter(conversation=thread.conversation, id__gt=after)
    latest = list(qs.select_related("author").order_by("-id")[:SHOWN])[::-1]
    files = files_by_message([m.pk for m in latest])
    for message in latest:
        message.files = files.get(message.pk, [])  # type: ignore[attr-defined]
    return latest


def files_by_message(message_ids: list[int]) -> dict[int, list[Attachment]]:
    """The files on these messages, oldest first, in one query (the caller may see the
    messages: their conversation's access helper said so)."""
    out: dict[int, list[Attachment]] = {}
    if not message_ids:
        return out
    rows = Attachment.objects.filter(kind=MESSAGE_FILE_KIND, object_id__in=message_ids)
    for attachment in rows.order_by("created_at", "pk"):
        out.setdefault(int(attachment.object_id), []).append(attachment)
    return out


def pair_summary(*, kind: str, subject: Any, user: Any) -> Conversation | None:
    """The subject's conversation with `unread` for `user`, in one query (None before the
    first message)."""
    return (
        Conversation.objects.filter(**{kind: subject})
        .annotate(unread=_unread_subquery(user))
        .first()
    )


def in_touch(*, mentorship_ids: list[int]) -> dict[int, tuple[Any, int]]:
    """For programme managers: mentorship id -> (last message time, message count). Never a
    message: that a pair is in touch is all anyone else may learn."""
    rows = Conversation.objects.filter(mentorship_id__in=mentorship_ids).values_list(
        "mentorship_id", "last_message_at", "message_count"
    )
    return {m: (at, n) for m, at, n in rows}
