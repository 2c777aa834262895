"""The growth journey in a real browser: a stretch goal with steps, a job description revised
with the mentor's suggestion and two versions compared, four of six coaching roles filled
with the two empty ones suggested, and a reminder to reach out to a former boss."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tandem.accounts.tests.factories import TEST_PASSWORD
from tandem.growth import services
from tandem.growth.models import JobDescription
from tandem.growth.tasks import send_due_reminders
from tandem.growth.tests.factories import make_mentorship


def label(text: str) -> re.Pattern[str]:
    """A form field's label exactly (Django adds a colon)."""
    return re.compile(rf"^{re.escape(text)}:?$")


def log_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_goal_job_description_coaching_team_and_reach_out(page, mentee, mentor):
    make_mentorship(mentee=mentee, mentor=mentor)
    log_in(page, mentee.email)

    # A stretch goal with a measurable target, a date and two steps; one step done in place.
    page.goto("/growth/goals/")
    page.get_by_label(label("Stretch goal")).fill("Become a team lead")
    page.get_by_label(label("Measurable target")).fill("Lead a team of three")
    page.get_by_label(label("Target date")).fill(
        (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    )
    page.get_by_role("button", name="Set goal").click()
    page.wait_for_url(re.compile(r"/growth/goals/\d+/$"))
    for title in ("Run the weekly meeting", "Lead one project"):
        page.get_by_label(label("Step")).fill(title)
        page.get_by_role("button", name="Add step").click()
        page.wait_for_selector(f"text={title}")
    page.get_by_role("button", name=re.compile(r"Mark done.*Run the weekly meeting")).click()
    page.wait_for_selector("button[aria-pressed=true]")

    # The job description: a draft, the mentor's suggestion, accepted, then compared.
    page.goto("/growth/job/")
    page.get_by_label(label("Purpose")).fill("Analyse customer data.")
    page.get_by_label(label("Responsibilities")).fill("Weekly dashboards\nData questions")
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_selector("text=A new version of your job description is saved.")
    jd = JobDescription.objects.get(owner=mentee)
    services.job_description_suggest(
        job_description=jd,
        author=mentor,
        sections={
            "purpose": "Analyse customer data.",
            "responsibilities": "Weekly dashboards\nCoach a junior",
        },
    )
    page.goto("/growth/job/")
    page.get_by_role("link", name=re.compile(f"From {mentor.full_name}")).click()
    page.get_by_role("button", name="Accept as the new version").click()
    page.wait_for_selector("text=Suggestion accepted")
    page.get_by_role("button", name="Compare versions").click()
    page.wait_for_selector("text=Version 1 compared with version 2")
    assert page.locator("ins", has_text="Coach a junior").count() == 1
    assert page.locator("del", has_text="Data questions").count() == 1

    # Contacts: a former boss kept in touch with every month, and three more people.
    page.goto("/growth/contacts/")
    for name, relationship in [
        ("Rudi Hartono", "Former boss"),
        ("Dewi Anggraini", "Classmate"),
        ("Tom Fischer", "Peer"),
        ("Lina Marpaung", "Professional friend"),
        ("Sari Wijaya", "Former colleague"),
    ]:
        page.goto("/growth/contacts/")
        page.get_by_label(label("Name")).fill(name)
        page.get_by_label(label("Relationship")).select_option(label=relationship)
        if name == "Rudi Hartono":
            page.get_by_label(label("Keep in touch")).select_option(label="Every month")
        page.get_by_role("button", name="Add contact").click()
        page.wait_for_url(re.compile(r"/growth/contacts/\d+/$"))

    # The coaching team: four roles filled, the Mentor role by the live mentorship, one shown
    # empty with suggestions.
    page.goto("/growth/team/")
    for role, person in [
        ("Network connector", "Dewi Anggraini"),
        ("Adviser", "Rudi Hartono"),
        ("Idea person", "Tom Fischer"),
        ("Emotional connector", "Lina Marpaung"),
    ]:
        page.get_by_label(label("Role")).select_option(label=role)
        page.get_by_label(label("Person")).select_option(label=person)
        page.get_by_role("button", name="Add to team").click()
        page.wait_for_selector("text=Added to your coaching team.")
    page.wait_for_selector("text=1 role is still empty.")
    mentor_role = page.locator("li.role", has=page.locator("#role-mentor"))
    assert mentor_role.get_by_text("Empty").count() == 0
    assert mentor_role.get_by_text(mentor.full_name).count() == 1
    assert mentor_role.get_by_text("Sari Wijaya").count() == 0  # no suggestion: it is filled
    partner_role = page.locator("li.role", has=page.locator("#role-success_partner"))
    assert partner_role.get_by_text("Empty").count() == 1

    # A month later Rudi is due: the reminder email and the reach-out list both say so.
    from tandem.growth.models import Contact

    Contact.objects.filter(owner=mentee, name="Rudi Hartono").update(
        next_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    send_due_reminders.call()
    assert any("Rudi Hartono" in m.body for m in mail.outbox if m.to == [mentee.email])
    page.goto("/growth/")
    reach = page.locator("section", has=page.locator("#reach-title"))
    assert reach.get_by_text("Rudi Hartono").count() == 1
