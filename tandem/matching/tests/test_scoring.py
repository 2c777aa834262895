"""Scores: components in [0, 1], the weighted sum, and the reasons they give."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tandem.matching.reasons import READERS, TEMPLATES, Reason, gettext_noop, render
from tandem.matching.scoring import build_index, explain, seniority_fit
from tandem.matching.synthetic import cohort
from tandem.matching.types import COMPONENTS, CareerRole, Person, Weights

MENTEE = Person(
    id="maya",
    organisation="Acme",
    languages=frozenset({"en", "id"}),
    utc_offset_minutes=420,
    function="product",
    industry="software",
    seniority=3,
    career=(CareerRole("engineering", "software", "Acme", 2),),
    values=frozenset({"integrity", "curiosity", "family"}),
    work_style={"structure": 1, "communication": -1, "feedback": 0},
    humour=frozenset({"dry"}),
    guidance_wanted=frozenset({"promotion", "leadership"}),
    goals="Become a product manager and lead a team",
)
MENTOR = Person(
    id="budi",
    organisation="Initech",
    languages=frozenset({"id"}),
    utc_offset_minutes=420,
    function="product",
    industry="software",
    seniority=5,
    career=(CareerRole("engineering", "software", "Globex", 3),),
    values=frozenset({"integrity", "curiosity"}),
    work_style={"structure": 1, "communication": -1, "feedback": 0},
    humour=frozenset({"dry"}),
    guidance_offered=frozenset({"promotion", "leadership", "negotiation"}),
    experience="Product manager leading product teams; moved from engineering into product",
    capacity=2,
    hours_per_month=4,
)


def test_a_close_pair_scores_high_and_says_why() -> None:
    result = explain(MENTEE, MENTOR)
    assert set(result.components) == set(COMPONENTS)
    assert all(0.0 <= v <= 1.0 for v in result.components.values())
    assert result.components["guidance"] == pytest.approx(1.0, abs=5e-3)
    assert result.components["seniority"] == pytest.approx(1.0, abs=5e-3)
    assert result.components["style"] == pytest.approx(1.0, abs=1e-2)
    assert result.score > 0.7
    assert [r.code for r in result.reasons][:1] == ["guidance"]
    assert len(result.reasons) == 3


def test_the_score_is_the_weighted_sum_of_its_components() -> None:
    weights = Weights(career=2, text=0, availability=3)
    result = explain(MENTEE, MENTOR, weights=weights)
    w = weights.normalised()
    assert result.score == pytest.approx(
        sum(w[c] * result.components[c] for c in COMPONENTS), abs=2e-3
    )
    assert result.components["text"] == 0.0


def test_a_shared_career_move_is_the_career_reason() -> None:
    result = explain(
        MENTEE,
        MENTOR,
        weights=Weights(
            career=1,
            seniority=0,
            guidance=0,
            values=0,
            style=0,
            text=0,
            language_time=0,
            availability=0,
        ),
    )
    assert result.reasons[0] == Reason(
        "career_transition",
        {"from_function": "engineering", "to_function": "product"},
        result.reasons[0].weight,
    )
    assert render(result.reasons[0]) == "You both moved from engineering into product"


def test_a_more_junior_mentor_scores_zero_seniority_unless_both_accept_reverse() -> None:
    junior = replace(MENTOR, seniority=2)
    assert explain(MENTEE, junior).components["seniority"] == 0.0
    both = explain(replace(MENTEE, accepts_reverse=True), replace(junior, accepts_reverse=True))
    assert both.components["seniority"] == pytest.approx(0.5, abs=5e-3)
    assert seniority_fit(3, 5, 3, peer=True, rev=False) == 0.6
    assert seniority_fit(3, 5, 3, peer=False, rev=False) == 0.0


def test_a_pair_scores_the_same_in_any_chunk() -> None:
    mentees, mentors = cohort(50, 40, seed=1)
    index = build_index(mentees, mentors, text_dim=64)
    whole = index.score_rows(np.arange(50))
    for rows in (np.array([7]), np.arange(13, 29), np.arange(50)[::-3]):
        assert np.array_equal(index.score_rows(rows), whole[rows])
    assert whole.min() >= 0.0
    assert whole.max() <= 1.0


def test_an_indonesian_goal_finds_english_experience_better_than_unrelated() -> None:
    goal = replace(MENTEE, goals="Saya ingin menjadi manajer produk", guidance_wanted=frozenset())
    near = replace(MENTOR, id="near", experience="Product management, product manager for years")
    far = replace(MENTOR, id="far", experience="Nursing and patient care in a hospital ward")
    index = build_index([goal], [near, far])
    text = index.slices["text"]
    a = index.mentee_features[0, text]
    assert a @ index.mentor_features[0, text] > a @ index.mentor_features[1, text]


def test_every_reason_renders_in_english_and_through_a_translator() -> None:
    params = {
        "from_function": "engineering", "to_function": "product", "function": "data",
        "industry": "retail", "organisations": ("Acme",), "seniority": "senior",
        "topics": ("promotion", "public-speaking"), "values": ("integrity", "curiosity"),
        "humour": ("dry",), "languages": ("en", "id"), "hours": 4,
    }  # fmt: skip
    for code in TEMPLATES:
        text = render(Reason(code, params))
        assert "{" not in text
        assert render(Reason(code, params), translate=lambda s: "ID: " + s) == "ID: " + text
    shared = render(Reason("shared_values", {"values": ("integrity", "curiosity")}))
    assert shared == "You share the values: integrity, curiosity"
    assert render(Reason("availability", {"hours": 4})) == "They give 4 h a month to mentoring"
    assert gettext_noop("x") == "x"


def test_every_reason_said_to_the_mentor_speaks_of_the_mentee() -> None:
    params = {
        "from_function": "engineering", "to_function": "product", "function": "data",
        "industry": "retail", "organisations": ("Acme",), "seniority": "senior",
        "topics": ("promotion",), "values": ("integrity",), "humour": ("dry",),
        "languages": ("en",), "hours": 4,
    }  # fmt: skip
    for code in TEMPLATES:
        to_mentor = render(Reason(code, params), reader="mentor")
        assert "{" not in to_mentor
        assert "they offer" not in to_mentor.lower() and "than you" not in to_mentor
    guidance = Reason("guidance", {"topics": ("promotion", "leadership")})
    assert render(guidance) == "They offer the help you want: promotion, leadership"
    assert render(guidance, reader="mentor") == "They want help you offer: promotion, leadership"
    senior = Reason("more_senior", {"seniority": "senior"})
    assert render(senior, reader="mentor") == "You are at senior level, further along than them"
    same = Reason("same_function", {"function": "data"})
    assert render(same, reader="mentor") == render(same) == "You both work in data"
    with pytest.raises(KeyError):
        render(same, reader="manager")


def test_every_reader_has_a_sentence_for_every_reason_with_the_same_parameters() -> None:
    import string

    def fields(template: str) -> set[str]:
        return {name for _t, name, _f, _c in string.Formatter().parse(template) if name}

    for reader, templates in READERS.items():
        assert set(templates) == set(TEMPLATES), reader
        for code, template in templates.items():
            assert fields(template) == fields(TEMPLATES[code]), (reader, code)
    guidance = Reason("guidance", {"topics": ("promotion",)})
    assert render(guidance) == "They offer the help you want: promotion"
    assert render(guidance, reader="mentor") == "They want help you offer: promotion"
    assert render(guidance, reader="pair") == (
        "The mentor offers the help the mentee wants: promotion"
    )
    assert "you" not in " ".join(READERS["pair"].values()).lower().split()
