from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.tests.factories import UserFactory
from tandem.growth import selectors, services
from tandem.growth.models import JobDescription, JobDescriptionSuggestion, JobDescriptionVersion
from tandem.growth.tests.factories import make_mentorship, make_profile

pytestmark = pytest.mark.django_db

V1 = {
    "purpose": "Keep the payments platform reliable.",
    "responsibilities": "Run on-call\nReview designs",
    "objectives": "99.9% uptime",
    "skills": "Python\nSQL",
}


def _draft(user):
    return services.job_description_save(owner=user, author=user, sections=V1, job_title="Engineer")


def test_owner_drafts_mentor_suggests_owner_accepts_and_compares(
    mentee, mentee_client, mentor, mentor_client, django_capture_on_commit_callbacks
):
    make_mentorship(mentee=mentee, mentor=mentor)
    response = mentee_client.post(
        reverse("growth:job"), {**V1, "job_title": "Engineer", "summary": "First draft"}
    )
    assert response.status_code == 302
    jd = JobDescription.objects.get(owner=mentee)
    assert jd.current_version.number == 1 and jd.last_revised_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        response = mentor_client.post(
            reverse("growth:job_detail", args=[jd.pk]),
            {**V1, "responsibilities": "Run on-call\nMentor two juniors", "note": "Grow as a lead"},
        )
    assert response.status_code == 302
    suggestion = JobDescriptionSuggestion.objects.get()
    assert mail.outbox[0].to == [mentee.email] and "suggests changes" in mail.outbox[0].subject

    page = mentee_client.get(reverse("growth:job")).content.decode()
    assert reverse("growth:suggestion_detail", args=[suggestion.pk]) in page
    detail = mentee_client.get(
        reverse("growth:suggestion_detail", args=[suggestion.pk])
    ).content.decode()
    assert "<ins>" in detail and "Mentor two juniors" in detail and "Review designs" in detail

    mentee_client.post(
        reverse("growth:suggestion_decide", args=[suggestion.pk]), {"decision": "accept"}
    )
    jd.refresh_from_db()
    v2 = jd.current_version
    assert v2.number == 2 and v2.author == mentee and v2.suggested_by == mentor
    assert v2.responsibilities == "Run on-call\nMentor two juniors"

    compare = mentee_client.get(
        reverse("growth:job_compare", args=[jd.pk]) + "?a=1&b=2"
    ).content.decode()
    assert "Version 1 compared with version 2" in compare
    assert "Mentor two juniors</ins>" in compare and "Review designs</del>" in compare


def test_comparison_marks_only_changed_lines():
    old = JobDescriptionVersion(purpose="A\nB", responsibilities="", objectives="x", skills="")
    new = JobDescriptionVersion(purpose="A\nC", responsibilities="", objectives="x", skills="")
    diff = {section.name: section for section in selectors.compare_texts(old, new)}
    assert [(line.op, line.text) for line in diff["purpose"].lines] == [
        ("same", "A"),
        ("removed", "B"),
        ("added", "C"),
    ]
    assert diff["purpose"].changed and not diff["objectives"].changed


def test_rejecting_keeps_the_version_and_deciding_twice_is_refused(mentee, mentor):
    make_mentorship(mentee=mentee, mentor=mentor)
    _draft(mentee)
    jd = JobDescription.objects.get(owner=mentee)
    suggestion = services.job_description_suggest(
        job_description=jd, author=mentor, sections={**V1, "skills": "Go"}
    )
    services.job_description_suggestion_decide(suggestion=suggestion, user=mentee, accept=False)
    with pytest.raises(ValidationError):
        services.job_description_suggestion_decide(suggestion=suggestion, user=mentee, accept=True)
    jd.refresh_from_db()
    assert jd.current_version.number == 1 and jd.versions.count() == 1


def test_only_the_owner_decides(mentee, mentor):
    make_mentorship(mentee=mentee, mentor=mentor)
    _draft(mentee)
    suggestion = services.job_description_suggest(
        job_description=mentee.job_description, author=mentor, sections={**V1, "skills": "Go"}
    )
    with pytest.raises(ValidationError):
        services.job_description_suggestion_decide(suggestion=suggestion, user=mentor, accept=True)


