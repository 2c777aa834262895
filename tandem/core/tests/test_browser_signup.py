"""The first journey: sign up, verify by email, log in, switch to Indonesian."""

from __future__ import annotations

import re

import pytest
from django.core import mail


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_up_verify_log_in_and_switch_to_indonesian(page):
    page.goto("/accounts/signup/")
    page.locator("#id_email").fill("sekar@example.com")
    page.locator("#id_full_name").fill("Sekar Ayu")
    page.locator("#id_timezone").select_option("Asia/Jakarta")
    page.locator("#id_password1").fill("a-long-Passphrase-2026")
    page.locator("#id_password2").fill("a-long-Passphrase-2026")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    assert len(mail.outbox) == 1
    found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(mail.outbox[0].body))
    assert found, mail.outbox[0].body
    link = found.group(0)
    path = "/" + link.split("/", 3)[3]
    page.goto(path)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: "/confirm-email/" not in url)

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.locator("#id_login").fill("sekar@example.com")
    page.locator("#id_password").fill("a-long-Passphrase-2026")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_selector("text=Welcome, Sekar")

    page.locator("#language-select").select_option("id")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_selector("text=Selamat datang, Sekar")  # her profile is still empty
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("button", name="Keluar").is_visible()
