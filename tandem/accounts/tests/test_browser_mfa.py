"""WebAuthn in a real browser: Chromium with a virtual authenticator (DevTools' WebAuthn
domain) adds a security key on allauth's page, then signs in with it as the second factor."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator

from tandem.accounts.tests.factories import TEST_PASSWORD, UserFactory


def _virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_add_a_security_key_then_sign_in_with_it(page, settings) -> None:
    # The live server is plain http on localhost: a secure context for the browser, which
    # fido2 accepts only with this setting (DEBUG turns it on for `make run`).
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    assert page.base_url.startswith("http://localhost:")
    user = UserFactory(email="keyholder@example.com")
    _virtual_authenticator(page)
    _log_in(page, user.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/accounts/2fa/webauthn/add/")
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.locator("#id_name").fill("Laptop key")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()

    page.get_by_role("button", name="Log out").click()
    _log_in(page, user.email)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_role("button", name=re.compile("security key", re.I)).click()
    page.wait_for_url(lambda url: "/accounts/2fa/" not in url and "/login/" not in url)
    assert page.get_by_role("button", name="Log out").is_visible()
