"""Sparse candidate pairs: top-k mentors per mentee and pricing scans, from a scorer.

A pair source gives the assignment its candidate graph and, after each solve, the pairs whose
reduced cost is positive. `IndexSource` computes scores with a `ScoringIndex` in chunks of
rows (`kernel`), in this process or on a cluster (`distributed`), with NumPy or on a GPU
(`gpu`), and checks rules only on the pairs it keeps; `SparsePairs` serves a given list of
scored pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import numpy.typing as npt

from tandem.matching.kernel import (
    Kernel,
    LocalRunner,
    Runner,
    ScanItem,
    initial_task,
    merge_initial,
    scan_task,
)
from tandem.matching.pairs import (
    BOUND_MARGIN,
    PRICE_CAP,
    SCALE,
    FloatArray,
    IntArray,
    Pairs,
    concat,
    member,
    scaled,
    top_per_row,
)
from tandem.matching.scoring import ScoringIndex

__all__ = [
    "BOUND_MARGIN",
    "PRICE_CAP",
    "SCALE",
    "FloatArray",
    "IndexSource",
    "IntArray",
    "PairSource",
    "Pairs",
    "SparsePairs",
    "concat",
    "member",
    "scaled",
    "top_per_row",
]

Done = Callable[[int], None]
"""Told how many more rows (mentees) a step has finished."""


class PairSource(Protocol):
    """Where an assignment gets its candidate pairs from."""

    n_mentees: int
    n_mentors: int

    def initial(
        self, k: int, min_score: float, progress: Done | None = None
    ) -> tuple[Pairs, FloatArray]:
        """Up to k allowed pairs per mentee, grouped by mentee and best first, and per mentee
        a bound on every other pair's score. `progress` hears of the mentees done."""
        ...

    def lookup(self, i: IntArray, j: IntArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Scores of given pairs and whether each is allowed."""
        ...

    def scan(
        self,
        rows: IntArray,
        price: IntArray,
        cut: IntArray,
        exclude: IntArray,
        min_score: float,
        q: int,
        progress: Done | None = None,
    ) -> tuple[Pairs, int, IntArray]:
        """For each row, up to q allowed pairs with scaled(score) - price[j] > cut[row], best
        first, skipping pair codes in `exclude` (sorted i * n_mentors + j); how many pair
        scores were looked at; and per row an upper bound on scaled(score) - price[j] over
        the allowed pairs neither excluded nor returned. `progress` hears of the rows done."""
        ...


class IndexSource:
    """Pairs scored by a `ScoringIndex`, in chunks of rows, rules checked lazily.

    `runner` decides where the chunks run (this process by default; `distributed.DaskRunner`
    spreads them over a cluster), `device` how they are scored ("auto": a GPU through PyTorch
    where one is present, else NumPy; see `kernel.Kernel`). Every choice gives the same
    pairs, bit for bit.
    """

    def __init__(
        self,
        index: ScoringIndex,
        chunk: int = 1024,
        runner: Runner | None = None,
        device: str = "auto",
    ) -> None:
        self.index = index
        self.n_mentees, self.n_mentors = index.shape
        self.chunk = chunk
        self.runner: Runner = runner or LocalRunner()
        self.kernel = Kernel(
            index.mentee_features, index.mentor_features, index.rules, chunk=chunk, device=device
        )

    def initial(
        self, k: int, min_score: float, progress: Done | None = None
    ) -> tuple[Pairs, FloatArray]:
        """Top-k by score per mentee (then rules), bounded by each row's k-th score."""
        spans = [
            (start, min(start + self.chunk, self.n_mentees))
            for start in range(0, self.n_mentees, self.chunk)
        ]
        results = self.runner.map(
            initial_task,
            self.kernel,
            spans,
            (k, min_score),
            [b - a for a, b in spans],
            progress,
        )
        return merge_initial(results)

    def lookup(self, i: IntArray, j: IntArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Scores of the given pairs, and whether the rules allow them."""
        a = self.index.mentee_features[i]
        b = self.index.mentor_features[j]
        return np.einsum("ij,ij->i", a, b).astype(np.float32), self.index.rules.allowed(i, j)

    def scan(
        self,
        rows: IntArray,
        price: IntArray,
        cut: IntArray,
        exclude: IntArray,
        min_score: float,
        q: int,
        progress: Done | None = None,
    ) -> tuple[Pairs, int, IntArray]:
        """Positive reduced costs among every mentor of the given rows.

        A float32 pre-selection (best 2q per row by score minus price) is checked in exact
        integers; a row whose pre-selection may have missed a violator is examined in full
        (`kernel.Kernel.scan_chunk`). Each chunk gets only the excluded codes of its rows.
        """
        m = self.n_mentors
        price_f = (price / SCALE).astype(np.float32)
        finite = price_f[price < PRICE_CAP]
        top = float(np.abs(finite).max()) if finite.size else 1.0
        slack = 4 * float(np.spacing(np.float32(top + 1.0))) + 1e-5
        items = []
        for start in range(0, rows.size, self.chunk):
            block = rows[start : start + self.chunk]
            lo, hi = np.searchsorted(exclude, [int(block.min()) * m, (int(block.max()) + 1) * m])
            items.append(ScanItem(block, cut[start : start + block.size], exclude[lo:hi]))
        results = self.runner.map(
            scan_task,
            self.kernel,
            items,
            (price, price_f, slack, min_score, q),
            [it.rows.size for it in items],
            progress,
        )
        if not results:
            return Pairs.empty(), 0, np.zeros(0, dtype=np.int64)
        pairs = concat([r[0] for r in results])
        bounds = np.concatenate([r[2] for r in results])
        return pairs, sum(r[1] for r in results), bounds


class SparsePairs:
    """A fixed list of allowed scored pairs (e.g. a scores CSV): nothing outside it exists."""

    def __init__(self, pairs: Pairs, n_mentees: int, n_mentors: int) -> None:
        self.n_mentees, self.n_mentors = n_mentees, n_mentors
        order = np.argsort(pairs.i * n_mentors + pairs.j, kind="stable")
        self.pairs = Pairs(pairs.i[order], pairs.j[order], pairs.score[order])
        self.codes = self.pairs.i * n_mentors + self.pairs.j

    def initial(
        self, k: int, min_score: float, progress: Callable[[int], None] | None = None
    ) -> tuple[Pairs, FloatArray]:
        """Top k listed pairs per mentee and the best score left out per mentee."""
        p = self.pairs
        keep = p.score >= min_score
        r, c, v, _, _ = top_per_row(
            p.i[keep], p.j[keep], p.score[keep], self.n_mentees, k, self.n_mentors
        )
        bound = np.full(self.n_mentees, -np.inf, dtype=np.float32)
        chosen = member(p.i * self.n_mentors + p.j, np.sort(r * self.n_mentors + c))
        rest = keep & ~chosen
        np.maximum.at(bound, p.i[rest], p.score[rest])
        if progress is not None:
            progress(self.n_mentees)
        return Pairs(r, c, v), bound

    def lookup(self, i: IntArray, j: IntArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Scores of listed pairs; pairs not listed are not allowed."""
        codes = i * self.n_mentors + j
        pos = np.searchsorted(self.codes, codes).clip(0, max(0, self.codes.size - 1))
        found = self.codes[pos] == codes if self.codes.size else np.zeros(i.size, dtype=np.bool_)
        score = np.where(found, self.pairs.score[pos] if self.codes.size else 0.0, 0.0)
        return score.astype(np.float32), np.asarray(found)

    def scan(
        self,
        rows: IntArray,
        price: IntArray,
        cut: IntArray,
        exclude: IntArray,
        min_score: float,
        q: int,
        progress: Callable[[int], None] | None = None,
    ) -> tuple[Pairs, int, IntArray]:
        """Positive reduced costs among the listed pairs of the given rows."""
        row_pos = np.full(self.n_mentees, -1, dtype=np.int64)
        row_pos[rows] = np.arange(rows.size)
        p = self.pairs
        mine = row_pos[p.i] >= 0
        i, j, s = p.i[mine], p.j[mine], p.score[mine]
        value = scaled(s) - price[j]
        live = (s >= min_score) & ~member(i * self.n_mentors + j, exclude) & (price[j] < PRICE_CAP)
        ok = live & (value > cut[row_pos[i]])
        r, c, _, _, _ = top_per_row(
            i[ok], j[ok], value[ok].astype(np.float64), self.n_mentees, q, self.n_mentors
        )
        taken = member(i * self.n_mentors + j, np.sort(r * self.n_mentors + c))
        bounds = np.full(rows.size, -PRICE_CAP, dtype=np.int64)
        rest = live & ~taken
        np.maximum.at(bounds, row_pos[i[rest]], value[rest])
        if progress is not None:
            progress(rows.size)
        return Pairs(r, c, self.lookup(r, c)[0]), int(mine.sum()), bounds
