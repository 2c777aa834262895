"""The main navigation, the entries and badges apps add to it.

Core sits below every domain app, so it never imports them: an app that wants a count in
the navigation (unread notifications, say) registers it in its `AppConfig.ready()` with
`register_badge`, and an app whose pages only some people may use (organisation
administration, say) registers its entry with `register_nav_item` and a `visible` test; the
site context processor shows them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Visible = Callable[[HttpRequest], bool]


@dataclass(frozen=True)
class NavItem:
    """`visible(request)`, when given, is asked for a signed-in visitor only and on every
    page: it must answer without a query (from the user or the session, say)."""

    url_name: str
    label: str | Promise
    requires_login: bool = True
    visible: Visible | None = None


NAVIGATION: list[NavItem] = [
    NavItem("suggestions:find", _("Find a mentor")),
    NavItem("people:directory", _("Directory")),
    NavItem("mentorships:list", _("Mentorships")),
    NavItem("meetings:list", _("Meetings")),
    NavItem("binder:home", _("Binder")),
    NavItem("growth:home", _("Growth")),
    NavItem("programs:list", _("Programmes")),
    NavItem("people:profile_me", _("My profile")),
]


_REGISTERED: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    """Add `item` after the fixed entries (in the order registered). Registering a url_name
    twice replaces it (a reloaded app)."""
    _REGISTERED[item.url_name] = item


def nav_items() -> list[NavItem]:
    return [*NAVIGATION, *_REGISTERED.values()]


Badge = Callable[..., int]
_BADGES: dict[str, Badge] = {}


def register_badge(name: str, count: Badge) -> None:
    """Make `count(user=...)` available to every page's template as `name` (evaluated only
    when the template uses it). Registering a name twice replaces it (a reloaded app)."""
    _BADGES[name] = count


def badges() -> dict[str, Badge]:
    return dict(_BADGES)


def _shown(item: NavItem, authenticated: bool, request: HttpRequest | None) -> bool:
    if not authenticated:
        return not item.requires_login and item.visible is None
    if item.visible is None:
        return True
    return request is not None and item.visible(request)


def nav_links(
    *, authenticated: bool, request: HttpRequest | None = None
) -> list[tuple[str, str | Promise, str]]:
    """(href, label, url_name) for each entry that suits the visitor; an entry with a
    `visible` test needs the `request` to show. A name that does not reverse is a bug and
    raises NoReverseMatch (a test walks every entry)."""
    return [
        (reverse(item.url_name), item.label, item.url_name)
        for item in nav_items()
        if _shown(item, authenticated, request)
    ]
