"""The manager's journey in a real browser: create (a granted right), invite by CSV (the
people accept), run, pin, re-run, compare, publish, match late joiners in a second run and
publish it, and read the dashboard."""

from __future__ import annotations

import re

import pytest

from tandem.accounts.tests.factories import TEST_PASSWORD
from tandem.programs import services
from tandem.programs.models import Invitation, Match
from tandem.programs.tests.factories import grant_creation, make_person

CSV = (
    "email,name,language,role\n"
    + "".join(f"m{i}@example.com,Mentee {i},{'id' if i % 2 else 'en'},mentee\n" for i in range(6))
    + "".join(f"t{i}@example.com,Mentor {i},en,mentor\n" for i in range(3))
)

LATE_CSV = (
    "email,name,language,role\n"
    "m6@example.com,Mentee 6,en,mentee\n"
    "t3@example.com,Mentor 3,en,mentor\n"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_runs_a_cohort_end_to_end(page, manager, tmp_path):
    grant_creation(manager)
    for i in range(6):
        make_person(f"m{i}@example.com", language="id" if i % 2 else "en")
    for i in range(3):
        make_person(f"t{i}@example.com", mentor_capacity=2)
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(manager.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/programmes/new/")
    page.locator("#id_name").fill("Browser cohort")
    page.locator("#id_approval").select_option("nobody")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/programmes/\d+/$"))

    path = tmp_path / "people.csv"
    path.write_text(CSV)
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#id_role").select_option("auto")
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_selector("text=9 people will be invited")
    page.wait_for_selector("text=9 invited")
    # Each of them accepts their invitation (their own pages are tested elsewhere).
    for invitation in Invitation.objects.select_related("user"):
        services.invitation_accept(invitation=invitation, user=invitation.user)
    page.reload()

    page.get_by_role("button", name="Run matching").click()
    page.wait_for_url(re.compile(r"/programmes/runs/\d+/$"))
    page.wait_for_selector("text=6 of 6 mentees matched")
    # Pin the first proposed pair (HTMX swaps the row in place).
    first_row = page.locator("tbody tr").first
    first_row.get_by_role("button", name="Pin").click()
    page.wait_for_selector("tbody tr >> text=Pinned")
    # Any pair of the cohort, by email: no list of everyone on the page.
    page.get_by_label("Mentee's email").fill("m1@example.com")
    page.get_by_label("Mentor's email").fill("nobody@example.com")
    page.get_by_label("Rule").select_option("forbid")
    page.get_by_role("button", name="Save the rule").click()
    page.wait_for_selector("text=No mentor of this programme has the email nobody@example.com.")

    page.get_by_role("link", name="Change the weights and run again").click()
    page.locator("#id_w_language_time").fill("0.6")
    page.get_by_role("button", name="Run matching").click()
    page.wait_for_selector("text=6 of 6 mentees matched")
    page.locator("#compare-b").select_option(index=0)
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("text=keep the same mentor")
    page.go_back()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector("text=Published: 6 matches")
    assert Match.objects.count() == 6

    # Late joiners: a mentee and a mentor invited by a second CSV after the publish.
    make_person("m6@example.com")
    make_person("t3@example.com", mentor_capacity=2)
    late = tmp_path / "late.csv"
    late.write_text(LATE_CSV)
    page.locator("#id_file").set_input_files(str(late))
    page.locator("#id_role").select_option("auto")
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_selector("text=2 people will be invited")
    for invitation in Invitation.objects.filter(status="pending").select_related("user"):
        services.invitation_accept(invitation=invitation, user=invitation.user)
    page.reload()
    page.wait_for_selector("text=1 mentee can still be matched.")
    page.get_by_role("button", name="Run matching").click()
    page.wait_for_selector("text=1 of 1 mentees matched")
    page.wait_for_selector("text=6 mentees already matched in this programme keep their pairs")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector("text=Published: 1 matches")
    assert Match.objects.count() == 7
    assert Match.objects.filter(mentee__email="m6@example.com", mentor__email="t3@example.com")

    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart").count() >= 7
    assert page.get_by_role("heading", name="Match rate").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_mentor_cancels_a_circle_session_and_a_member_sees_it(page, manager, mentor, mentee):
    """The mentor (in Indonesian) cancels the second session on the circle's page; the
    member (in English) sees it struck through and labelled cancelled."""
    import datetime as dt

    from tandem.programs import selectors
    from tandem.programs.models import Circle, CircleMember
    from tandem.programs.tests.factories import make_programme

    mentor.timezone = "Europe/London"
    mentor.save()
    circle = Circle.objects.create(
        programme=make_programme(manager),
        mentor=mentor,
        name="Browser circle",
        weekday=Circle.Weekday.THURSDAY,
        time=dt.time(17, 0),
        frequency=Circle.Frequency.WEEKLY,
    )
    CircleMember.objects.create(circle=circle, mentee=mentee)
    second = selectors.circle_sessions(circle=circle)[1].original

    def sign_in(person):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.locator("#id_login").fill(person.email)
        page.locator("#id_password").fill(TEST_PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    sign_in(mentor)
    page.goto(f"/programmes/circles/{circle.pk}/")
    cancel = page.locator(
        f'form:has(input[name="action"][value="session_cancel"]):has(input[value="{second.isoformat()}"])'
    )
    cancel.get_by_role("button").click()
    page.wait_for_selector("text=Sesi dibatalkan")  # "The session is cancelled" in Indonesian
    assert page.locator(".circle-sessions li.cancelled").count() == 1

    sign_in(mentee)
    page.goto(f"/programmes/circles/{circle.pk}/")
    cancelled = page.locator(".circle-sessions li.cancelled")
    cancelled.wait_for()
    assert "Cancelled" in cancelled.inner_text()
    assert cancelled.locator("s time").get_attribute("datetime") == second.isoformat()
    assert page.locator('input[value="session_cancel"]').count() == 0
