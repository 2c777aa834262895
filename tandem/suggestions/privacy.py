"""Suggestions' part of a person's data: the mentors they saved or dismissed. Others' marks
on the person go too: they pointed at someone who is no longer on Tandem."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tandem.accounts.personal_data import rows
from tandem.suggestions.models import MentorMark

MODELS = ("suggestions.MentorMark",)


def export(user: Any) -> dict[str, Any]:
    return {"mentor_marks": rows(MentorMark.objects.filter(user=user))}


def erase(user: Any) -> None:
    MentorMark.objects.filter(Q(user=user) | Q(mentor=user)).delete()
