"""The programme list: each programme a manager manages with its mentees and mentors counted,
in a fixed number of queries however many programmes and people there are."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.programs.tests.factories import make_cohort, make_programme

pytestmark = pytest.mark.django_db


def _row(body: str, name: str) -> list[str]:
    """The cells of the managed-programmes table row for `name`."""
    row = re.search(rf"<tr><td><a [^>]*>{re.escape(name)}</a></td>(.*?)</tr>", body)
    assert row is not None, name
    return re.findall(r"<td>(.*?)</td>", row.group(1))


def test_the_list_counts_each_programmes_mentees_and_mentors(manager, manager_client):
    spring = make_programme(manager, name="Spring cohort")
    make_cohort(spring, mentees=3, mentors=2, prefix="s")
    autumn = make_programme(manager, name="Autumn cohort")
    make_cohort(autumn, mentees=1, mentors=1, prefix="a")
    make_programme(manager, name="Empty cohort")

    body = manager_client.get(reverse("programs:list")).content.decode()

    assert _row(body, "Spring cohort")[1:] == ["3", "2"]
    assert _row(body, "Autumn cohort")[1:] == ["1", "1"]
    assert _row(body, "Empty cohort")[1:] == ["0", "0"]


def test_the_list_keeps_a_fixed_number_of_queries(
    manager, manager_client, django_assert_num_queries
):
    make_cohort(make_programme(manager, name="First"), mentees=1, mentors=1, prefix="f")
    url = reverse("programs:list")
    manager_client.get(url)
    with django_assert_num_queries(QUERIES):
        assert manager_client.get(url).status_code == 200
    for i in range(3):
        make_cohort(make_programme(manager, name=f"More {i}"), mentees=4, mentors=2, prefix=f"m{i}")
    with django_assert_num_queries(QUERIES):
        body = manager_client.get(url).content.decode()
    assert _row(body, "More 2")[1:] == ["4", "2"]


QUERIES = 9
