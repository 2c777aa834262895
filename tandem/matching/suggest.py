"""Suggestions for one mentee: the top N allowed mentors, each with a score and reasons."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from tandem.matching.reasons import Reason
from tandem.matching.rules import forbidden_reason
from tandem.matching.scoring import FeatureSpace, explain_features
from tandem.matching.text import Encoder, FloatMatrix
from tandem.matching.types import ForbiddenPairs, Person, Weights


@dataclass(frozen=True)
class Suggestion:
    """One suggested mentor."""

    mentor_id: str
    score: float
    components: dict[str, float]
    reasons: tuple[Reason, ...]


@dataclass
class MentorIndex:
    """Mentors' feature rows, kept warm between requests."""

    mentors: Sequence[Person]
    space: FeatureSpace
    features: FloatMatrix

    @classmethod
    def build(
        cls,
        mentors: Sequence[Person],
        weights: Weights | None = None,
        encoder: Encoder | None = None,
        text_dim: int = 512,
    ) -> MentorIndex:
        """Fit vocabularies and encoder on the mentors and compute their rows."""
        space = FeatureSpace.fit(mentors, weights, encoder, text_dim)
        return cls(mentors, space, space.mentor_features(mentors))


def suggest(
    index: MentorIndex,
    mentee: Person,
    n: int = 10,
    not_for_me: Collection[str] = (),
    forbidden: ForbiddenPairs = frozenset(),
    min_score: float = 0.0,
) -> list[Suggestion]:
    """The best `n` mentors the rules allow, best first, skipping those marked "not for me"."""
    row = index.space.mentee_features([mentee])[0]
    # One row: NumPy's own loop beats a threaded BLAS call, which waits on busy cores.
    scores = np.einsum("ij,j->i", index.features, row)
    m = scores.size
    width = min(m, 4 * n + 16)
    chosen: list[int] = []
    while True:
        top = np.argpartition(scores, m - width)[m - width :] if width < m else np.arange(m)
        top = top[np.argsort(-scores[top], kind="stable")]
        chosen = [
            int(j)
            for j in top
            if scores[j] >= min_score
            and index.mentors[j].id not in not_for_me
            and forbidden_reason(mentee, index.mentors[j], forbidden) is None
        ][:n]
        if len(chosen) == n or width == m or scores[top[-1]] < min_score:
            break
        width = min(m, width * 4)
    out = []
    for j in chosen:
        mentor = index.mentors[j]
        explanation = explain_features(index.space, mentee, mentor, row, index.features[j])
        out.append(
            Suggestion(mentor.id, explanation.score, explanation.components, explanation.reasons)
        )
    return out
