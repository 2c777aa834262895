"""Helpers that put mentorships into any state through the real services."""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.mentorships import services
from tandem.mentorships.models import Mentorship, MentorshipRequest
from tandem.people.models import Profile


def make_mentor(user: User, *, capacity: int = 2, paused: bool = False) -> User:
    Profile.objects.update_or_create(
        user=user, defaults={"is_mentor": True, "capacity": capacity, "paused": paused}
    )
    return user


def plan(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "expectations": "An hour a month to talk through my path and review my action plan.",
        "guidance_kind": "promotion",
        "goal": "Promotion to engineering manager within a year, with an action plan.",
        "meetings_per_month": 1,
        "meeting_minutes": 60,
        "channel": "video",
        "duration_months": 6,
        "why_this_mentor": "You moved from engineer to manager in a company like mine.",
    }
    data.update(overrides)
    return data


def make_request(mentee: User, mentor: User, **overrides: Any) -> MentorshipRequest:
    if not Profile.objects.filter(user=mentor).exists():
        make_mentor(mentor)
    return services.request_send(
        mentee=mentee, mentor=mentor, initiated_by=mentee, not_a_job=True, **plan(**overrides)
    )


def make_draft(mentee: User, mentor: User) -> Mentorship:
    req = make_request(mentee, mentor)
    return services.request_accept(req=req, user=mentor)


def make_active(mentee: User, mentor: User) -> Mentorship:
    mentorship = make_draft(mentee, mentor)
    version = mentorship.latest_agreement()
    assert version is not None
    services.agreement_sign(agreement=version, user=mentee)
    services.agreement_sign(agreement=version, user=mentor)
    mentorship.refresh_from_db()
    return Mentorship.objects.get(pk=mentorship.pk)
