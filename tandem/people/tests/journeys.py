"""Browser journeys that more than one app's browser tests walk (Playwright `page`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password

from tandem.accounts.models import User
from tandem.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tandem.people.models import Organisation, OrganisationAdmin
from tandem.people.tests.factories import OrganisationFactory, ProfileFactory


@dataclass
class OrganisationCast:
    organisation: Organisation
    admin: User
    newcomer: User  # imported, has not joined
    colleague: User  # has joined


def organisation_cast() -> OrganisationCast:
    org: Organisation = OrganisationFactory(name="Acme")  # type: ignore[assignment]
    admin: User = UserFactory(email="ada@acme.test", full_name="Ada Admin")  # type: ignore[assignment]
    ProfileFactory(user=admin, organisation=org)
    OrganisationAdmin.objects.create(organisation=org, user=admin)
    newcomer = User.objects.create(
        email="nia@acme.test", full_name="Nia Newcomer", password=make_password(None)
    )
    ProfileFactory(user=newcomer, organisation=org)
    colleague: User = UserFactory(email="cole@acme.test", full_name="Cole Colleague")  # type: ignore[assignment]
    ProfileFactory(user=colleague, organisation=org)
    return OrganisationCast(org, admin, newcomer, colleague)


def sign_in(page: Any, email: str) -> None:
    """Through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def admin_resends_an_invitation(page: Any, cast: OrganisationCast) -> None:
    """The organisation's administrator signs in, follows the navigation to their
    organisation, sees who has not joined yet and sends that person's invitation again."""
    sign_in(page, cast.admin.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    page.get_by_role("link", name=cast.organisation.name).click()
    page.wait_for_url(f"**/organisations/{cast.organisation.pk}/")
    rows = page.locator("#org-people tbody tr")
    waiting = rows.filter(has_text=cast.newcomer.full_name)
    assert "Not joined yet" in waiting.inner_text()
    assert "Not joined yet" not in rows.filter(has_text=cast.colleague.full_name).inner_text()
    # Only those who have not joined, then send the invitation again.
    page.get_by_label("Show").select_option("no")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**joined=no**")
    assert cast.colleague.full_name not in page.locator("#org-people").inner_text()
    waiting.get_by_role("button", name="Send the invitation again").click()
    page.get_by_text("The invitation is sent again").wait_for()
