"""Scoring and selection on chunks of mentee rows: the unit of work that can run anywhere.

A `Kernel` holds what scoring needs (both sides' feature rows, the rules, the mentors who
take nobody) and nothing that cannot travel: it is pickled to cluster workers as it is.
`initial_task` and `scan_task` do the work of `IndexSource.initial` and `.scan` for a list
of chunks; the single-process loop, a Dask cluster (`distributed`) and a GPU (`gpu`) call the
same functions on the same chunks. Features are exact in float32 (`scoring.MENTEE_GRID`) and
`top_per_row` depends only on the set of entries it is given, so every way of running them
gives the same pairs, bit for bit.

The score block of a chunk lives where it was computed (a NumPy array, or a PyTorch tensor on
the GPU): selection happens there, and only the pairs kept come back to the host.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from tandem.matching.pairs import (
    PRICE_CAP,
    SCALE,
    FloatArray,
    IntArray,
    Pairs,
    concat,
    member,
    scaled,
    slice_rows,
    tie_offset,
    top_per_row,
)
from tandem.matching.rules import RuleTable

Selected = tuple[IntArray, IntArray, FloatArray, FloatArray]
"""Rows (within the block), columns, values and each row's k-th value."""


class ScoreBlock(Protocol):
    """Scores of a chunk of mentees against every mentor, wherever they were computed."""

    shape: tuple[int, int]

    def select(self, k: int, ids: IntArray, minus: FloatArray | None = None) -> Selected:
        """Each row's best k entries of `scores - minus` (ties by `rotation` of `ids`)."""
        ...

    def at(self, r: IntArray, c: IntArray) -> FloatArray:
        """The scores at (r, c), on the host."""
        ...

    def rows(self, which: IntArray) -> FloatArray:
        """Whole rows, dense, on the host."""
        ...


def select_top(s: FloatArray, k: int, ids: IntArray) -> Selected:
    """Top k columns per row of a dense block (rules not applied) and the k-th values.

    A strided sample gives each row a threshold, one `>=` pass and `flatnonzero` pick the
    entries above it; rows with too few (or a wide tie) take an exact route. `gpu.select_top`
    is this function in PyTorch, step for step: keep them in step.
    """
    n_rows, m = s.shape
    if m <= 4 * k:
        r, c = np.nonzero(np.isfinite(s))
        top = top_per_row(r, c, s[r, c], n_rows, k, m, ids)
        return top[0], top[1], top[2], top[3]
    step, q = sample_plan(m, k)
    sample = s[:, ::step]
    tau = np.partition(sample, sample.shape[1] - q, axis=1)[:, sample.shape[1] - q]
    above = s >= tau[:, None]
    counts = np.count_nonzero(above, axis=1)
    # Rows with too few entries above the sampled threshold, or far too many (a wide tie
    # at the threshold), take the exact route below instead.
    exact = np.flatnonzero((counts < k) | (counts > 16 * k + 64))
    if exact.size:
        above[exact] = False
    flat = np.flatnonzero(above)
    del above
    r, c = np.divmod(flat, m)
    v = s.ravel()[flat]
    if exact.size:
        # The k largest per row of the score less a jitter, smaller than any gap between
        # two scores, that breaks ties the way `top_per_row` does.
        # In slices of rows, so that a block of wide ties stays small in memory.
        cols = np.arange(m, dtype=np.int64)
        step_rows = slice_rows(m)
        rs_parts, cs_parts = [r], [c]
        for at in range(0, exact.size, step_rows):
            some = exact[at : at + step_rows]
            rot = (cols[None, :] + tie_offset(ids[some], m)[:, None]) % m
            key = s[some].astype(np.float64) - rot * jitter(m)
            del rot
            rs_parts.append(np.repeat(some, k))
            cs_parts.append(np.argpartition(key, m - k, axis=1)[:, m - k :].ravel())
        r = np.concatenate(rs_parts)
        c = np.concatenate(cs_parts)
        v = s[r, c]
    r_top, c_top, v_top, kth, _ = top_per_row(r, c, v, n_rows, k, m, ids)
    return r_top, c_top, v_top, kth


def sample_plan(m: int, k: int) -> tuple[int, int]:
    """Column stride of the sample and which of its largest values is the threshold."""
    step = 16 if m >= 64 * k else 1
    # Enough sampled columns that a row rarely has fewer than k entries above the
    # threshold (those take the exact route): 5x for small k, 2x for large ones.
    q = max(4, math.ceil(min(5 * k, 2 * k + 96) / step))
    return step, min(q, len(range(0, m, step)))


def jitter(m: int) -> float:
    """Tie-breaking step per rotated column in the exact route (below any score gap)."""
    return 2.0**-24 / m


