"""How far a long assignment has got: plain events for a plain callback (no Django here).

`assign(..., progress=callback)` calls `callback(Progress(...))` as it goes: while it scores
the candidates (mentees done of all), when each round's solve starts, while each round's
pricing scan runs (rows done of the rows that round must scan), and once at the end. The
terminal bar of `tandem match` and a programme run's page both read these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Stage = Literal["candidates", "solve", "scan", "done"]
STAGES: tuple[Stage, ...] = ("candidates", "solve", "scan", "done")

CANDIDATES_SHARE = 0.6
"""Part of the bar for the candidates (one scoring pass over every pair: the bulk of a run)."""
SOLVE_SHARE = 0.4
"""Part of a round spent in its solve, the rest in its pricing scan."""


@dataclass(frozen=True)
class Progress:
    """One step of an assignment: `done` of `total` units of `stage` in round `round`."""

    stage: Stage
    done: int
    total: int
    round: int = 0

    @property
    def fraction(self) -> float:
        """Overall, from 0 to 1, never going back.

        Candidates fill the first 60%. The number of rounds is not known in advance (most
        runs take 2-4), so round r fills half of what is left after round r - 1: [0.6, 0.8),
        [0.8, 0.9), ...; within a round its solve comes first, then its scan.
        """
        if self.stage == "done":
            return 1.0
        part = min(1.0, self.done / self.total) if self.total > 0 else 0.0
        if self.stage == "candidates":
            return CANDIDATES_SHARE * part
        start, end = _round_start(self.round), _round_start(self.round + 1)
        if self.stage == "solve":
            within = SOLVE_SHARE * part
        else:
            within = SOLVE_SHARE + (1 - SOLVE_SHARE) * part
        return end if within >= 1 else start + (end - start) * within

    @property
    def percent(self) -> int:
        """`fraction` in whole percent (100 only when done)."""
        return 100 if self.stage == "done" else min(99, int(self.fraction * 100))


def _round_start(r: int) -> float:
    """Where round r starts on the bar (and round r - 1 ends), one formula for both."""
    return CANDIDATES_SHARE + (1.0 - CANDIDATES_SHARE) * (1 - 0.5 ** (r - 1))


ProgressCallback = Callable[[Progress], None]
