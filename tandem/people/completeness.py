"""The profile completeness meter: a pure function over plain facts (no database), so it is
easy to test and to reuse (e.g. in reminders)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ProfileFacts:
    headline: str = ""
    bio: str = ""
    languages: list[str] = field(default_factory=list)
    has_location: bool = False
    has_position: bool = False
    career_roles: int = 0
    values: int = 0
    work_style_axes: int = 0
    humour: int = 0
    is_mentee: bool = False
    is_mentor: bool = False
    goals: str = ""
    guidance_wanted: int = 0
    guidance_offered: int = 0
    capacity: int = 0
    hours_per_month: int = 0


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str | Promise]

    @property
    def complete(self) -> bool:
        return not self.missing


def completeness(facts: ProfileFacts) -> Completeness:
    """Percentage of what matters for good matches, and what is still missing (translated
    messages, most important first)."""
    checks: list[tuple[bool, str | Promise]] = [
        (
            facts.is_mentee or facts.is_mentor,
            _("Say whether you are looking for a mentor, open to mentoring, or both."),
        ),
        (bool(facts.headline.strip()), _("Add a headline that says what you do.")),
        (len(facts.bio.strip()) >= 40, _("Write a short bio (a few sentences).")),
        (bool(facts.languages), _("List the languages you speak.")),
        (facts.has_location, _("Add your city or country.")),
        (facts.has_position, _("Give your current function and seniority.")),
        (facts.career_roles > 0, _("Add at least one role to your career history.")),
        (facts.values >= 3, _("Choose at least three values.")),
        (facts.work_style_axes >= 3, _("Describe your work style on every axis.")),
        (facts.humour > 0, _("Pick your sense of humour.")),
    ]
    if facts.is_mentee:
        checks += [
            (len(facts.goals.strip()) >= 20, _("Describe your goals in your own words.")),
            (facts.guidance_wanted > 0, _("Choose the guidance you want.")),
        ]
    if facts.is_mentor:
        checks += [
            (facts.guidance_offered > 0, _("Choose the guidance you can offer.")),
            (facts.capacity > 0, _("Set how many mentees you can take.")),
            (facts.hours_per_month > 0, _("Set how many hours a month you can give.")),
        ]
    done = sum(1 for ok, _message in checks if ok)
    return Completeness(
        percent=round(100 * done / len(checks)),
        missing=[message for ok, message in checks if not ok],
    )
