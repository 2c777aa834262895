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
    # 10: the series on the agreed rhythm (#15 item 4) and the try-outs that may become an
    # introductory meeting (#15 item 3) are one query each.
    with django_assert_num_queries(10):
        assert mentee_client.get(reverse("meetings:list")).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_feed_query_count_does_not_grow(mentorship, mentee, client, django_assert_num_queries, n):
    _make(mentorship, n)
    token = services.calendar_feed_regenerate(user=mentee)[1]
    # 3: the feed's owner and meetings, and the one query of the registered group-circle
    # source (tandem.meetings.sources, #15 item 8).
    with django_assert_num_queries(3):
        assert client.get(reverse("meetings:feed", args=[token])).status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_feed_with_a_series_costs_the_same(
    mentee, mentor, client, django_assert_num_queries, count
):
    """A series (its RRULE, EXDATE and RECURRENCE-ID events) adds no query to the feed."""
    # (3 queries: the owner, the meetings, the group-circle source.)
    from datetime import timedelta

    from tandem.meetings.tests.factories import make_mentorship

    pair = make_mentorship(mentee, mentor, meetings_per_month=4)
    first = month_ahead(months=2, day=1, hour=2)
    first += timedelta(days=(1 - first.weekday()) % 7)
    series = services.series_propose(mentorship=pair, by=mentee, starts_at=first, count=count)
    services.series_accept(series=series, by=mentor)
    one, two = list(series.occurrences.order_by("starts_at"))[:2]
    services.meeting_cancel(meeting=one, by=mentee, note="Away")
    services.meeting_update_details(
        meeting=two, by=mentee, duration_minutes=30, channel="phone", location=""
    )
    token = services.calendar_feed_regenerate(user=mentee)[1]
    # 3: the feed's owner and meetings, and the one query of the registered group-circle
    # source (tandem.meetings.sources, #15 item 8).
    with django_assert_num_queries(3):
        response = client.get(reverse("meetings:feed", args=[token]))
    assert response.status_code == 200 and b"RRULE" in response.content
    assert b"EXDATE" in response.content and b"RECURRENCE-ID" in response.content
