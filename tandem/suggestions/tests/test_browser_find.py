"""Journey: a mentee finds a mentor, saves one, says "not for me" to another, undoes it."""

from __future__ import annotations

import pytest

from tandem.accounts.tests.factories import TEST_PASSWORD
from tandem.suggestions.models import MentorMark
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_find_save_dismiss_and_undo(page, mentee):
    make_mentee_profile(mentee)
    first, second = make_mentor(1), make_mentor(2, function="finance")
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(mentee.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/find/")
    page.get_by_role("heading", name="Find a mentor").wait_for()
    card = page.locator(f"#suggestion-{first.pk}")
    card.get_by_text("They offer the help you want: Leadership, Promotion").wait_for()

    card.get_by_role("button", name="Save for later").click()
    page.get_by_text("is saved for later").wait_for()
    assert MentorMark.objects.get(mentor=first).kind == "saved"

    page.locator(f"#suggestion-{second.pk}").get_by_role("button", name="Not for me").click()
    page.get_by_text("will not be suggested again").wait_for()
    assert page.locator(f"#suggestion-{second.pk}").count() == 0

    page.locator("details summary").click()
    page.locator("details").get_by_role("button", name="Undo").click()
    page.get_by_text("may be suggested again").wait_for()
    page.locator(f"#suggestion-{second.pk}").wait_for()

    page.locator("#id_function").select_option("finance")
    page.wait_for_url(lambda url: "function=finance" in url)
    assert page.locator(f"#suggestion-{first.pk}").count() == 0
