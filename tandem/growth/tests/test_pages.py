"""Every growth page renders in both languages with its landmarks; the reminder command."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from tandem.growth import services
from tandem.growth.tests.factories import ContactFactory, GoalFactory, make_mentorship

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_page_renders_in_both_languages(mentee_client, mentee, mentor, language):
    mentee.language = language
    mentee.save()
    make_mentorship(mentee=mentee, mentor=mentor)
    goal = GoalFactory(owner=mentee, shared_with_mentor=True)
    services.job_description_save(owner=mentee, author=mentee, sections={"purpose": "A\nB"})
    services.job_description_save(owner=mentee, author=mentee, sections={"purpose": "A\nC"})
    jd = mentee.job_description
    suggestion = services.job_description_suggest(
        job_description=jd, author=mentor, sections={"purpose": "A\nD"}
    )
    opportunity = services.opportunity_record(
        mentor=mentor, mentee=mentee, kind="project", title="Pricing review"
    )
    contact = ContactFactory(owner=mentee, leaving_on=None)
    urls = [
        reverse("growth:home"),
        reverse("growth:goals"),
        reverse("growth:shared_goals"),
        reverse("growth:goal_detail", args=[goal.pk]),
        reverse("growth:goal_edit", args=[goal.pk]),
        reverse("growth:job"),
        reverse("growth:job_version", args=[jd.pk, 1]),
        reverse("growth:job_compare", args=[jd.pk]),
        reverse("growth:suggestion_detail", args=[suggestion.pk]),
        reverse("growth:opportunities"),
        reverse("growth:opportunity_detail", args=[opportunity.pk]),
        reverse("growth:contacts"),
        reverse("growth:contact_detail", args=[contact.pk]),
        reverse("growth:team"),
    ]
    for url in urls:
        response = mentee_client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in html and '<main id="main"' in html, url
        assert 'aria-label="Growth"' in html or 'aria-label="Pengembangan"' in html, url
    team = mentee_client.get(reverse("growth:team")).content.decode()
    # The mentee's live mentorship fills the Mentor role.
    assert ("5 roles are still empty." if language == "en" else "5 peran masih kosong.") in team


def test_the_reminder_command_runs_or_enqueues(mentee, capsys):
    ContactFactory(owner=mentee, leaving_on=None)
    call_command("growth_reminders", "--now")
    assert "reach_out_digests" in capsys.readouterr().out
    call_command("growth_reminders")
    assert "Enqueued" in capsys.readouterr().out


def test_the_openapi_document_lists_the_growth_endpoints(monkeypatch):
    """Growth's part of the OpenAPI document builds (other routers are left out so that
    this test checks growth alone)."""
    from tandem.api.api import api

    growth = [b for b in api._get_bound_routers() if b.prefix.strip("/") == "growth"]
    monkeypatch.setattr(api, "_get_bound_routers", lambda: growth)
    paths = set(api.get_openapi_schema(path_prefix="/api/v1/")["paths"])
    for path in [
        "/api/v1/growth/goals",
        "/api/v1/growth/action-plan",
        "/api/v1/growth/job-descriptions/{jd_id}/compare",
        "/api/v1/growth/contacts/{contact_id}/conversations",
        "/api/v1/growth/reach-out",
        "/api/v1/growth/team",
        "/api/v1/growth/opportunities",
    ]:
        assert path in paths, path
