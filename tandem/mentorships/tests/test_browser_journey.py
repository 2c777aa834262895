"""The journey in a real browser: a try-out question, a request with a plan, an accepted and
signed agreement, a revision both confirm, a review check-in, and a graceful ending.

The mentee reads English; the mentor reads Indonesian, so both languages are walked."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tandem.accounts.tests.factories import TEST_PASSWORD
from tandem.mentorships.models import Mentorship
from tandem.mentorships.tests.factories import make_mentor


def log_in(page: Any, email: str) -> None:
    if page.get_by_role("button", name=re.compile("^(Log out|Keluar)$")).count():
        page.get_by_role("button", name=re.compile("^(Log out|Keluar)$")).click()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_try_out_to_a_signed_revised_reviewed_agreement_and_a_graceful_ending(
    page, mentee, mentor
):
    make_mentor(mentor, capacity=2)

    # The mentee asks one question first.
    log_in(page, mentee.email)
    page.goto(f"/mentorships/try/{mentor.pk}/")
    page.get_by_label("Your question").fill("How did you prepare for your first manager role?")
    page.get_by_role("button", name="Send the question").click()
    page.wait_for_selector("text=Your question is on its way")

    # Then a request with a prepared plan, in her own words.
    page.goto(f"/mentorships/ask/{mentor.pk}/")
    page.get_by_label("Why this person, in your own words (optional)").fill(
        "You moved from engineer to manager."
    )
    assert page.get_by_text("This is not a request for a job.").is_visible()
    page.get_by_label("What exactly do you hope for from them?").fill("An hour a month on my path.")
    page.get_by_label("Kind of guidance").select_option("promotion")
    page.get_by_label("Your specific goal").fill(
        "Promotion to manager within a year, with an action plan."
    )
    page.get_by_label("How you would like to meet").select_option("video")
    page.get_by_label("I am asking for advice and guidance, not for a job.").check()
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r"/mentorships/requests/\d+/$"))

    # The mentor (Indonesian) answers the question in place and accepts the request.
    log_in(page, mentor.email)
    page.goto("/mentorships/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_label("Jawaban Anda").fill("By leading a small project first.")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_selector("text=By leading a small project first.")
    page.get_by_role("link", name="Baca rencana dan jawab").click()
    page.get_by_role("button", name="Terima dan susun kesepakatan").click()
    page.wait_for_url(re.compile(r"/mentorships/\d+/$"))
    mentorship = Mentorship.objects.get()
    page.get_by_role("button", name="Tanda tangani versi 1").click()
    page.wait_for_selector("text=Menunggu pihak lain menandatangani.")

    # The mentee signs: the agreement is in force. Then proposes a revision.
    log_in(page, mentee.email)
    page.goto(f"/mentorships/{mentorship.pk}/")
    page.get_by_role("button", name="Sign version 1").click()
    page.wait_for_selector("text=Signed by both of you")
    # The page is the pair's home now: the next meeting and a way to plan one, the work
    # they do together, and the agreement with its review date.
    home = page.locator("#pair-home")
    home.get_by_role("heading", name="Next meeting").wait_for()
    assert home.get_by_role("link", name="Schedule a meeting").is_visible()
    assert home.get_by_role("heading", name="Working together").is_visible()
    assert page.locator("#agreement").get_by_text("Next review together").is_visible()
    page.get_by_role("link", name="Propose a change to the agreement").click()
    page.get_by_label("Meeting length").select_option("45")
    page.get_by_label("How we talk between meetings").fill(
        "Email for quick critiques; a call only when urgent."
    )
    page.get_by_label("Email").check()
    page.get_by_label("What changed and why (optional)").fill("Shorter meetings, email in between")
    page.get_by_role("button", name="Save and sign this version").click()
    page.wait_for_selector("text=A proposed new version")

    # The mentor reads the difference and confirms, then asks for a review.
    log_in(page, mentor.email)
    page.goto(f"/mentorships/{mentorship.pk}/")
    page.get_by_role("link", name="Lihat apa yang berubah").click()
    assert page.locator("ins").first.is_visible()
    page.goto(f"/mentorships/{mentorship.pk}/")
    page.get_by_role("button", name="Tanda tangani versi 2").click()
    page.wait_for_selector("text=Ditandatangani oleh Anda berdua")
    page.get_by_role("button", name="Tinjau bersama sekarang").click()
    page.get_by_label("Ya, berjalan baik").check()
    page.get_by_role("button", name="Kirim check-in saya").click()
    page.wait_for_selector("text=check-in Anda sudah diterima")

    # The mentee answers the check-in, and later they end it well.
    log_in(page, mentee.email)
    page.goto(f"/mentorships/{mentorship.pk}/")
    page.get_by_role("link", name="Answer the check-in").click()
    page.get_by_label("Yes, it is working").check()
    page.get_by_role("button", name="Send my check-in").click()
    page.wait_for_selector("text=Good to hear it is working")
    page.get_by_role("link", name="End the mentorship").click()
    page.get_by_label("Completed: we did what we set out to do").check()
    page.get_by_label("A closing reflection (optional)").fill("I learned to plan my growth.")
    page.get_by_label("A thank-you (optional)").fill("Thank you for every hour.")
    page.get_by_role("button", name="End the mentorship").click()
    page.wait_for_selector("text=This mentorship is completed")
    assert page.get_by_text("repay the favour").is_visible()
    assert page.get_by_role("link", name="Offer to mentor others").is_visible()

    mentorship.refresh_from_db()
    assert mentorship.status == "completed"
    assert mentorship.agreement_versions.count() == 2
    assert mentorship.reviews.get().closed_at is not None
