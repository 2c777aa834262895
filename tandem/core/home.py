"""The home page's panels: each app's next steps for the signed-in person.

Core sits below every domain app, so it never queries them: an app registers a panel in
its `AppConfig.ready()` with `register_home_panel`, and the home view renders the panels in
order. A panel's function returns its template context, or None when it has nothing to show.
A panel may set `first_visit: True` in its context (an empty profile, say): the greeting is
then "Welcome" rather than "Welcome back"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PanelContext = Callable[[Any], dict[str, Any] | None]


@dataclass(frozen=True)
class HomePanel:
    name: str
    order: int
    template: str
    context: PanelContext


_PANELS: dict[str, HomePanel] = {}


def register_home_panel(name: str, order: int, template: str, context: PanelContext) -> None:
    """Show `template`, rendered with `context(user)`, on the signed-in person's home page.
    Registering a name twice replaces it (a reloaded app)."""
    _PANELS[name] = HomePanel(name, order, template, context)


def home_panels() -> list[HomePanel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.name))


def panels_for(user: Any) -> list[tuple[HomePanel, dict[str, Any]]]:
    """(panel, its context) for each panel with something to show `user`."""
    shown = []
    for panel in home_panels():
        context = panel.context(user)
        if context is not None:
            shown.append((panel, context))
    return shown


def is_first_visit(user: Any, shown: list[tuple[HomePanel, dict[str, Any]]]) -> bool:
    """Never signed in before this session, or a panel says the person is just starting."""
    if user.last_login is None or user.last_login <= user.date_joined:
        return True
    return any(context.get("first_visit") for _, context in shown)