def test_a_manager_in_the_reporting_line_may_read_and_suggest(mentee, manager, manager_client):
    make_profile(mentee, manager=manager)
    _draft(mentee)
    jd = mentee.job_description
    assert jd in selectors.job_descriptions_to_review(user=manager)
    assert manager_client.get(reverse("growth:job_detail", args=[jd.pk])).status_code == 200
    response = manager_client.post(
        f"/api/v1/growth/job-descriptions/{jd.pk}/suggestions",
        {**V1, "objectives": "99.95% uptime"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["based_on_number"] == 1


def test_a_suggestion_that_changes_nothing_is_refused(mentee, mentor):
    make_mentorship(mentee=mentee, mentor=mentor)
    _draft(mentee)
    with pytest.raises(ValidationError) as exc:
        services.job_description_suggest(
            job_description=mentee.job_description, author=mentor, sections=V1
        )
    assert "purpose" in exc.value.message_dict


@pytest.mark.parametrize("name", ["job_detail", "job_compare"])
def test_outsider_gets_404_on_job_description_pages(outsider_client, mentee, name):
    _draft(mentee)
    services.job_description_save(owner=mentee, author=mentee, sections={**V1, "skills": "Go"})
    url = reverse(f"growth:{name}", args=[mentee.job_description.pk])
    assert outsider_client.get(url + "?a=1&b=2").status_code == 404
    assert outsider_client.post(url, {**V1, "skills": "Rust"}).status_code == 404
    assert not JobDescriptionSuggestion.objects.exists()


def test_outsider_gets_404_on_versions_and_suggestions(outsider_client, mentee, mentor):
    make_mentorship(mentee=mentee, mentor=mentor)
    _draft(mentee)
    jd = mentee.job_description
    suggestion = services.job_description_suggest(
        job_description=jd, author=mentor, sections={**V1, "skills": "Go"}
    )
    assert outsider_client.get(reverse("growth:job_version", args=[jd.pk, 1])).status_code == 404
    assert (
        outsider_client.get(reverse("growth:suggestion_detail", args=[suggestion.pk])).status_code
        == 404
    )
    response = outsider_client.post(
        reverse("growth:suggestion_decide", args=[suggestion.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    for url in [
        f"/api/v1/growth/job-descriptions/{jd.pk}",
        f"/api/v1/growth/job-descriptions/{jd.pk}/versions",
        f"/api/v1/growth/job-descriptions/{jd.pk}/suggestions",
        f"/api/v1/growth/job-descriptions/{jd.pk}/compare?a=1&b=1",
    ]:
        assert outsider_client.get(url).status_code == 404, url
    assert (
        outsider_client.post(
            f"/api/v1/growth/suggestions/{suggestion.pk}/decision",
            {"accept": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert outsider_client.get("/api/v1/growth/job-description").status_code == 404


def test_api_write_versions_and_compare(mentee_client, mentee):
    response = mentee_client.post(
        "/api/v1/growth/job-description/versions", V1, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["number"] == 1
    mentee_client.post(
        "/api/v1/growth/job-description/versions",
        {**V1, "skills": "Python\nKubernetes"},
        content_type="application/json",
    )
    mine = mentee_client.get("/api/v1/growth/job-description").json()
    assert mine["current_version"]["number"] == 2 and mine["review_due"] is False
    diff = mentee_client.get(f"/api/v1/growth/job-descriptions/{mine['id']}/compare?a=1&b=2").json()
    skills = next(section for section in diff if section["name"] == "skills")
    assert {"op": "added", "text": "Kubernetes"} in skills["lines"]
    assert {"op": "removed", "text": "SQL"} in skills["lines"]
    empty = mentee_client.post(
        "/api/v1/growth/job-description/versions", {"purpose": " "}, content_type="application/json"
    )
    assert empty.status_code == 422 and "purpose" in empty.json()["errors"]


def test_review_reminder_after_a_year_is_sent_once(mentee, django_capture_on_commit_callbacks):
    _draft(mentee)
    JobDescription.objects.filter(owner=mentee).update(
        last_revised_at=timezone.now() - datetime.timedelta(days=400)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_description_review_reminders_send() == 1
        assert services.job_description_review_reminders_send() == 0
    assert len(mail.outbox) == 1 and "review your job description" in mail.outbox[0].subject
    assert JobDescription.objects.get(owner=mentee).review_due


def test_a_fresh_job_description_gets_no_reminder(mentee):
    _draft(mentee)
    assert services.job_description_review_reminders_send() == 0


@pytest.mark.parametrize("size", [1, 8])
def test_job_page_query_count_is_pinned(mentee_client, mentee, size, django_assert_num_queries):
    for i in range(size):
        services.job_description_save(
            owner=mentee, author=mentee, sections={**V1, "skills": f"S{i}"}
        )
    with django_assert_num_queries(10):
        assert mentee_client.get(reverse("growth:job")).status_code == 200


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------


def _run_at_once(*functions):
    barrier = threading.Barrier(len(functions))
    errors: list[BaseException] = []

    def runner(fn):
        try:
            barrier.wait()
            fn()
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(fn,)) for fn in functions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_get_consecutive_version_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    owner = UserFactory()
    services.job_description_save(owner=owner, author=owner, sections=V1)
    errors = _run_at_once(
        *[
            (
                lambda i=i: services.job_description_save(
                    owner=owner, author=owner, sections={**V1, "skills": str(i)}
                )
            )
            for i in range(4)
        ]
    )
    assert errors == []
    numbers = sorted(JobDescriptionVersion.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accepting_the_same_suggestion_twice_at_once_writes_one_version():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    owner, mentor = UserFactory(), UserFactory()
    make_mentorship(mentee=owner, mentor=mentor)
    services.job_description_save(owner=owner, author=owner, sections=V1)
    suggestion = services.job_description_suggest(
        job_description=owner.job_description, author=mentor, sections={**V1, "skills": "Go"}
    )
    errors = _run_at_once(
        *[
            (
                lambda: services.job_description_suggestion_decide(
                    suggestion=suggestion, user=owner, accept=True
                )
            )
            for _ in range(3)
        ]
    )
    assert len(errors) == 2 and all(isinstance(e, ValidationError) for e in errors)
    assert JobDescriptionVersion.objects.count() == 2
