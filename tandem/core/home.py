"""The home page's panels: each app's next steps for the signed-in person.

Core sits below every domain app, so it never queries them: an app registers a panel in
its `AppConfig.ready()` with `register_home_panel`, and the home view renders the panels in
order. A panel's function returns its template context, or None when it has nothing to show.
A panel may set `first_visit: True` in its context (an empty profile, say): the greeting is
then "Welcome" rather than "Welcome back"."""

from __future__ import annotations

from typing import Any

from tandem.core.panels import Panel, PanelContext, PanelRegistry

_PANELS = PanelRegistry()


def register_home_panel(name: str, order: int, template: str, context: PanelContext) -> None:
    """Show `template`, rendered with `context(user)`, on the signed-in person's home page.
    Registering a name twice replaces it (a reloaded app)."""
    _PANELS.register(name, order, template, context)


def home_panels() -> list[Panel]:
    return _PANELS.panels()


def panels_for(user: Any) -> list[tuple[Panel, dict[str, Any]]]:
    """(panel, its context) for each panel with something to show `user`."""
    return _PANELS.shown(user)


def is_first_visit(user: Any, shown: list[tuple[Panel, dict[str, Any]]]) -> bool:
    """Never signed in before this session, or a panel says the person is just starting."""
    if user.last_login is None or user.last_login <= user.date_joined:
        return True
    return any(context.get("first_visit") for _, context in shown)
