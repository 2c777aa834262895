"""One ordered registry of template panels, for pages whose parts come from the apps above.

The home page (core), the pair's home (mentorships) and the profile page (people) are each
built from panels that higher apps register in their `AppConfig.ready()`. A panel is a name,
an order, a template and a function returning its template context, or None when it has
nothing to show. Each page owns one `PanelRegistry` and says what its function is given
(the signed-in person; the mentorship and the viewer; the viewer and the profile's owner).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: PanelContext


class PanelRegistry:
    """Panels by name, shown in (order, name) order."""

    def __init__(self) -> None:
        self._panels: dict[str, Panel] = {}

    def register(self, name: str, order: int, template: str, context: PanelContext) -> None:
        """Registering a name twice replaces it (a reloaded app)."""
        self._panels[name] = Panel(name, order, template, context)

    def panels(self) -> list[Panel]:
        return sorted(self._panels.values(), key=lambda p: (p.order, p.name))

    def shown(self, *args: Any) -> list[tuple[Panel, dict[str, Any]]]:
        """(panel, its context) for each panel with something to show, given `args`."""
        shown = []
        for panel in self.panels():
            context = panel.context(*args)
            if context is not None:
                shown.append((panel, context))
        return shown