@dataclass
class NumpyScores:
    """A score block as a NumPy array on the host."""

    s: FloatArray
    shape: tuple[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.shape = (int(self.s.shape[0]), int(self.s.shape[1]))

    def select(self, k: int, ids: IntArray, minus: FloatArray | None = None) -> Selected:
        return select_top(self.s if minus is None else self.s - minus[None, :], k, ids)

    def at(self, r: IntArray, c: IntArray) -> FloatArray:
        return np.asarray(self.s[r, c], dtype=np.float32)

    def rows(self, which: IntArray) -> FloatArray:
        return np.asarray(self.s[which], dtype=np.float32)


@dataclass
class Kernel:
    """What scoring a chunk needs, and where the scores are computed.

    `device` is "numpy", "cuda" (PyTorch on the GPU) or "torch-cpu" (PyTorch on CPU
    tensors: the tests' way to run the GPU code without a GPU); "auto" picks "cuda" where
    PyTorch sees one, else "numpy", in each process that runs the kernel.
    """

    mentee_features: FloatArray
    mentor_features: FloatArray
    rules: RuleTable
    chunk: int = 1024
    device: str = "auto"
    inactive: IntArray = field(init=False)
    _scorer: Any = field(default=None, init=False, repr=False, compare=False)
    _device: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.inactive = np.flatnonzero(~self.rules.mentor_active)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_scorer"] = None  # tensors stay on the device they were made on
        state["_device"] = None  # "auto" is decided again in each process
        return state

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.mentee_features.shape[0]), int(self.mentor_features.shape[0])

    def resolved_device(self) -> str:
        """The device this process uses ("auto" resolved here)."""
        if self._device is None:
            if self.device != "auto":
                self._device = self.device
            else:
                from tandem.matching import gpu

                self._device = "cuda" if gpu.cuda_available() else "numpy"
        return self._device

    def scores(self, rows: IntArray, inactive: bool) -> ScoreBlock:
        """The chunk's scores; with `inactive`, mentors who take nobody score -inf."""
        device = self.resolved_device()
        if device == "numpy":
            s = np.asarray(self.mentee_features[rows] @ self.mentor_features.T, dtype=np.float32)
            if inactive and self.inactive.size:
                s[:, self.inactive] = -np.inf
            return NumpyScores(s)
        if self._scorer is None:
            from tandem.matching import gpu

            self._scorer = gpu.TorchScorer(self.mentor_features, self.inactive, device)
        block: ScoreBlock = self._scorer.scores(self.mentee_features[rows], inactive)
        return block

    # --- the two kinds of work ------------------------------------------------------------

    def initial_chunk(self, start: int, stop: int, k: int, min_score: float) -> tuple[Pairs, Any]:
        """Top-k allowed pairs of mentees start..stop-1 and each row's k-th score."""
        rows = np.arange(start, stop, dtype=np.int64)
        r, c, v, kth = self.scores(rows, inactive=True).select(k, rows)
        i = rows[r]
        ok = np.isfinite(v) & (v >= min_score) & self.rules.allowed(i, c)
        return Pairs(i[ok], c[ok].astype(np.int64), v[ok]), kth

    def scan_chunk(
        self,
        item: ScanItem,
        price: IntArray,
        price_f: FloatArray,
        slack: float,
        min_score: float,
        q: int,
    ) -> tuple[Pairs, int, IntArray]:
        """`IndexSource.scan` for one chunk of rows (see there)."""
        block, cut_b, exclude = item.rows, item.cut, item.exclude
        m = self.shape[1]
        s = self.scores(block, inactive=False)
        seen = block.size * m
        r, c, _, kth = s.select(min(2 * q, m), block, minus=price_f)
        lr, lc, lv = self._live(block, s, r, c, price, exclude, min_score)
        counts = np.bincount(lr[lv > cut_b[lr]], minlength=block.size)
        loose = (counts < q) & (kth > (cut_b / SCALE - slack))
        full_rows = np.flatnonzero(loose)
        capped = np.full(block.size, -np.inf)
        if full_rows.size:
            other = ~loose[lr]
            found = [(lr[other], lc[other], lv[other])]
            step_rows = slice_rows(m)
            for at in range(0, full_rows.size, step_rows):
                some = full_rows[at : at + step_rows]
                er, ec, ev, capped[some] = self._full_rows(
                    block, s, some, price, cut_b[some], exclude, min_score, q
                )
                found.append((er, ec, ev))
            lr = np.concatenate([f[0] for f in found])
            lc = np.concatenate([f[1] for f in found])
            lv = np.concatenate([f[2] for f in found])
        wins = lv > cut_b[lr]
        r_top, c_top, _, _, _ = top_per_row(lr[wins], lc[wins], lv[wins], block.size, q, m, block)
        pairs = Pairs(block[r_top], c_top, s.at(r_top, c_top))
        # What stays outside: live pairs not taken, the pre-selection's cut-off, and for
        # rows examined in full, everything below cut (never above it).
        rest = ~member(lr * m + lc, np.sort(r_top * m + c_top))
        left = np.full(block.size, -1e300)
        np.maximum.at(left, lr[rest], lv[rest])
        beyond = np.where(np.isfinite(kth), (kth.astype(np.float64) + slack) * SCALE, -1e300)
        beyond = np.where(loose, np.maximum(cut_b.astype(np.float64), capped), beyond)
        bound = np.ceil(np.maximum(left, beyond)).clip(-PRICE_CAP, PRICE_CAP)
        return pairs, seen, bound.astype(np.int64)

    def _full_rows(
        self,
        block: IntArray,
        s: ScoreBlock,
        rows: IntArray,
        price: IntArray,
        cut: IntArray,
        exclude: IntArray,
        min_score: float,
        q: int,
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Every column of the given rows (of the block) checked exactly, all rows at once.

        Returns the live pairs above the cut and, per row, a bound on the pairs above the cut
        left out (-inf when none is): a row with many such pairs keeps only its best `4q + 32`
        (enough when at least q of them are live; otherwise it keeps them all).
        Dense and in float64, which holds these integers exactly (prices of PRICE_CAP may
        round, but `_live` drops those mentors anyway).
        """
        exact = np.rint(s.rows(rows).astype(np.float64) * SCALE)
        exact -= price.astype(np.float64)[None, :]
        above = exact > cut.astype(np.float64)[:, None]
        counts = np.count_nonzero(above, axis=1)
        width = 4 * q + 32
        capped = np.full(rows.size, -np.inf)
        many = np.flatnonzero(counts > width)
        parts: list[tuple[IntArray, IntArray, npt.NDArray[np.float64]]] = []
        if many.size:
            m = exact.shape[1]
            best = np.argpartition(exact[many], m - width, axis=1)[:, m - width :]
            br = np.repeat(many, width)
            bc = best.ravel()
            er, ec, ev = self._live(block, s, rows[br], bc, price, exclude, min_score)
            live = np.bincount(np.searchsorted(rows, er), minlength=rows.size)
            fine = many[live[many] >= q]
            keep = np.isin(er, rows[fine])
            parts.append((er[keep], ec[keep], ev[keep]))
            floor = exact[many[:, None], best].min(axis=1)
            capped[fine] = floor[np.searchsorted(many, fine)]
            above[fine] = False
        fr, fc = np.nonzero(above)
        del exact, above
        parts.append(self._live(block, s, rows[fr], fc, price, exclude, min_score))
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
            capped,
        )

    def _live(
        self,
        block: IntArray,
        s: ScoreBlock,
        r: IntArray,
        c: IntArray,
        price: IntArray,
        exclude: IntArray,
        min_score: float,
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
        """Entries (r, c) of a block that could still join the graph, with scaled(s) - price."""
        i, c = block[r], c.astype(np.int64)
        v = s.at(r, c)
        value = (scaled(v) - price[c]).astype(np.float64)
        m = self.shape[1]
        ok = (v >= min_score) & ~member(i * m + c, exclude) & (price[c] < PRICE_CAP)
        ok &= self.rules.allowed(i, c)
        return r[ok], c[ok], value[ok]


@dataclass(frozen=True)
class ScanItem:
    """One chunk of a scan: its rows, their cuts, and the excluded pair codes among them."""

    rows: IntArray
    cut: IntArray
    exclude: IntArray


def initial_task(
    kernel: Kernel, spans: Sequence[tuple[int, int]], k: int, min_score: float
) -> list[tuple[Pairs, Any]]:
    """`Kernel.initial_chunk` for each (start, stop): one task's worth of chunks."""
    return [kernel.initial_chunk(a, b, k, min_score) for a, b in spans]


def scan_task(
    kernel: Kernel,
    items: Sequence[ScanItem],
    price: IntArray,
    price_f: FloatArray,
    slack: float,
    min_score: float,
    q: int,
) -> list[tuple[Pairs, int, IntArray]]:
    """`Kernel.scan_chunk` for each chunk of rows: one task's worth."""
    return [kernel.scan_chunk(it, price, price_f, slack, min_score, q) for it in items]


T = TypeVar("T")
R = TypeVar("R")


class Runner(Protocol):
    """Runs a task function over items, in chunks' order; reports each item's weight done."""

    def map(
        self,
        fn: Callable[..., list[R]],
        kernel: Kernel,
        items: Sequence[T],
        shared: tuple[Any, ...],
        weights: Sequence[int],
        done: Callable[[int], None] | None,
    ) -> list[R]:
        """`fn(kernel, some_items, *shared)` over the items; one result per item, in order."""
        ...

    def describe(self) -> str:
        """Where the work runs, in a few words."""
        ...


class LocalRunner:
    """This process, one chunk after the other (the default)."""

    def map(
        self,
        fn: Callable[..., list[R]],
        kernel: Kernel,
        items: Sequence[T],
        shared: tuple[Any, ...],
        weights: Sequence[int],
        done: Callable[[int], None] | None,
    ) -> list[R]:
        out: list[R] = []
        for item, weight in zip(items, weights, strict=True):
            out.extend(fn(kernel, [item], *shared))
            if done is not None:
                done(weight)
        return out

    def describe(self) -> str:
        return "this process"


def merge_initial(results: list[tuple[Pairs, Any]]) -> tuple[Pairs, FloatArray]:
    """The chunks' pairs in order, and their k-th scores end to end."""
    if not results:
        return Pairs.empty(), np.zeros(0, dtype=np.float32)
    kth = np.concatenate([np.asarray(r[1], dtype=np.float32) for r in results])
    return concat([r[0] for r in results]), kth
