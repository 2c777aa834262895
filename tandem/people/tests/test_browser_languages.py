"""Journey: a person finds languages in the profile's list by typing, ticks two, and saves."""

from __future__ import annotations

import pytest

from tandem.accounts.tests.factories import TEST_PASSWORD
from tandem.people.models import Profile


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_filter_and_pick_several_languages(page, mentee):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(mentee.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/people/me/")
    search = page.get_by_label("Find a language")
    search.fill("jav")
    assert page.get_by_label("Japanese (ja)").is_hidden()
    page.get_by_label("Javanese (jv)").check()
    search.fill("indo")
    page.get_by_label("Indonesian (id)").check()
    search.fill("")
    assert page.get_by_label("Japanese (ja)").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my profile").click()
    assert set(Profile.objects.get(user=mentee).language_list) == {"id", "jv"}
