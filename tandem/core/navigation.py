"""The main navigation. An entry shows only once its app provides the page (its URL name
reverses), so apps add pages without touching the base template."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
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
]


def nav_links(*, authenticated: bool) -> list[tuple[str, str | Promise, str]]:
    """(href, label, url_name) for each entry that exists and suits the visitor."""
    links = []
    for item in NAVIGATION:
        if item.requires_login and not authenticated:
            continue
        try:
            links.append((reverse(item.url_name), item.label, item.url_name))
        except NoReverseMatch:
            continue
    return links
