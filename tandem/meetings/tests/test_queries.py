"""The meetings list and feed cost the same number of queries for 2 meetings or 12."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.meetings import services
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db


def _make(mentorship, n):
    for i in range(n):
        scheduled_meeting(mentorship, at=month_ahead(months=2 + i // 20, day=1 + i % 20))


@pytest.mark.parametrize("n", [2, 12])
def test_meeting_list_query_count_does_not_grow(
    mentorship, mentee_client, django_assert_num_queries, n
):
    _make(mentorship, n)
    mentee_client.get(reverse("meetings:list"))  # warm the session
    with django_assert_num_queries(8):
        assert mentee_client.get(reverse("meetings:list")).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_feed_query_count_does_not_grow(mentorship, mentee, client, django_assert_num_queries, n):
    _make(mentorship, n)
    token = services.calendar_feed_regenerate(user=mentee)[1]
    with django_assert_num_queries(2):
        assert client.get(reverse("meetings:feed", args=[token])).status_code == 200
