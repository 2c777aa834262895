"""Forbidden-pair rules: each rule on its own, and the vectorised table agreeing with them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tandem.matching.rules import RuleTable, forbidden_reason
from tandem.matching.synthetic import cohort
from tandem.matching.types import Person

MENTEE = Person(
    id="maya", organisation="Acme", competitors=frozenset({"Globex"}),
    manager_chain=("boss", "bigboss"), languages=frozenset({"en", "id"}),
)  # fmt: skip
MENTOR = Person(
    id="budi", organisation="Initech", languages=frozenset({"id"}), capacity=2, hours_per_month=4,
)  # fmt: skip


def test_a_mentor_at_a_partner_organisation_is_allowed() -> None:
    assert forbidden_reason(MENTEE, MENTOR) is None


@pytest.mark.parametrize(
    ("mentor", "forbidden", "rule"),
    [
        (replace(MENTOR, id="maya"), frozenset(), "same_person"),
        (replace(MENTOR, id="boss"), frozenset(), "manager"),
        (replace(MENTOR, id="bigboss"), frozenset(), "manager"),
        (replace(MENTOR, organisation="globex "), frozenset(), "competitor"),
        (replace(MENTOR, competitors=frozenset({"ACME"})), frozenset(), "competitor"),
        (replace(MENTOR, paused=True), frozenset(), "mentor_unavailable"),
        (replace(MENTOR, active_mentees=2), frozenset(), "mentor_unavailable"),
        (replace(MENTOR, languages=frozenset({"fr"})), frozenset(), "no_common_language"),
        (replace(MENTOR, accepts_external=False), frozenset(), "external_not_accepted"),
        (MENTOR, frozenset({("maya", "budi")}), "forbidden_by_hand"),
    ],
)
def test_each_rule_forbids_its_pair(
    mentor: Person, forbidden: frozenset[tuple[str, str]], rule: str
) -> None:
    assert forbidden_reason(MENTEE, mentor, forbidden) == rule


def test_a_colleague_may_mentor_when_external_mentees_are_refused() -> None:
    colleague = replace(MENTOR, organisation="ACME", accepts_external=False)
    assert forbidden_reason(MENTEE, colleague) is None


def test_a_peer_or_junior_is_not_forbidden_only_scored_lower() -> None:
    junior = replace(MENTOR, seniority=1)
    assert forbidden_reason(replace(MENTEE, seniority=6), junior) is None


def test_the_vectorised_table_agrees_with_the_rules_on_every_pair() -> None:
    mentees, mentors = cohort(120, 60, capacity=2, seed=3)
    mentors[0] = replace(mentors[0], paused=True)
    mentors[1] = replace(mentors[1], accepts_external=False, organisation=mentees[5].organisation)
    forbidden = frozenset({(mentees[2].id, mentors[3].id)})
    table = RuleTable.build(mentees, mentors, forbidden)
    i, j = np.meshgrid(np.arange(120), np.arange(60), indexing="ij")
    got = table.allowed(i.ravel(), j.ravel())
    want = [
        forbidden_reason(mentees[a], mentors[b], forbidden) is None
        for a, b in zip(i.ravel(), j.ravel(), strict=True)
    ]
    assert got.tolist() == want
    assert 0 < sum(want) < len(want)
