"""`tandem match --workers/--scheduler/--device`, and programme matching on a Dask cluster
(TANDEM_MATCH_SCHEDULER): the same matches as in one process, or a clear error."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from tandem.matching.tests.helpers import require
from tandem.suggestions.checks import match_scheduler_check

FUNCTIONS = ("product", "data", "engineering", "design", "marketing")
LEVELS = ("junior", "mid", "senior", "lead", "director")
GOALS = ("become a product lead", "learn data analytics", "grow as an engineering manager")


def _files(folder: Path, n: int = 240, m: int = 80) -> list[str]:
    """A cohort big enough for several chunks and a pricing round or two."""
    rng = np.random.default_rng(17)
    mentees = ["id,languages,function,seniority,goals"]
    for k in range(n):
        f, s, g = rng.integers(len(FUNCTIONS)), rng.integers(3), rng.integers(len(GOALS))
        mentees.append(f"e{k},en,{FUNCTIONS[f]},{LEVELS[s]},{GOALS[g]}")
    mentors = ["id,capacity,languages,function,seniority,headline"]
    for k in range(m):
        f, s = rng.integers(len(FUNCTIONS)), rng.integers(2, 5)
        mentors.append(f"r{k},{rng.integers(1, 4)},en,{FUNCTIONS[f]},{LEVELS[s]},{GOALS[k % 3]}")
    (folder / "mentees.csv").write_text("\n".join(mentees) + "\n", encoding="utf-8")
    (folder / "mentors.csv").write_text("\n".join(mentors) + "\n", encoding="utf-8")
    return ["--mentees", str(folder / "mentees.csv"), "--mentors", str(folder / "mentors.csv")]


def _match(folder: Path, *extra: str) -> tuple[str, str, bytes]:
    out, err = io.StringIO(), io.StringIO()
    target = folder / f"matches{len(list(folder.glob('matches*')))}.csv"
    call_command("match", *_files(folder), "--out", str(target), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), target.read_bytes()


def test_without_the_extra_workers_and_scheduler_say_which_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    for option in (["--workers", "2"], ["--scheduler", "tcp://127.0.0.1:8786"]):
        err = io.StringIO()
        with pytest.raises(CommandError) as raised:
            call_command(
                "match", *_files(tmp_path), "--out", str(tmp_path / "m.csv"), *option, stderr=err
            )
        assert raised.value.returncode == 2
        missing = 'needs Dask distributed, which is not installed: pip install -e ".[distributed]"'
        assert f"{option[0]}:0: {missing}" in err.getvalue()
        assert not (tmp_path / "m.csv").exists()


def test_bad_cluster_options_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "match",
            *_files(tmp_path),
            *("--out", str(tmp_path / "m.csv"), "--workers", "0"),
            *("--scheduler", "tcp://127.0.0.1:8786"),
            stderr=err,
        )
    text = err.getvalue()
    assert "--workers:0: must be at least 1" in text
    assert "--scheduler:0: cannot be given with --workers" in text
    assert not (tmp_path / "m.csv").exists()


def test_device_cuda_without_a_gpu_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.matching import gpu

    monkeypatch.setattr(gpu, "cuda_available", lambda: False)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "match",
            *_files(tmp_path),
            *("--out", str(tmp_path / "m.csv"), "--device", "cuda"),
            stderr=err,
        )
    assert "--device:0: cuda: no GPU that PyTorch can see" in err.getvalue()


# --- with Dask installed ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A cluster in this process that listens on TCP, as an operator's scheduler would."""
    require("distributed")
    import distributed

    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=":0",  # a free port: never 8787, which another run may hold
        silence_logs=logging.ERROR,
    ) as local:
        yield local


def _executed(cluster: Any) -> int:
    with __import__("distributed").Client(cluster.scheduler_address) as client:
        counts = client.run(lambda dask_worker: dask_worker.state.executed_count)
    return int(sum(counts.values()))


def test_workers_start_a_local_cluster_and_find_the_same_matches(tmp_path: Path) -> None:
    require("distributed")
    here_out, _, here = _match(tmp_path)
    there_out, there_err, there = _match(tmp_path, "--workers", "1")
    assert "scoring on 1 Dask worker(s)" in there_err
    assert there == here  # the same MATCHES.csv, byte for byte (pairs, scores, reasons)
    assert there_out == here_out  # the same total and certificate, gap=0
    assert "gap=0" in here_out


def test_scheduler_uses_an_existing_cluster(tmp_path: Path, cluster: Any) -> None:
    before = _executed(cluster)
    here_out, _, here = _match(tmp_path)
    there_out, there_err, there = _match(tmp_path, "--scheduler", cluster.scheduler_address)
    assert f"scoring on 2 Dask worker(s), 2 thread(s), {cluster.scheduler_address}" in there_err
    assert _executed(cluster) > before
    assert (there, there_out) == (here, here_out)


def test_an_unreachable_scheduler_fails_clearly(tmp_path: Path) -> None:
    require("distributed")
    import dask

    err = io.StringIO()
    # Dask's own setting for how long to try (30 s by default).
    with pytest.raises(CommandError), dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        call_command(
            "match",
            *_files(tmp_path),
            *("--out", str(tmp_path / "m.csv"), "--scheduler", "tcp://127.0.0.1:9"),
            stderr=err,
        )
    assert "could not reach tcp://127.0.0.1:9" in err.getvalue()
    assert not (tmp_path / "m.csv").exists()


# --- programme matching: TANDEM_MATCH_SCHEDULER --------------------------------------------------


@pytest.mark.django_db
def test_cohort_matching_runs_on_the_scheduler_when_the_setting_names_one(
    cluster: Any, settings: Any
) -> None:
    from tandem.suggestions.services import cohort_match
    from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user

    mentees = []
    for k in range(12):
        user = make_user(f"cluster-mentee{k}@example.com")
        make_mentee_profile(user, seniority="junior")
        mentees.append(user)
    mentors = [make_mentor(k, capacity=2) for k in range(5)]
    here = cohort_match(mentees=mentees, mentors=mentors)
    settings.TANDEM_MATCH_SCHEDULER = cluster.scheduler_address
    before = _executed(cluster)
    events: list[Any] = []
    there = cohort_match(mentees=mentees, mentors=mentors, progress=events.append)
    assert _executed(cluster) > before
    assert [(p.mentee.pk, p.mentor.pk, p.score) for p in there.pairs] == [
        (p.mentee.pk, p.mentor.pk, p.score) for p in here.pairs
    ]
    assert there.certificate == here.certificate and there.certificate.gap == 0
    assert events[-1].stage == "done"


def test_the_setting_without_the_extra_stops_startup(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TANDEM_MATCH_SCHEDULER = "tcp://127.0.0.1:8786"
    monkeypatch.setitem(sys.modules, "distributed", None)
    errors = match_scheduler_check()
    assert [e.id for e in errors] == ["suggestions.E003"]
    assert 'pip install -e ".[distributed]"' in (errors[0].hint or "")
    settings.TANDEM_MATCH_SCHEDULER = ""
    assert match_scheduler_check() == []
