"""Sparse candidate pairs: top-k mentors per mentee and pricing scans, from a scorer.

A pair source gives the assignment its candidate graph and, after each solve, the pairs whose
reduced cost is positive. `IndexSource` computes scores with `ScoringIndex` in row chunks and
checks rules only on the pairs it keeps; `SparsePairs` serves a given list of scored pairs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from tandem.matching.scoring import ScoringIndex

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
SCALE = 1_000_000
"""Scores become integers `rint(score * SCALE)`, the same in the solver and in every check."""
BOUND_MARGIN = 1e-4
"""Slack added to a row's bound for float32 rounding between two evaluations of one pair."""
PRICE_CAP = 2**60
"""Price of a mentor who can take nobody: no pair with them ever has a positive reduced cost."""


def scaled(scores: npt.ArrayLike) -> IntArray:
    """Integer costs of scores; the one conversion used everywhere."""
    return np.rint(np.asarray(scores, dtype=np.float64) * SCALE).astype(np.int64)


@dataclass
class Pairs:
    """Scored pairs (mentee index, mentor index, score)."""

    i: IntArray
    j: IntArray
    score: FloatArray

    @classmethod
    def empty(cls) -> Pairs:
        """No pairs."""
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z.copy(), np.zeros(0, dtype=np.float32))

    def __len__(self) -> int:
        return int(self.i.size)

    def subset(self, which: npt.NDArray[Any]) -> Pairs:
        """The pairs a boolean mask or an index array picks."""
        return Pairs(self.i[which], self.j[which], self.score[which])


class PairSource(Protocol):
    """Where an assignment gets its candidate pairs from."""

    n_mentees: int
    n_mentors: int

    def initial(self, k: int, min_score: float) -> tuple[Pairs, FloatArray]:
        """Up to k allowed pairs per mentee, grouped by mentee and best first, and per mentee
        a bound on every other pair's score."""
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
    ) -> tuple[Pairs, int, IntArray]:
        """For each row, up to q allowed pairs with scaled(score) - price[j] > cut[row], best
        first, skipping pair codes in `exclude` (sorted i * n_mentors + j); how many pair
        scores were looked at; and per row an upper bound on scaled(score) - price[j] over
        the allowed pairs neither excluded nor returned."""
        ...


def member(codes: IntArray, table: IntArray) -> npt.NDArray[np.bool_]:
    """Whether each code is in the sorted table."""
    if table.size == 0:
        return np.zeros(codes.shape, dtype=np.bool_)
    pos = np.searchsorted(table, codes).clip(0, table.size - 1)
    return np.asarray(table[pos] == codes)


