"""Binder's part of a person's data: their binder entries (exported as Markdown, deleted with
the account), and what they wrote in the pair's shared binder: blanked or removed, while what
the other person wrote stays theirs."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tandem.accounts.personal_data import Export, rows
from tandem.binder.models import (
    Appreciation,
    Assignment,
    BinderEntry,
    CritiqueRequest,
    SharedResource,
)

MODELS = (
    "binder.BinderEntry",
    "binder.Assignment",
    "binder.SharedResource",
    "binder.Appreciation",
)


def _pairs(user: Any) -> Q:
    return Q(mentorship__mentee=user) | Q(mentorship__mentor=user)


def binder_markdown(entries: list[BinderEntry]) -> str:
    lines = ["# Binder", ""]
    for entry in entries:
        lines += [f"## {entry.title}", "", f"- Section: {entry.section}"]
        lines += [f"- Written: {entry.created_at.isoformat()}", ""]
        if entry.body.strip():
            lines += [entry.body.strip(), ""]
    return "\n".join(lines)


def export(user: Any) -> Export:
    entries = list(BinderEntry.objects.filter(owner=user).order_by("section", "created_at", "pk"))
    return Export(
        data={
            "entries": rows(entries),
            "assignments": rows(Assignment.objects.filter(_pairs(user))),
            "critique_requests": rows(CritiqueRequest.objects.filter(_pairs(user))),
            "shared_resources": rows(SharedResource.objects.filter(_pairs(user))),
            "appreciations": rows(Appreciation.objects.filter(_pairs(user))),
        },
        files={"binder.md": binder_markdown(entries)},
    )


def erase(user: Any) -> None:
    BinderEntry.objects.filter(owner=user).delete()
    SharedResource.objects.filter(shared_by=user).delete()
    Appreciation.objects.filter(author=user).delete()
    Assignment.objects.filter(created_by=user).update(instructions="", feedback="")
    Assignment.objects.filter(mentorship__mentee=user).update(
        submission_text="", submission_links=[]
    )
    CritiqueRequest.objects.filter(mentorship__mentee=user).update(work="", link="")
    CritiqueRequest.objects.filter(mentorship__mentor=user).update(critique="")
