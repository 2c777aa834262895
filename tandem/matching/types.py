"""What the engine knows about a person, the score weights, and hand-made rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

SENIORITY_LADDER: tuple[str, ...] = (
    "intern",
    "junior",
    "mid",
    "senior",
    "lead",
    "manager",
    "director",
    "executive",
)
WORK_STYLE_AXES: tuple[str, ...] = ("structure", "communication", "feedback")


@dataclass(frozen=True)
class CareerRole:
    """One role in a career history, oldest first in `Person.career`."""

    function: str
    industry: str
    organisation: str
    seniority: int


@dataclass
class Person:
    """A mentee or mentor profile as the engine sees it.

    `seniority` is the rung on `SENIORITY_LADDER`, 1 (intern) to 8 (executive).
    `manager_chain` lists the current manager's id first, then the managers above.
    `work_style` maps an axis of `WORK_STYLE_AXES` to a value in [-1, 1].
    """

    id: str
    organisation: str = ""
    competitors: frozenset[str] = frozenset()
    manager_chain: tuple[str, ...] = ()
    languages: frozenset[str] = frozenset()
    utc_offset_minutes: int = 0
    function: str = ""
    industry: str = ""
    seniority: int = 3
    career: tuple[CareerRole, ...] = ()
    values: frozenset[str] = frozenset()
    work_style: dict[str, float] = field(default_factory=dict)
    humour: frozenset[str] = frozenset()
    guidance_wanted: frozenset[str] = frozenset()
    guidance_offered: frozenset[str] = frozenset()
    goals: str = ""
    experience: str = ""
    capacity: int = 0
    active_mentees: int = 0
    hours_per_month: float = 0.0
    paused: bool = False
    accepts_external: bool = True
    accepts_reverse: bool = False
    accepts_peer: bool = False
    preferred_mentor_seniority: int | None = None

    @property
    def free_slots(self) -> int:
        """Mentees this person can still take as a mentor."""
        return 0 if self.paused else max(0, self.capacity - self.active_mentees)


@dataclass(frozen=True)
class Weights:
    """Weight of each score component; a programme may change them. They are normalised."""

    career: float = 0.20
    seniority: float = 0.10
    guidance: float = 0.15
    values: float = 0.10
    style: float = 0.10
    text: float = 0.20
    language_time: float = 0.10
    availability: float = 0.05

    def normalised(self) -> dict[str, float]:
        """Component name to weight, scaled to sum to 1."""
        raw = {f.name: float(getattr(self, f.name)) for f in fields(self)}
        if any(v < 0 for v in raw.values()) or sum(raw.values()) <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()}


COMPONENTS: tuple[str, ...] = tuple(f.name for f in fields(Weights))

PRIVATE_GROUPS: dict[str, tuple[str, ...]] = {
    "career": ("career",),
    "values": ("values", "work_style", "humour"),
    "goals": ("goals", "guidance_wanted", "preferred_mentor_seniority"),
}
"""Fields of `Person` that belong to a group of profile fields a person may hide (the people
app's `FIELD_GROUPS`: career history, values and style, goals). The current organisation,
function, industry, seniority, languages, guidance offered, headline and bio are public."""


def redact(person: Person, hidden: Iterable[str]) -> Person:
    """`person` with the fields of each hidden group (see `PRIVATE_GROUPS`) set to their
    defaults, so that they add nothing to a score, a component or a reason. Rules keep what
    they need (`manager_chain`, `competitors`, `organisation` stay). Text built from a hidden
    group (career titles in `experience`) must be left out by whoever builds the Person."""
    empty = {f.name: f for f in fields(Person)}
    changes: dict[str, Any] = {}
    for group in hidden:
        for name in PRIVATE_GROUPS.get(group, ()):
            spec = empty[name]
            if spec.default_factory is not dataclasses.MISSING:
                changes[name] = spec.default_factory()
            else:
                changes[name] = spec.default
    return dataclasses.replace(person, **changes) if changes else person


ForbiddenPairs = frozenset[tuple[str, str]]
"""Pairs (mentee id, mentor id) forbidden by hand."""
