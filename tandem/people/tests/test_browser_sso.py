"""Single sign-on in a real browser: the login page's "Sign in with ..." button, allauth's
confirmation form, the redirect to the identity provider (a real OpenID Connect provider in a
thread) and back. The test client follows none of the browser's rules (Content-Security-
Policy's form-action applies to a form's redirects too), so this is where they are checked."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.accounts.models import User
from tandem.people.models import Profile
from tandem.people.tests.test_sso import acme, idp  # noqa: F401 (fixtures)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_signs_in_with_their_organisations_provider(
    page: Any,
    idp: Any,  # noqa: F811
    acme: Any,  # noqa: F811
) -> None:
    idp.login_as(sub="kc-2002", email="rina@acme.example", email_verified=True, name="Rina Sari")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Acme Keycloak").click()
    # allauth asks before leaving for the provider (a POST, never a GET that starts a login).
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/accounts/" not in url, timeout=15_000)
    user = User.objects.get(email__iexact="rina@acme.example")
    assert Profile.objects.get(user=user).organisation == acme
    assert page.get_by_text("Rina").first.is_visible()
