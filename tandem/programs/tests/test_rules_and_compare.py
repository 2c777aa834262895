"""Pins and forbids on the run page: the count of rules for the next run follows every
change, in place (HTMX) and on a full page. Comparing two runs names the pairs that
changed, on the page and in the API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.programs import services
from tandem.programs.models import PairRule
from tandem.programs.tests.factories import make_cohort, make_programme, start_run

pytestmark = pytest.mark.django_db


def _count(body: str) -> str:
    found = re.search(r'<p class="muted" id="rule-count"[^>]*>(.*?)</p>', body)
    assert found is not None, "no rule count"
    return found.group(1)


@pytest.fixture
def cohort(manager, django_capture_on_commit_callbacks):
    programme = make_programme(manager)
    mentees, mentors = make_cohort(programme, mentees=2, mentors=2)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    return programme, run, mentees, mentors


def test_pin_and_forbid_in_place_update_the_rule_count(cohort, manager, csrf_client_for):
    _programme, run, _mentees, _mentors = cohort
    client = csrf_client_for(manager)
    page = client.get(reverse("programs:run", args=[run.pk])).content.decode()
    assert _count(page) == "0 rules apply to the next run."
    url = reverse("programs:pair_rule", args=[run.pk])
    first, second = list(run.pairs.all())[:2]

    pinned = client.post(
        url,
        {"mentee": first.mentee_id, "mentor": first.mentor_id, "kind": "pin"},
        HTTP_HX_REQUEST="true",
    )
    assert pinned.status_code == 200
    body = pinned.content.decode()
    assert f'<tr id="pair-{first.pk}">' in body and "Pinned" in body
    assert 'id="rule-count" aria-live="polite" hx-swap-oob="true"' in body
    assert _count(body) == "1 rule applies to the next run."

    forbidden = client.post(
        url,
        {"mentee": second.mentee_id, "mentor": second.mentor_id, "kind": "forbid"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert _count(forbidden) == "2 rules apply to the next run."
    cleared = client.post(
        url,
        {"mentee": first.mentee_id, "mentor": first.mentor_id, "kind": "clear"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert _count(cleared) == "1 rule applies to the next run."
    assert list(PairRule.objects.values_list("kind", flat=True)) == ["forbid"]
    # Without HTMX the whole page comes back with the same count.
    page = client.post(
        url, {"mentee": first.mentee_id, "mentor": first.mentor_id, "kind": "pin"}, follow=True
    ).content.decode()
    assert _count(page) == "2 rules apply to the next run."


def test_the_rule_count_reads_in_indonesian(cohort, manager, csrf_client_for):
    _programme, run, _mentees, _mentors = cohort
    manager.language = "id"
    manager.save(update_fields=["language"])
    first = run.pairs.first()
    body = (
        csrf_client_for(manager)
        .post(
            reverse("programs:pair_rule", args=[run.pk]),
            {"mentee": first.mentee_id, "mentor": first.mentor_id, "kind": "pin"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert _count(body) == "1 aturan berlaku untuk proses berikutnya."


def test_an_outsider_cannot_set_a_rule(cohort, outsider, csrf_client_for):
    _programme, run, _mentees, _mentors = cohort
    first = run.pairs.first()
    response = csrf_client_for(outsider).post(
        reverse("programs:pair_rule", args=[run.pk]),
        {"mentee": first.mentee_id, "mentor": first.mentor_id, "kind": "pin"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert not PairRule.objects.exists()


def test_compare_lists_the_pairs_that_changed_with_names(
    manager, manager_client, django_capture_on_commit_callbacks
):
    # Two places for three mentees: one of them is left out of each run.
    programme = make_programme(manager, mentor_capacity=1)
    mentees, mentors = make_cohort(programme, mentees=3, mentors=2, mentor_capacity=1)
    run1 = start_run(programme, manager, django_capture_on_commit_callbacks)
    first = {p.mentee_id: p.mentor_id for p in run1.pairs.all()}
    dropped = next(m for m in mentees if m.pk in first)  # matched in run 1 only
    waiting = next(m for m in mentees if m.pk not in first)  # matched in run 2 only
    for mentor in mentors:
        services.pair_rule_set(
            programme=programme,
            by=manager,
            mentee_id=dropped.pk,
            mentor_id=mentor.pk,
            kind="forbid",
        )
    run2 = start_run(programme, manager, django_capture_on_commit_callbacks)
    second = {p.mentee_id: p.mentor_id for p in run2.pairs.all()}
    assert dropped.pk not in second and waiting.pk in second
    name = {u.pk: u.get_full_name() for u in [*mentees, *mentors]}

    page = manager_client.get(
        reverse("programs:compare", args=[programme.pk]), {"a": run1.pk, "b": run2.pk}
    ).content.decode()
    changes = page.split('id="changes-title"')[1]
    removed = re.search(rf'<tr id="change-{dropped.pk}">(.*?)</tr>', changes, flags=re.S)
    added = re.search(rf'<tr id="change-{waiting.pk}">(.*?)</tr>', changes, flags=re.S)
    assert removed is not None and added is not None
    assert name[dropped.pk] in removed.group(1)
    assert "Matched only in the first run" in removed.group(1)
    assert name[first[dropped.pk]] in removed.group(1)
    assert "Matched only in the second run" in added.group(1)
    assert name[second[waiting.pk]] in added.group(1)

    api = manager_client.get(
        f"/api/v1/programs/{programme.pk}/compare", {"a": run1.pk, "b": run2.pk}
    ).json()
    by_mentee = {c["mentee_id"]: c for c in api["changes"]}
    assert by_mentee[dropped.pk]["kind"] == "removed"
    assert by_mentee[dropped.pk]["mentors_a"] == [
        {"id": first[dropped.pk], "name": name[first[dropped.pk]]}
    ]
    assert by_mentee[dropped.pk]["mentors_b"] == []
    assert by_mentee[waiting.pk]["kind"] == "added"
    assert by_mentee[waiting.pk]["mentee_name"] == name[waiting.pk]
    # Every mentee with the same mentor in both runs is left out of the list.
    kept = [m for m in first if second.get(m) == first[m]]
    assert not any(m in by_mentee for m in kept)
    assert api["only_a"] == 1 and api["only_b"] == 1
    assert len(api["changes"]) == api["changed"] + api["only_a"] + api["only_b"]


def test_compare_of_a_run_with_itself_lists_nothing(cohort, manager, manager_client):
    programme, run, _mentees, _mentors = cohort
    page = manager_client.get(
        reverse("programs:compare", args=[programme.pk]), {"a": run.pk, "b": run.pk}
    ).content.decode()
    assert "Both runs propose the same pairs." in page
