"""The active mentorship's page is the pair's home: what the two of them have together, from
the apps that keep it (the next meeting and its agenda, the binder entries the mentee shared,
assignments, critiques, resources and thanks, the goals she shares with her mentors).

Mentorships sits below those apps, so it owns this hook and they register a section each in
their `AppConfig.ready()` (as the home page's panels do). A section is a template and a
function `context(mentorship, viewer)` returning its context, or None when it has nothing
to show. Rules for every section:

- only what both people share, the same for either of them (never private notes, never an
  unshared entry or goal: those stay on their owner's own pages);
- a fixed number of queries whatever the amount of material (lists are cut, with a link to
  the full page), so the page's query count is pinned.

The page renders each with its own context plus `mentorship`, `side` ("mentee" or
"mentor") and `other` (the other person).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tandem.core.panels import Panel, PanelContext, PanelRegistry

SHOWN = 5
"""How many rows a section lists before it links to its full page."""

_SECTIONS = PanelRegistry()


def register_pair_section(name: str, order: int, template: str, context: PanelContext) -> None:
    """Show `template`, rendered with `context(mentorship, viewer)`, on the mentorship's page.
    Registering a name twice replaces it (a reloaded app)."""
    _SECTIONS.register(name, order, template, context)


def pair_sections(mentorship: Any, viewer: Any) -> list[tuple[Panel, dict[str, Any]]]:
    """(section, its context) for each section with something to show on this page."""
    return _SECTIONS.shown(mentorship, viewer)


# --- where the two talk ----------------------------------------------------------------------
# The conversations app sits above mentorships and registers how to reach the conversation of
# a mentorship, a request or a try-out question (kind "mentorship", "request", "tryout"), so
# this app's pages can link to it without importing it. Unregistered, there is no link.
ConversationUrl = Callable[[str, int], str]
_CONVERSATION_URL: list[ConversationUrl] = []


def register_conversation_url(url: ConversationUrl) -> None:
    """`url(kind, pk)` is the address of that subject's conversation page."""
    _CONVERSATION_URL[:] = [url]


def conversation_url(kind: str, pk: int) -> str:
    """The conversation page of a subject, or "" when no app offers one."""
    return _CONVERSATION_URL[0](kind, pk) if _CONVERSATION_URL else ""