def _slice_rows(n_cols: int) -> int:
    """Rows per slice when a dense float64 copy of rows is needed: about 32 MB a slice."""
    return max(1, (1 << 22) // max(1, n_cols))


def _offset(i: IntArray, n_cols: int) -> IntArray:
    """Each mentee's own pseudo-random starting column, for breaking ties (`_rotation`)."""
    with np.errstate(over="ignore"):
        h = (i.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
    return (h % np.uint64(max(1, n_cols))).astype(np.int64)


def _rotation(i: IntArray, c: IntArray, n_cols: int) -> IntArray:
    """Each mentee's own order of the columns for breaking ties: `(c + offset(i)) % n_cols`.

    Equal scores are common (sparse profiles, a programme of look-alike people). Were ties
    broken by column, every mentee's top-k would name the same few mentors, who fill at once,
    and each pricing round would add the next few to everyone: rounds grow with the number of
    mentors and arcs with n x m. Starting each mentee at its own column spreads the
    candidates over all the tied mentors.
    """
    return np.asarray((c + _offset(i, n_cols)) % max(1, n_cols), dtype=np.int64)


def top_per_row(
    r: IntArray,
    c: IntArray,
    v: npt.NDArray[Any],
    n_rows: int,
    k: int,
    n_cols: int,
    ids: IntArray | None = None,
) -> tuple[IntArray, IntArray, npt.NDArray[Any], FloatArray, IntArray]:
    """Best k entries per row from a ragged set; also each row's k-th value and count.

    Ties are broken by `_rotation` of the mentee (`ids[r]`, or `r` itself).
    """
    tie = _rotation(r if ids is None else ids[r], c, n_cols).astype(np.uint64)
    rbits = max(1, (n_rows - 1).bit_length())
    if v.dtype == np.float32 and rbits <= 24:
        # One 64-bit key (row, score descending, tie) sorts far faster than a 3-key lexsort.
        bits = v.view(np.uint32).astype(np.uint64)
        sign = bits >> np.uint64(31)
        ascending = np.where(sign, ~bits & np.uint64(0xFFFFFFFF), bits | np.uint64(1 << 31))
        descending = ~ascending & np.uint64(0xFFFFFFFF)
        room = 32 - rbits
        spare = max(0, max(1, n_cols - 1).bit_length() - room)
        key = (r.astype(np.uint64) << np.uint64(64 - rbits)) | (descending << np.uint64(room))
        key |= tie >> np.uint64(spare)
        order = np.argsort(key)
    else:
        order = np.lexsort((tie, -v, r))
    r, c, v = r[order], c[order], v[order]
    counts = np.bincount(r, minlength=n_rows)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(r.size) - starts[r]
    keep = rank < k
    kth = np.full(n_rows, -np.inf, dtype=np.float32)
    at_k = rank == k - 1
    kth[r[at_k]] = v[at_k]
    return r[keep], c[keep], v[keep], kth, counts


class IndexSource:
    """Pairs scored by a `ScoringIndex`, in chunks of rows, rules checked lazily."""

    def __init__(
        self,
        index: ScoringIndex,
        chunk: int = 1024,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.index = index
        self.n_mentees, self.n_mentors = index.shape
        self.chunk = chunk
        self.progress = progress
        self._inactive = np.flatnonzero(~index.rules.mentor_active)

    def _scores(self, rows: IntArray) -> FloatArray:
        s = self.index.score_rows(rows)
        if self._inactive.size:
            s[:, self._inactive] = -np.inf
        return s

    def _select(
        self, s: FloatArray, k: int, ids: IntArray
    ) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
        """Top k columns per row of a dense block (rules not applied) and the k-th values.

        `ids` are the block's mentee indices, for breaking ties (`_rotation`).
        """
        n_rows, m = s.shape
        if m <= 4 * k:
            r, c = np.nonzero(np.isfinite(s))
            top = top_per_row(r, c, s[r, c], n_rows, k, m, ids)
            return top[0], top[1], top[2], top[3]
        step = 16 if m >= 64 * k else 1
        # Enough sampled columns that a row rarely has fewer than k entries above the
        # threshold (those take the exact route): 5x for small k, 2x for large ones.
        q = max(4, math.ceil(min(5 * k, 2 * k + 96) / step))
        sample = s[:, ::step]
        q = min(q, sample.shape[1])
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
            step_rows = _slice_rows(m)
            rs_parts, cs_parts = [r], [c]
            for at in range(0, exact.size, step_rows):
                some = exact[at : at + step_rows]
                rot = (cols[None, :] + _offset(ids[some], m)[:, None]) % m
                key = s[some].astype(np.float64) - rot * (2.0**-24 / m)
                del rot
                rs_parts.append(np.repeat(some, k))
                cs_parts.append(np.argpartition(key, m - k, axis=1)[:, m - k :].ravel())
            r = np.concatenate(rs_parts)
            c = np.concatenate(cs_parts)
            v = s[r, c]
        r_top, c_top, v_top, kth, _ = top_per_row(r, c, v, n_rows, k, m, ids)
        return r_top, c_top, v_top, kth

    def initial(self, k: int, min_score: float) -> tuple[Pairs, FloatArray]:
        """Top-k by score per mentee (then rules), bounded by each row's k-th score."""
        parts: list[Pairs] = []
        bound = np.full(self.n_mentees, -np.inf, dtype=np.float32)
        for start in range(0, self.n_mentees, self.chunk):
            rows = np.arange(start, min(start + self.chunk, self.n_mentees), dtype=np.int64)
            r, c, v, kth = self._select(self._scores(rows), k, rows)
            i = rows[r]
            ok = np.isfinite(v) & (v >= min_score) & self.index.rules.allowed(i, c)
            parts.append(Pairs(i[ok], c[ok].astype(np.int64), v[ok]))
            bound[rows] = kth
            if self.progress:
                self.progress(rows.size)
        return concat(parts), bound

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
    ) -> tuple[Pairs, int, IntArray]:
        """Positive reduced costs among every mentor of the given rows.

        A float32 pre-selection (best 2q per row by score minus price) is checked in exact
        integers; a row whose pre-selection may have missed a violator is examined in full.
        """
        parts: list[Pairs] = []
        bounds = np.empty(rows.size, dtype=np.int64)
        seen = 0
        m = self.n_mentors
        price_f = (price / SCALE).astype(np.float32)
        finite = price_f[price < PRICE_CAP]
        top = float(np.abs(finite).max()) if finite.size else 1.0
        slack = 4 * float(np.spacing(np.float32(top + 1.0))) + 1e-5
        for start in range(0, rows.size, self.chunk):
            block = rows[start : start + self.chunk]
            cut_b = cut[start : start + block.size]
            s = self.index.score_rows(block)
            seen += s.size
            t = s - price_f[None, :]
            r, c, _, kth = self._select(t, min(2 * q, m), block)
            lr, lc, lv = self._live(block, s, r, c, price, exclude, min_score)
            counts = np.bincount(lr[lv > cut_b[lr]], minlength=block.size)
            loose = (counts < q) & (kth > (cut_b / SCALE - slack))
            full_rows = np.flatnonzero(loose)
            capped = np.full(block.size, -np.inf)
            if full_rows.size:
                other = ~loose[lr]
                found = [(lr[other], lc[other], lv[other])]
                step_rows = _slice_rows(m)
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
            r_top, c_top, _, _, _ = top_per_row(
                lr[wins], lc[wins], lv[wins], block.size, q, m, block
            )
            parts.append(Pairs(block[r_top], c_top, s[r_top, c_top]))
            # What stays outside: live pairs not taken, the pre-selection's cut-off, and for
            # rows examined in full, everything below cut (never above it).
            rest = ~member(lr * m + lc, np.sort(r_top * m + c_top))
            left = np.full(block.size, -1e300)
            np.maximum.at(left, lr[rest], lv[rest])
            beyond = np.where(np.isfinite(kth), (kth.astype(np.float64) + slack) * SCALE, -1e300)
            beyond = np.where(loose, np.maximum(cut_b.astype(np.float64), capped), beyond)
            bound = np.ceil(np.maximum(left, beyond)).clip(-PRICE_CAP, PRICE_CAP)
            bounds[start : start + block.size] = bound.astype(np.int64)
        return concat(parts), seen, bounds

    def _full_rows(
        self,
        block: IntArray,
        s: FloatArray,
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
        exact = np.rint(s[rows].astype(np.float64) * SCALE)
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
        s: FloatArray,
        r: IntArray,
        c: IntArray,
        price: IntArray,
        exclude: IntArray,
        min_score: float,
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
        """Entries (r, c) of a block that could still join the graph, with scaled(s) - price."""
        i, c = block[r], c.astype(np.int64)
        v = s[r, c]
        value = (scaled(v) - price[c]).astype(np.float64)
        ok = (v >= min_score) & ~member(i * self.n_mentors + c, exclude) & (price[c] < PRICE_CAP)
        ok &= self.index.rules.allowed(i, c)
        return r[ok], c[ok], value[ok]


class SparsePairs:
    """A fixed list of allowed scored pairs (e.g. a scores CSV): nothing outside it exists."""

    def __init__(self, pairs: Pairs, n_mentees: int, n_mentors: int) -> None:
        self.n_mentees, self.n_mentors = n_mentees, n_mentors
        order = np.argsort(pairs.i * n_mentors + pairs.j, kind="stable")
        self.pairs = Pairs(pairs.i[order], pairs.j[order], pairs.score[order])
        self.codes = self.pairs.i * n_mentors + self.pairs.j

    def initial(self, k: int, min_score: float) -> tuple[Pairs, FloatArray]:
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
        return Pairs(r, c, self.lookup(r, c)[0]), int(mine.sum()), bounds


def concat(parts: list[Pairs]) -> Pairs:
    """All the pairs of `parts`, in order."""
    if not parts:
        return Pairs.empty()
    return Pairs(
        np.concatenate([p.i for p in parts]),
        np.concatenate([p.j for p in parts]),
        np.concatenate([p.score for p in parts]).astype(np.float32),
    )
