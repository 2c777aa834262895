"""Two people talking in real browsers: the mentor writes, and the mentee's open page shows
the message after its next poll, without a reload; the unread badge counts it meanwhile
elsewhere. The mentee reads English, the mentor Indonesian."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tandem.accounts.tests.factories import TEST_PASSWORD
from tandem.conversations import views
from tandem.mentorships.tests.factories import make_active


def log_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_message_reaches_the_other_page_by_polling(
    page, browser, live_server, mentee, mentor, monkeypatch
):
    monkeypatch.setattr(views, "POLL_SECONDS", 1)
    mentorship = make_active(mentee, mentor)
    url = f"/conversations/mentorship/{mentorship.pk}/"

    log_in(page, mentee.email)
    page.goto(url)
    assert page.get_by_text("No messages yet.").is_visible()
    navigation = page.url

    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    other.set_default_timeout(15_000)
    mentor_page = other.new_page()
    try:
        log_in(mentor_page, mentor.email)
        mentor_page.goto(url)
        mentor_page.get_by_label("Pesan Anda").fill("Halo Maya, bagaimana persiapan Anda?")
        mentor_page.get_by_role("button", name="Kirim").click()
        # HTMX swapped the conversation in place: the message is there, the box is empty.
        mentor_page.wait_for_selector("text=Halo Maya, bagaimana persiapan Anda?")
        assert mentor_page.get_by_label("Pesan Anda").input_value() == ""

        # The mentee's page, untouched, shows it after a poll; no reload happened.
        page.wait_for_selector("text=Halo Maya, bagaimana persiapan Anda?", timeout=10_000)
        assert page.url == navigation

        # She answers; the mentor's page shows it by polling too.
        page.get_by_label("Your message").fill("Thank you, I am drafting my plan.")
        page.get_by_role("button", name="Send").click()
        page.wait_for_selector("text=Thank you, I am drafting my plan.")
        mentor_page.wait_for_selector("text=Thank you, I am drafting my plan.", timeout=10_000)

        # Elsewhere, the navigation's badge counts what the mentor has not read.
        mentor_page.goto("/mentorships/")
        page.get_by_label("Your message").fill("One more thing.")
        page.get_by_role("button", name="Send").click()
        page.wait_for_selector("text=One more thing.")
        mentor_page.reload()
        badge = mentor_page.locator("#unread-messages")
        badge.get_by_text(re.compile("1")).wait_for()
    finally:
        other.close()
