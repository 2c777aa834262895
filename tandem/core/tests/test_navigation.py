"""The navigation: every entry reverses; an entry an app registers with a `visible` test shows
only to a signed-in visitor it admits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse

from tandem.core import navigation
from tandem.core.navigation import NavItem, nav_items, nav_links, register_nav_item


@pytest.fixture
def registered() -> Iterator[None]:
    before = dict(navigation._REGISTERED)
    yield
    navigation._REGISTERED.clear()
    navigation._REGISTERED.update(before)


def test_every_entry_reverses() -> None:
    for item in nav_items():
        assert reverse(item.url_name)


def test_a_registered_entry_shows_only_when_visible(registered: None) -> None:
    request = HttpRequest()
    request.user = AnonymousUser()  # the apps' own tests ask their entries about nobody
    register_nav_item(NavItem("home", "Yes", visible=lambda r: r is request))
    register_nav_item(NavItem("account_login", "No", visible=lambda r: False))
    labels = [label for _href, label, _name in nav_links(authenticated=True, request=request)]
    assert "Yes" in labels and "No" not in labels
    # Without the request, or for a visitor, a conditional entry never shows.
    assert "Yes" not in [label for _h, label, _n in nav_links(authenticated=True)]
    assert "Yes" not in [label for _h, label, _n in nav_links(authenticated=False, request=request)]


def test_registering_again_replaces(registered: None) -> None:
    register_nav_item(NavItem("home", "First"))
    register_nav_item(NavItem("home", "Second"))
    labels = [item.label for item in nav_items()]
    assert "Second" in labels and "First" not in labels
