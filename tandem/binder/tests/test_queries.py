"""Binder pages cost the same number of queries for few or many entries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.binder import services
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db


def _fill(mentorship, mentee, n):
    for i in range(n):
        for section in ("questions", "mentor_notes", "discussion", "meeting_notes"):
            services.entry_create(
                owner=mentee, section=section, title=f"{section} {i}", share=i % 2 == 0
            )
        scheduled_meeting(mentorship, at=month_ahead(day=1 + i), shared_summary=f"summary {i}")
    services.action_plan_add(owner=mentee, title=f"step {n}", due_date=None)


@pytest.mark.parametrize("n", [1, 8])
def test_binder_home_query_count_does_not_grow(
    mentorship, mentee, mentee_client, django_assert_num_queries, n
):
    _fill(mentorship, mentee, n)
    mentee_client.get(reverse("binder:home"))
    with django_assert_num_queries(16):
        assert mentee_client.get(reverse("binder:home")).status_code == 200


@pytest.mark.parametrize("n", [1, 8])
def test_shared_binder_query_count_does_not_grow(
    mentorship, mentee, mentor_client, django_assert_num_queries, n
):
    _fill(mentorship, mentee, n)
    with django_assert_num_queries(6):
        assert mentor_client.get(reverse("binder:shared", args=[mentorship.pk])).status_code == 200


@pytest.mark.parametrize("n", [1, 8])
def test_markdown_export_query_count_does_not_grow(
    mentorship, mentee, mentee_client, django_assert_num_queries, n
):
    _fill(mentorship, mentee, n)
    with django_assert_num_queries(10):
        assert mentee_client.get(reverse("binder:export_md")).status_code == 200
