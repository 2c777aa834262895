"""Programme helpers for tests: a cohort through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import mail

from tandem.accounts.models import User
from tandem.people.models import Profile
from tandem.programs import services
from tandem.programs.models import MatchRun, Programme, Role


def grant_creation(user: User) -> User:
    """Give `user` the right to create programmes (as staff would); returns them afresh."""
    services.programme_grant_creation(user=user)
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def make_programme(manager: User, **overrides: Any) -> Programme:
    """A programme created by `manager`, who is granted the right to create programmes."""
    manager = grant_creation(manager)
    fields: dict[str, Any] = {"name": "Spring cohort", "approval": Programme.Approval.NOBODY}
    fields.update(overrides)
    return services.programme_create(user=manager, **fields)


def make_person(email: str, *, language: str = "en", mentor_capacity: int = 0) -> User:
    # No password: hashing one (Argon2) per cohort member would take seconds.
    user = User.objects.create(email=email, language=language, full_name=email.split("@")[0])
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "is_mentor": mentor_capacity > 0,
            "is_mentee": mentor_capacity == 0,
            "capacity": mentor_capacity,
            "languages": "en,id" if language == "id" else "en",
            "goals": "Become an engineering manager" if mentor_capacity == 0 else "",
        },
    )
    return user


def make_cohort(
    programme: Programme,
    *,
    mentees: int,
    mentors: int,
    prefix: str = "p",
    mentor_capacity: int = 2,
) -> tuple[list[User], list[User]]:
    """Mentees alternate English and Indonesian; mentors take two mentees each. Everyone
    joined themselves (the invite link), as people who consented to be matched."""
    ees = [
        make_person(f"{prefix}-mentee{i}@example.com", language="id" if i % 2 else "en")
        for i in range(mentees)
    ]
    ors = [
        make_person(f"{prefix}-mentor{i}@example.com", mentor_capacity=mentor_capacity)
        for i in range(mentors)
    ]
    for u in ees:
        services.enrol(programme=programme, user=u, role=Role.MENTEE, source="invite")
    for u in ors:
        services.enrol(programme=programme, user=u, role=Role.MENTOR, source="invite")
    return ees, ors


def start_run(
    programme: Programme, manager: User, capture: Callable[..., Any], **kwargs: Any
) -> MatchRun:
    """A matching run started and executed (its task runs on commit), read back."""
    with capture(execute=True):
        run = services.run_start(programme=programme, by=manager, **kwargs)
    run.refresh_from_db()
    return run


def published_cohort(
    manager: User, capture: Callable[..., Any], **overrides: Any
) -> tuple[Programme, list[User], list[User]]:
    """A programme of two mentees and one mentor whose run is published; the outbox emptied."""
    programme = make_programme(manager, **overrides)
    mentees, mentors = make_cohort(programme, mentees=2, mentors=1)
    run = start_run(programme, manager, capture)
    with capture(execute=True):
        services.run_publish(run=run, by=manager)
    mail.outbox.clear()
    return programme, mentees, mentors


def make_circle(manager: User, mentor: User, mentee: User, **overrides: Any) -> Any:
    """A weekly circle on Tuesdays at 18:30 in London (the mentor's zone), with one mentee in
    Jakarta and a video link."""
    import datetime as dt

    from tandem.programs.models import Circle, CircleMember

    mentor.timezone = "Europe/London"
    mentor.save()
    mentee.timezone = "Asia/Jakarta"
    mentee.save()
    fields: dict[str, Any] = {
        "name": "Tuesday leaders",
        "weekday": Circle.Weekday.TUESDAY,
        "time": dt.time(18, 30),
        "frequency": Circle.Frequency.WEEKLY,
        "video_url": "https://meet.example.org/Tandem-circle",
        **overrides,
    }
    circle = Circle.objects.create(programme=make_programme(manager), mentor=mentor, **fields)
    CircleMember.objects.create(circle=circle, mentee=mentee)
    return circle
