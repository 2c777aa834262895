"""Journey: someone a CSV import brought in opens their invitation link, sets a password,
lands signed in, and can sign in again later with it (allauth sees a verified address)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from tandem.accounts.models import User
from tandem.accounts.rules import has_joined
from tandem.accounts.services import invitation_create

PASSWORD = "a-long-new-secret-2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_accept_an_invitation_and_sign_in_again(page):
    user = User.objects.create(
        email="invited@example.com", full_name="Ina Invited", password=make_password(None)
    )
    _invitation, raw = invitation_create(user=user)

    page.goto(f"/accounts/invitation/{raw}/")
    assert "invited@example.com" in page.content()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Set my password and join").click()
    assert "/accounts/login/" not in page.url
    assert "Welcome to Tandem" in page.content()
    assert has_joined(User.objects.get(pk=user.pk))

    # The link is used up; signing in again with the new password works.
    page.context.clear_cookies()
    page.goto(f"/accounts/invitation/{raw}/")
    assert "already accepted" in page.content()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
