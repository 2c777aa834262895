"""The navigation's "Organisations" entry, shown to the people who may administer one: staff,
and the organisations' administrators (`selectors.can_administer`).

The navigation is on every page, so the test must cost no query: whether someone
administers an organisation is kept in their session, set when they sign in and brought up
to date whenever they open the organisation pages. Someone appointed while signed in sees
the entry from their next sign-in (or once they open /organisations/); someone no longer an
administrator who still sees it gets the pages' 404 and the entry goes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tandem.core.navigation import NavItem
from tandem.people.selectors import administers_any_organisation

SESSION_KEY = "tandem_administers_organisation"


def shows_organisations(request: HttpRequest) -> bool:
    """A request without a session (a RequestFactory's, a rendered email's) shows it to
    staff only."""
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    session = getattr(request, "session", None)
    return bool(user.is_staff or (session is not None and session.get(SESSION_KEY)))


def remember(request: HttpRequest, *, administers: bool) -> None:
    """Keep the answer in the session; writes (and so saves the session) only when it
    changed."""
    if request.session.get(SESSION_KEY) != administers:
        request.session[SESSION_KEY] = administers


def remember_on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver (password, single sign-on, or a test's force_login)."""
    if request is not None and hasattr(request, "session") and not user.is_staff:
        remember(request, administers=administers_any_organisation(user))


NAV_ITEM = NavItem("organisations:list", _("Organisations"), visible=shows_organisations)
