"""What people needs to know from the apps above it, and what it tells them.

People sits below mentorships and programmes, so it never imports them. Instead:

- **Relations** decide who may see a profile's field groups. A group shown to "people in a
  programme with me" or "in a mentorship with me" asks the relations registered here:
  mentorships registers "mentorship" and programmes registers "programme" in their
  `AppConfig.ready()`. A relation nobody registered answers False: visibility fails closed.
- **Mentee counts**: how many mentees hold a mentor's places (mentorships registers them);
  the directory and availability use them. With none registered, asking raises, because a
  guess could put a mentor over capacity.
- **profiles_changed**, a signal people sends after a bulk write that sends no model
  signals (the CSV import). Arguments: `profile_ids` (a list of the profiles created or
  changed). Sent on commit. Suggestions listens to refresh its index and vectors.
- **Profile panels**: what someone's profile page offers the person looking at it, from the
  apps above (mentorships: "Ask for mentoring", "Ask a question first", or why not). A panel
  is a template and a function `context(viewer, owner)` returning its context, or None to
  show nothing; the page renders them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

from tandem.core.panels import Panel, PanelContext, PanelRegistry

MENTORSHIP = "mentorship"
PROGRAMME = "programme"

Relation = Callable[[Any, Any], bool]
_RELATIONS: dict[str, Relation] = {}

profiles_changed = Signal()


def register_relation(name: str, related: Relation) -> None:
    """`related(viewer, owner)` is True when the two are in this relation."""
    if name not in (MENTORSHIP, PROGRAMME):
        raise ValueError(f"unknown relation {name!r}")
    _RELATIONS[name] = related


def registered_relations() -> set[str]:
    return set(_RELATIONS)


def related(name: str, viewer: Any, owner: Any) -> bool:
    check = _RELATIONS.get(name)
    return bool(check and check(viewer, owner))


class MenteeCounts:
    """`count(mentor=user) -> int` and `subquery(user_ref) -> expression`."""

    count: Callable[..., int] | None = None
    subquery: Callable[[str], Any] | None = None


_counts = MenteeCounts()


def register_mentee_counts(*, count: Callable[..., int], subquery: Callable[[str], Any]) -> None:
    _counts.count = count
    _counts.subquery = subquery


def mentee_counts() -> MenteeCounts:
    if _counts.count is None or _counts.subquery is None:
        raise ImproperlyConfigured("No mentee counts are registered: install tandem.mentorships.")
    return _counts


_PROFILE_PANELS = PanelRegistry()


def register_profile_panel(name: str, order: int, template: str, context: PanelContext) -> None:
    """Show `template`, rendered with `context(viewer, owner)`, on `owner`'s profile page.
    Registering a name twice replaces it (a reloaded app)."""
    _PROFILE_PANELS.register(name, order, template, context)


def profile_panels(viewer: Any, owner: Any) -> list[tuple[Panel, dict[str, Any]]]:
    """(panel, its context) for each panel with something to show `viewer` on `owner`'s page."""
    return _PROFILE_PANELS.shown(viewer, owner)
