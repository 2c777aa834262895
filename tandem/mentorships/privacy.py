"""Mentorships' part of a person's data. The pair's shared records (the try-out, the request,
the mentorship, its agreement and history) stay for the other person, with the text the
departing person wrote blanked; their own check-ins and closing reflections go."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tandem.accounts.personal_data import blank_values, rows
from tandem.mentorships.models import (
    AgreementVersion,
    CheckIn,
    Closing,
    Mentorship,
    MentorshipRequest,
    StatusChange,
    TryOut,
)

MODELS = (
    "mentorships.TryOut",
    "mentorships.MentorshipRequest",
    "mentorships.Mentorship",
    "mentorships.AgreementVersion",
    "mentorships.CheckIn",
    "mentorships.Closing",
    "mentorships.StatusChange",
)

# What the one who sent a request wrote in it; the other answers with `decline_message`.
REQUEST_SENDER_TEXT = ("expectations", "goal", "why_this_mentor", "message")


def _either(user: Any) -> Q:
    return Q(mentee=user) | Q(mentor=user)


def export(user: Any) -> dict[str, Any]:
    mine = Q(mentorship__mentee=user) | Q(mentorship__mentor=user)
    return {
        "tryouts": rows(TryOut.objects.filter(_either(user))),
        "requests": rows(MentorshipRequest.objects.filter(_either(user))),
        "mentorships": rows(Mentorship.objects.filter(_either(user))),
        "agreement_versions": rows(AgreementVersion.objects.filter(mine)),
        "status_changes": rows(StatusChange.objects.filter(mine)),
        "check_ins": rows(CheckIn.objects.filter(user=user)),
        "closings": rows(Closing.objects.filter(user=user)),
    }


def erase(user: Any) -> None:
    TryOut.objects.filter(mentee=user).update(question="")
    TryOut.objects.filter(mentor=user).update(answer="")
    MentorshipRequest.objects.filter(initiated_by=user).update(
        **blank_values(MentorshipRequest, *REQUEST_SENDER_TEXT)
    )
    MentorshipRequest.objects.filter(_either(user)).exclude(initiated_by=user).update(
        decline_message=""
    )
    StatusChange.objects.filter(by=user).update(note="")
    CheckIn.objects.filter(user=user).delete()
    Closing.objects.filter(user=user).delete()
