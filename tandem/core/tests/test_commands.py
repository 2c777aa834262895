"""Every management command, run as people run it: through `call_command` with the words of
the command line (or as a subprocess), never by calling the function behind it.

`embed` is run in tandem/suggestions/tests/test_vectors.py, `import` and `export` in
tandem/people/tests/test_import_export.py; the others are here."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.tests.factories import FAST_PASSWORD_HASHERS
from tandem.core.periodic import periodic_tasks
from tandem.matching.csvio import BOOLEAN_WORDS

ROOT = Path(__file__).resolve().parents[3]

MENTEES = "id,languages,organisation,competitors,manager_email\ne1,en,Acme,Globex,r3\ne2,id,,,\n"
MENTORS = (
    "id;capacity;languages;organisation;paused;accepts_external\n"
    "r1;1;en;Globex;tidak;ya\n"
    "r2;1;id;Umbrella;n;y\n"
    "r3;2;en;Acme;0;1\n"
)


def _files(tmp_path: Path, mentors: str = MENTORS) -> list[str]:
    (tmp_path / "mentees.csv").write_text(MENTEES, encoding="utf-8")
    (tmp_path / "mentors.csv").write_text(mentors, encoding="utf-8")
    return ["--mentees", str(tmp_path / "mentees.csv"), "--mentors", str(tmp_path / "mentors.csv")]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- match --------------------------------------------------------------------------------------


def test_match_writes_the_matches(tmp_path: Path) -> None:
    out = io.StringIO()
    matches = tmp_path / "matches.csv"
    call_command(
        "match", *_files(tmp_path), "--out", str(matches), "--encoder", "lexical", stdout=out
    )
    # r1 works at e1's competitor, r3 is e1's manager; e2 speaks Indonesian: only r2 is left.
    assert {(r["mentee_id"], r["mentor_id"]) for r in _rows(matches)} == {("e1", ""), ("e2", "r2")}
    assert "matched_mentees=1" in out.getvalue()


def test_match_with_scores_and_the_peoples_boolean_words(tmp_path: Path) -> None:
    scores = tmp_path / "scores.csv"
    scores.write_text("mentee_id,mentor_id,score\ne1,r1,0.9\ne2,r2,0.4\n", encoding="utf-8")
    matches = tmp_path / "matches.csv"
    call_command(
        "match",
        *_files(tmp_path),
        *("--scores", str(scores), "--out", str(matches)),
        stdout=io.StringIO(),
    )
    assert {(r["mentee_id"], r["mentor_id"]) for r in _rows(matches)} == {
        ("e1", "r1"),
        ("e2", "r2"),
    }


def test_match_suggests_for_one_mentee(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("match", *_files(tmp_path), "--suggest", "e2", "--top", "3", stdout=out)
    assert out.getvalue().startswith("1. r2")


def test_match_bad_input_names_ids_and_values_and_writes_nothing(tmp_path: Path) -> None:
    scores = tmp_path / "scores.csv"
    scores.write_text(
        "mentee_id,mentor_id,score\ne1,r1,1.5\ne1,r1,0.5\ne9,r2,0.1\n", encoding="utf-8"
    )
    mentors = MENTORS.replace("r2;1;id;Umbrella;n;y", "r2;1;id;Umbrella;maybe;y")
    err = io.StringIO()
    matches = tmp_path / "matches.csv"
    with pytest.raises(CommandError):
        call_command(
            "match",
            *_files(tmp_path, mentors),
            *("--scores", str(scores), "--out", str(matches)),
            stdout=io.StringIO(),
            stderr=err,
        )
    text = err.getvalue()
    assert (
        "mentors.csv:3: paused must be one of true/false, yes/no, y/n, ya/tidak, 1/0, not "
        "'maybe'" in text
    )
    assert (
        "scores.csv:2: score for mentee_id 'e1', mentor_id 'r1' must be a finite number from 0 "
        "to 1, not '1.5'" in text
    )
    assert "scores.csv:3: duplicate pair mentee_id 'e1', mentor_id 'r1' (first on line 2)" in text
    assert "scores.csv:4: unknown mentee_id 'e9'" in text
    assert "nothing written" in text and not matches.exists()


def test_match_takes_every_option_the_core_defines(tmp_path: Path) -> None:
    """The command passes on every option `cli.add_arguments` defines (none copied by hand)."""
    from tandem.matching import cli

    assert {"encoder", "scores", "forbid", "objective", "min_score", "per_mentee", "top"} <= set(
        cli.option_names()
    )
    out = io.StringIO()
    call_command(
        "match",
        *_files(tmp_path),
        *("--out", str(tmp_path / "m.csv"), "--objective", "score", "--min-score", "0"),
        *("--per-mentee", "1", "--top", "5"),
        stdout=out,
    )
    assert "objective=score" in out.getvalue()


def test_one_boolean_vocabulary_for_match_and_the_people_import() -> None:
    from tandem.people.csv.columns import _bool

    parse = _bool(False)
    for true, false in BOOLEAN_WORDS:
        assert parse(true) is True and parse(false) is False
        assert parse(true.upper()) is True


# --- demo, tick, scheduler, compiletranslations --------------------------------------------------


@pytest.mark.django_db
def test_demo_if_empty_loads_once(settings) -> None:
    from tandem.accounts.models import User

    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    users = User.objects.count()
    assert users > 100 and "Demo data loaded" in out.getvalue()
    assert "mentee@demo.tandem.test" in out.getvalue()
    again = io.StringIO()
    call_command("demo", "--if-empty", stdout=again)
    assert "not loading again" in again.getvalue() and "mentee@demo.tandem.test" in again.getvalue()
    assert User.objects.count() == users


@pytest.mark.django_db
def test_tick_enqueues_every_periodic_task() -> None:
    out = io.StringIO()
    call_command("tick", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("recovered 0 stranded tasks")
    names = [line.removeprefix("enqueued ") for line in lines[1:]]
    assert names == [task.module_path for task in periodic_tasks()] and names


@pytest.mark.django_db
def test_scheduler_runs_the_ticks_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    from tandem.core.management.commands import scheduler

    slept: list[float] = []
    monkeypatch.setattr(scheduler.time, "sleep", slept.append)
    out = io.StringIO()
    call_command("scheduler", "--ticks", "2", "--interval", "60", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Scheduler: a tick every 60 s"
    assert len(lines) == 3
    assert all(
        line.startswith(f"tick: {len(periodic_tasks())} periodic tasks enqueued, ")
        for line in lines[1:]
    )
    assert slept == [60]  # between the two ticks, not after the last


def test_compiletranslations_compiles_a_changed_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.core.management.commands import compiletranslations

    po = tmp_path / "django.po"
    shutil.copy(ROOT / "tandem/mentorships/locale/id/LC_MESSAGES/django.po", po)
    monkeypatch.setattr(compiletranslations, "all_catalogues", lambda: [po])
    out = io.StringIO()
    call_command("compiletranslations", stdout=out)
    assert out.getvalue().strip() == f"compiled {po}"
    mo = polib.mofile(str(po.with_suffix(".mo")))
    assert mo.find("A mentorship needs two different people.").msgstr
    again = io.StringIO()
    call_command("compiletranslations", stdout=again)  # up to date: nothing to do
    assert again.getvalue() == ""


def test_the_command_line_runs_match_as_a_subprocess(tmp_path: Path) -> None:
    matches = tmp_path / "matches.csv"
    done = subprocess.run(
        [sys.executable, "-m", "tandem", "match", *_files(tmp_path), "--out", str(matches)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "matched_mentees=1" in done.stdout and matches.exists()
