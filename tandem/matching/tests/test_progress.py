"""Progress of an assignment: plain events to a plain callback, and the terminal bar."""

from __future__ import annotations

import io

import numpy as np

from tandem.matching.assign import assign
from tandem.matching.candidates import IndexSource, Pairs, SparsePairs
from tandem.matching.cli import TerminalProgress
from tandem.matching.progress import Progress
from tandem.matching.scoring import build_index
from tandem.matching.synthetic import cohort


def test_the_callback_hears_candidates_each_round_and_the_end_never_going_back() -> None:
    mentees, mentors = cohort(300, 90, capacity=2, seed=3)
    index = build_index(mentees, mentors, text_dim=32)
    cap = np.array([p.free_slots for p in mentors], dtype=np.int64)
    events: list[Progress] = []
    result = assign(IndexSource(index, chunk=50), cap, k=1, pool=1, progress=events.append)

    candidates = [e for e in events if e.stage == "candidates"]
    assert [e.done for e in candidates] == [0, 50, 100, 150, 200, 250, 300]
    assert {e.total for e in candidates} == {300}
    rounds = result.certificate.rounds
    assert rounds > 1
    assert [e.round for e in events if e.stage == "solve"] == list(range(1, rounds + 1))
    scans = [e for e in events if e.stage == "scan"]
    finished = [e for e in scans if e.done == e.total]
    assert sum(e.total for e in finished) == result.certificate.rows_scanned
    assert events[-1] == Progress("done", 1, 1, rounds)
    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert [e.percent for e in events][-2:] != [100, 100] and events[-1].percent == 100


def test_a_fixed_list_of_pairs_reports_too() -> None:
    pairs = Pairs(np.array([0, 1]), np.array([0, 0]), np.array([0.5, 0.4], dtype=np.float32))
    events: list[Progress] = []
    assign(SparsePairs(pairs, 2, 1), [1], progress=events.append)
    assert events[0] == Progress("candidates", 0, 2, 0)
    assert Progress("candidates", 2, 2, 0) in events
    assert events[-1].stage == "done"


def test_percent_fills_sixty_for_candidates_then_halves_what_is_left_each_round() -> None:
    assert Progress("candidates", 50, 100).percent == 30
    assert Progress("candidates", 100, 100).percent == 60
    assert Progress("solve", 0, 1, 1).percent == 60
    assert Progress("scan", 10, 10, 1).percent == 80
    assert Progress("scan", 10, 10, 2).percent == 90
    assert Progress("scan", 0, 0, 30).percent == 99  # long runs never claim 100 early
    assert Progress("done", 1, 1, 3).percent == 100


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_terminal_bar_names_the_step_and_ends_at_100() -> None:
    err = Terminal()
    bar = TerminalProgress(err)
    for event in [
        Progress("candidates", 0, 2000),
        Progress("candidates", 2000, 2000),
        Progress("solve", 0, 1, 1),
        Progress("scan", 300, 600, 1),
        Progress("done", 1, 1, 1),
    ]:
        bar(event)
    bar.close()
    text = err.getvalue()
    assert "scoring candidates" in text
    assert "certified: 100%" in text
    assert bar.bar.n == 100
