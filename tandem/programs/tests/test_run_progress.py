"""A run's progress on its page: the core's steps, recorded as the run goes, in both languages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.programs import services
from tandem.programs.models import MatchRun
from tandem.programs.services import runs as run_services
from tandem.programs.tests.factories import make_cohort, make_programme


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Matching the cohort… 74%", "Round 2: looking for better pairs among the others"]),
        ("id", ["Memasangkan kohort… 74%", "Putaran 2: mencari pasangan yang lebih baik"]),
    ],
)
def test_the_run_page_shows_the_step_and_the_share_done(manager, manager_client, language, words):
    manager.language = language
    manager.save(update_fields=["language"])
    programme = make_programme(manager)
    run = MatchRun.objects.create(
        programme=programme,
        number=1,
        created_by=manager,
        status=MatchRun.Status.RUNNING,
        progress=74,
        stage="scan 2",
    )
    page = manager_client.get(
        reverse("programs:run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    fragment = manager_client.get(
        reverse("programs:run_progress", args=[run.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    for html in (page, fragment):
        for text in words:
            assert text in html
        assert 'hx-trigger="every 1s"' in html  # the page keeps polling while it runs
        assert 'value="74"' in html


def test_every_step_has_a_label_and_an_unknown_one_shows_nothing(manager):
    run = MatchRun(programme=make_programme(manager), number=1, stage="candidates")
    assert run.stage_label == "Scoring every mentee against every mentor"
    run.stage = "solve 3"
    assert run.stage_label == "Round 3: finding the best assignment"
    run.stage = "matching"  # what runs before this change recorded
    assert run.stage_label == ""


def test_a_run_records_the_cores_steps_as_it_goes(manager, monkeypatch):
    programme = make_programme(manager)
    make_cohort(programme, mentees=6, mentors=3)
    run = MatchRun.objects.create(programme=programme, number=1, created_by=manager)
    recorded: list[tuple[int, str]] = []
    real = run_services._set_progress

    def spy(run_id: int, progress: int, stage: str = "") -> None:
        recorded.append((progress, stage))
        real(run_id, progress, stage)

    monkeypatch.setattr(run_services, "_set_progress", spy)
    assert services.run_execute(run_id=run.pk) == "done"
    stages = [stage for _progress, stage in recorded]
    assert stages[0] == "scoring"
    assert "candidates" in stages and "solve 1" in stages
    assert stages[-1] == "done"
    shares = [progress for progress, _stage in recorded]
    assert shares == sorted(shares) and shares[-1] == 90  # 10% before, 80% the engine
    assert len(recorded) == len(set(recorded))  # each change written once
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE and run.progress == 100 and run.stage == ""
