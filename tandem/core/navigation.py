"""The main navigation, and the badges apps add to it.

Core sits below every domain app, so it never imports them: an app that wants a count in
the navigation (unread notifications, say) registers it in its `AppConfig.ready()` with
`register_badge`, and the site context processor shows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    requires_login: bool = True


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


Badge = Callable[..., int]
_BADGES: dict[str, Badge] = {}


def register_badge(name: str, count: Badge) -> None:
    """Make `count(user=...)` available to every page's template as `name` (evaluated only
    when the template uses it). Registering a name twice replaces it (a reloaded app)."""
    _BADGES[name] = count


def badges() -> dict[str, Badge]:
    return dict(_BADGES)


def nav_links(*, authenticated: bool) -> list[tuple[str, str | Promise, str]]:
    """(href, label, url_name) for each entry that suits the visitor. A name that does not
    reverse is a bug and raises NoReverseMatch (a test walks every entry)."""
    return [
        (reverse(item.url_name), item.label, item.url_name)
        for item in NAVIGATION
        if authenticated or not item.requires_login
    ]
