"""Reasons a pair fits, as short English sentences ready for translation.

Each template is marked with `gettext_noop` so Django's makemessages extracts it; `render`
translates the template with the caller's translator, then fills in the parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def gettext_noop(s: str) -> str:
    """Mark a string for translation without translating it."""
    return s


TEMPLATES: dict[str, str] = {
    "career_transition": gettext_noop("You both moved from {from_function} into {to_function}"),
    "same_function": gettext_noop("You both work in {function}"),
    "same_industry": gettext_noop("You both know the {industry} industry"),
    "shared_organisation": gettext_noop("You have both worked at {organisations}"),
    "more_senior": gettext_noop("They are at {seniority} level, further along than you"),
    "peer": gettext_noop("You are peers at the same level"),
    "reverse": gettext_noop("Reverse mentoring: they bring a view from earlier in a career"),
    "guidance": gettext_noop("They offer the help you want: {topics}"),
    "shared_values": gettext_noop("You share the values: {values}"),
    "work_style": gettext_noop("You work in a similar way"),
    "humour": gettext_noop("You share a sense of humour: {humour}"),
    "goals_experience": gettext_noop("Their experience fits your goals"),
    "common_language": gettext_noop("You can talk in {languages}"),
    "same_time_zone": gettext_noop("You are in the same time zone"),
    "near_time_zone": gettext_noop("Your time zones are only {hours} h apart"),
    "availability": gettext_noop("They give {hours} h a month to mentoring"),
}

# The same reasons said to the mentor, where the words differ ("They offer the help you want"
# reads, to the mentor, "They want help you offer"). The others say "you both" already.
MENTOR_VOICE: dict[str, str] = {
    "more_senior": gettext_noop("You are at {seniority} level, further along than them"),
    "reverse": gettext_noop("Reverse mentoring: you bring a view from earlier in a career"),
    "guidance": gettext_noop("They want help you offer: {topics}"),
    "goals_experience": gettext_noop("Your experience fits their goals"),
    "availability": gettext_noop("You give {hours} h a month to mentoring"),
}

VOICES = ("mentee", "mentor")
"""Whom a reason is said to: the mentee (about the mentor) or the mentor (about the mentee)."""

Param = str | int | float | tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """One reason a pair fits: a template code, its parameters, and its weight in the score."""

    code: str
    params: dict[str, Param] = field(default_factory=dict)
    weight: float = 0.0


def _humanise(value: Param) -> str:
    if isinstance(value, tuple):
        return ", ".join(v.replace("_", " ").replace("-", " ") for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("_", " ").replace("-", " ") if isinstance(value, str) else str(value)


def render(
    reason: Reason, translate: Callable[[str], str] = lambda s: s, voice: str = "mentee"
) -> str:
    """The reason as a sentence in the translator's language, said to the mentee (the
    default) or to the mentor (`voice="mentor"`)."""
    if voice not in VOICES:
        raise ValueError(f"unknown voice {voice!r}")
    source = MENTOR_VOICE.get(reason.code) if voice == "mentor" else None
    template = translate(source or TEMPLATES[reason.code])
    return template.format(**{k: _humanise(v) for k, v in reason.params.items()})
