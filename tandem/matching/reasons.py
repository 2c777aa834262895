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

# The same reasons as the mentor reads them about a mentee: only the sentences that are not
# symmetric ("They offer the help you want" is the mentee's voice) differ.
MENTOR_TEMPLATES: dict[str, str] = {
    **TEMPLATES,
    "more_senior": gettext_noop("You are at {seniority} level, further along than them"),
    "reverse": gettext_noop("Reverse mentoring: you bring a view from earlier in a career"),
    "guidance": gettext_noop("They want help you offer: {topics}"),
    "goals_experience": gettext_noop("Your experience fits their goals"),
    "availability": gettext_noop("You give {hours} h a month to mentoring"),
}

# The same reasons as someone outside the pair reads them (a programme manager reviewing a
# proposal): about "the mentee" and "the mentor", never "you".
PAIR_TEMPLATES: dict[str, str] = {
    "career_transition": gettext_noop("Both moved from {from_function} into {to_function}"),
    "same_function": gettext_noop("Both work in {function}"),
    "same_industry": gettext_noop("Both know the {industry} industry"),
    "shared_organisation": gettext_noop("Both have worked at {organisations}"),
    "more_senior": gettext_noop(
        "The mentor is at {seniority} level, further along than the mentee"
    ),
    "peer": gettext_noop("Peers at the same level"),
    "reverse": gettext_noop("Reverse mentoring: the mentor brings a view from earlier in a career"),
    "guidance": gettext_noop("The mentor offers the help the mentee wants: {topics}"),
    "shared_values": gettext_noop("They share the values: {values}"),
    "work_style": gettext_noop("They work in a similar way"),
    "humour": gettext_noop("They share a sense of humour: {humour}"),
    "goals_experience": gettext_noop("The mentor's experience fits the mentee's goals"),
    "common_language": gettext_noop("They can talk in {languages}"),
    "same_time_zone": gettext_noop("They are in the same time zone"),
    "near_time_zone": gettext_noop("Their time zones are only {hours} h apart"),
    "availability": gettext_noop("The mentor gives {hours} h a month to mentoring"),
}

READERS: dict[str, dict[str, str]] = {
    "mentee": TEMPLATES,
    "mentor": MENTOR_TEMPLATES,
    "pair": PAIR_TEMPLATES,
}
"""Who reads a reason: the mentee about a mentor (Find a mentor), the mentor about a mentee,
or someone outside the pair about both."""

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
    reason: Reason, translate: Callable[[str], str] = lambda s: s, *, reader: str = "mentee"
) -> str:
    """The reason as a sentence in the translator's language, in the voice of `reader` (a
    key of `READERS`)."""
    template = translate(READERS[reader][reason.code])
    return template.format(**{k: _humanise(v) for k, v in reason.params.items()})
