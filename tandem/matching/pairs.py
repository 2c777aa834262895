"""Scored pairs and the primitives every pair source shares: integer costs, tie order, top-k.

Kept apart from `candidates` so that the scoring kernel (`kernel`, `gpu`), which runs on
cluster workers, and the sources that drive it use one definition of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

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


def member(codes: IntArray, table: IntArray) -> npt.NDArray[np.bool_]:
    """Whether each code is in the sorted table."""
    if table.size == 0:
        return np.zeros(codes.shape, dtype=np.bool_)
    pos = np.searchsorted(table, codes).clip(0, table.size - 1)
    return np.asarray(table[pos] == codes)


def slice_rows(n_cols: int) -> int:
    """Rows per slice when a dense float64 copy of rows is needed: about 32 MB a slice."""
    return max(1, (1 << 22) // max(1, n_cols))


def tie_offset(i: IntArray, n_cols: int) -> IntArray:
    """Each mentee's own pseudo-random starting column, for breaking ties (`rotation`)."""
    with np.errstate(over="ignore"):
        h = (i.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
    return (h % np.uint64(max(1, n_cols))).astype(np.int64)


def rotation(i: IntArray, c: IntArray, n_cols: int) -> IntArray:
    """Each mentee's own order of the columns for breaking ties: `(c + offset(i)) % n_cols`.

    Equal scores are common (sparse profiles, a programme of look-alike people). Were ties
    broken by column, every mentee's top-k would name the same few mentors, who fill at once,
    and each pricing round would add the next few to everyone: rounds grow with the number of
    mentors and arcs with n x m. Starting each mentee at its own column spreads the
    candidates over all the tied mentors.
    """
    return np.asarray((c + tie_offset(i, n_cols)) % max(1, n_cols), dtype=np.int64)


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

    Ties are broken by `rotation` of the mentee (`ids[r]`, or `r` itself).
    """
    tie = rotation(r if ids is None else ids[r], c, n_cols).astype(np.uint64)
    rbits = max(1, (n_rows - 1).bit_length())
    room = 32 - rbits
    if v.dtype == np.float32 and rbits <= 24 and max(1, n_cols - 1).bit_length() <= room:
        # One 64-bit key (row, score descending, tie) sorts far faster than a 3-key lexsort.
        # Every key is distinct (the tie is a column order), so the result depends only on
        # the set of entries, never on their order: NumPy, PyTorch and a cluster agree.
        bits = v.view(np.uint32).astype(np.uint64)
        sign = bits >> np.uint64(31)
        ascending = np.where(sign, ~bits & np.uint64(0xFFFFFFFF), bits | np.uint64(1 << 31))
        descending = ~ascending & np.uint64(0xFFFFFFFF)
        key = (r.astype(np.uint64) << np.uint64(64 - rbits)) | (descending << np.uint64(room))
        key |= tie
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


def concat(parts: list[Pairs]) -> Pairs:
    """All the pairs of `parts`, in order."""
    if not parts:
        return Pairs.empty()
    return Pairs(
        np.concatenate([p.i for p in parts]),
        np.concatenate([p.j for p in parts]),
        np.concatenate([p.score for p in parts]).astype(np.float32),
    )
