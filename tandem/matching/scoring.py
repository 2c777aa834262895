"""Pair scores in [0, 1]: a weighted sum of named components, vectorised as one matmul.

Every component is a dot product between a mentee feature block and a mentor feature block,
so the score of many pairs is `A[rows] @ B.T` with the weights folded into `A`. Rules are
checked lazily on the pairs that matter (see `rules.RuleTable`), never as a dense mask.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tandem.matching.reasons import Reason
from tandem.matching.rules import RuleTable
from tandem.matching.text import Encoder, FloatMatrix, HashedNgramEncoder
from tandem.matching.types import (
    COMPONENTS,
    SENIORITY_LADDER,
    WORK_STYLE_AXES,
    ForbiddenPairs,
    Person,
    Weights,
)

ORG_BUCKETS = 32
LEVELS = len(SENIORITY_LADDER)
FULL_HOURS = 8.0
"""Hours a month at which availability counts as full."""
MENTEE_GRID = 4096.0
MENTOR_GRID = 1024.0
"""Feature values are rounded to multiples of 1/4096 (mentees, weighted) and 1/1024 (mentors):
every product then fits 22 bits and every partial sum of a score (below 4 in size) is exact
in float32, so a pair scores the same bit for bit in any chunk, order or BLAS kernel (the
certificate relies on it)."""


def seniority_fit(
    mentee_level: int, target: int, mentor_level: int, peer: bool, rev: bool
) -> float:
    """Fit of a mentor's level: more senior by default, peers or reverse when both allow it."""
    if mentor_level > mentee_level:
        return max(0.25, 1.0 - 0.25 * abs(mentor_level - target))
    if mentor_level == mentee_level:
        return 0.6 if peer else 0.0
    return 0.5 if rev else 0.0


def _target(person: Person) -> int:
    preferred = person.preferred_mentor_seniority
    return preferred if preferred is not None else min(LEVELS, person.seniority + 2)


@functools.cache
def _seniority_table() -> FloatMatrix:
    """Fit by [mentee level, target, mentee peer, mentee reverse] for each mentor code."""
    out = np.zeros((LEVELS, LEVELS, 2, 2, LEVELS * 4), dtype=np.float32)
    for a, t, pa, ra, code in itertools.product(
        range(LEVELS), range(LEVELS), range(2), range(2), range(LEVELS * 4)
    ):
        level, pb, rb = code // 4, (code >> 1) & 1, code & 1
        out[a, t, pa, ra, code] = seniority_fit(
            a + 1, t + 1, level + 1, bool(pa and pb), bool(ra and rb)
        )
    return out


def _history(person: Person) -> tuple[list[str], list[str], list[str]]:
    functions = [r.function for r in person.career if r.function]
    industries = [r.industry for r in person.career if r.industry]
    orgs = [r.organisation for r in person.career if r.organisation]
    functions += [person.function] if person.function else []
    industries += [person.industry] if person.industry else []
    orgs += [person.organisation] if person.organisation else []
    return functions, industries, orgs


def transitions(person: Person) -> set[tuple[str, str]]:
    """Moves between functions along the career history, e.g. (engineering, product)."""
    functions, _, _ = _history(person)
    return {(a, b) for a, b in itertools.pairwise(functions) if a != b}


def _coords(rows: Sequence[Iterable[str]], vocab: dict[str, int]) -> tuple[list[int], list[int]]:
    pairs = [(r, vocab[item]) for r, items in enumerate(rows) for item in items if item in vocab]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _bag(
    rows: Sequence[Iterable[str]], vocab: dict[str, int], unit: bool, scale: float = 1.0
) -> FloatMatrix:
    """Item counts per row over `vocab`, divided by the norm (unit) or the count of all the
    row's items, known or not, times `scale`."""
    lists = [list(items) for items in rows]
    out = np.zeros((len(lists), len(vocab)), dtype=np.float32)
    r, c = _coords(lists, vocab)
    np.add.at(out, (np.array(r, dtype=np.int64), np.array(c, dtype=np.int64)), 1.0)
    if unit:
        norms = [
            math.sqrt(
                len(items)
                if len(set(items)) == len(items)
                else sum(n * n for n in Counter(items).values())
            )
            for items in lists
        ]
    else:
        norms = [float(len(items)) for items in lists]
    den = np.array(norms, dtype=np.float32)[:, None]
    np.divide(out, den, out=out, where=den > 0)
    return out * np.float32(scale)


def _onehot(rows: Sequence[Iterable[str]], vocab: dict[str, int]) -> FloatMatrix:
    out = np.zeros((len(rows), len(vocab)), dtype=np.float32)
    r, c = _coords(rows, vocab)
    out[np.array(r, dtype=np.int64), np.array(c, dtype=np.int64)] = 1.0
    return out


def _vocab(rows: Iterable[Iterable[str]]) -> dict[str, int]:
    words = sorted({w for items in rows for w in items})
    return {w: i for i, w in enumerate(words)}


@functools.cache
def _org_bucket(org: str) -> str:
    return str(zlib.crc32(org.casefold().encode()) % ORG_BUCKETS)


def _career_rows(people: Sequence[Person]) -> list[list[list[str]]]:
    """Per career part (functions, industries, hashed organisations), the items of each person."""
    hist = [_history(p) for p in people]
    return [
        [h[0] for h in hist],
        [h[1] for h in hist],
        [[_org_bucket(o) for o in h[2]] for h in hist],
    ]


def _angles(people: Sequence[Person]) -> npt.NDArray[np.float64]:
    return np.array([p.utc_offset_minutes for p in people], dtype=np.float64) * math.tau / 1440


@dataclass
class FeatureSpace:
    """Vocabularies and text encoder, fitted on the mentors; turns people into feature rows.

    A component is the dot product of its mentee block and its mentor block; the weights are
    folded into the mentee side so that a whole score is one dot product.
    """

    weights: dict[str, float]
    encoder: Encoder
    vocabs: dict[str, dict[str, int]]
    slices: dict[str, slice] = field(default_factory=dict)

    def __post_init__(self) -> None:
        start = 0
        widths = self._widths()
        for name in COMPONENTS:
            if self.weights[name] > 0:
                width = widths[name]
                self.slices[name] = slice(start, start + width)
                start += width

    def reweighted(self, row: FloatMatrix, weights: Weights) -> tuple[FeatureSpace, FloatMatrix]:
        """A mentee's feature row, and the space to explain it with, under other weights (a
        programme's), without rebuilding any mentor rows.

        Mentor rows are unweighted: the weights are folded into the mentee's row, one block
        per score component. Scaling each block by new weight / old weight therefore gives
        every mentor's score under the new weights in the same single product. A component
        whose new weight is zero gets a zero block (it adds nothing and is never a reason);
        the explaining space keeps the old weight for it only so that nothing divides by zero.
        A component weighted zero in this space has no block and cannot be raised."""
        wanted = weights.normalised()
        row = row.copy()
        view = dict(self.weights)
        for name, sl in self.slices.items():
            row[sl] *= np.float32(wanted[name] / self.weights[name])
            if wanted[name] > 0:
                view[name] = wanted[name]
        return dataclasses.replace(self, weights=view), row

    @classmethod
    def fit(
        cls,
        mentors: Sequence[Person],
        weights: Weights | None,
        encoder: Encoder | None,
        text_dim: int = 512,
        corpus: Sequence[str] = (),
    ) -> FeatureSpace:
        """Vocabularies from the mentors; the default encoder's IDF from their texts + corpus."""
        career = _career_rows(mentors)
        vocabs = {
            "function": _vocab(career[0]),
            "industry": _vocab(career[1]),
            "org": _vocab(career[2]),
            "guidance": _vocab(p.guidance_offered for p in mentors),
            "values": _vocab(p.values for p in mentors),
            "humour": _vocab(p.humour for p in mentors),
            "languages": _vocab(p.languages for p in mentors),
        }
        texts = [*(p.experience for p in mentors), *corpus]
        enc = encoder or HashedNgramEncoder.fitted(texts, dim=text_dim)
        return cls((weights or Weights()).normalised(), enc, vocabs)

    def _widths(self) -> dict[str, int]:
        v = self.vocabs
        text = self.encoder.encode([""]).shape[1] + (0 if self.encoder.nonnegative else 1)
        return {
            "career": len(v["function"]) + len(v["industry"]) + len(v["org"]),
            "seniority": LEVELS * 4,
            "guidance": len(v["guidance"]),
            "values": len(v["values"]),
            "style": 4 * len(WORK_STYLE_AXES) + len(v["humour"]),
            "text": text,
            "language_time": len(v["languages"]) + 3,
            "availability": 1,
        }

    def _assemble(self, blocks: dict[str, FloatMatrix], weighted: bool) -> FloatMatrix:
        grid = np.float32(MENTEE_GRID if weighted else MENTOR_GRID)
        parts = [
            blocks[name] * np.float32(self.weights[name] if weighted else 1.0)
            for name in COMPONENTS
            if self.weights[name] > 0
        ]
        out = np.hstack(parts).astype(np.float32)
        np.rint(out * grid, out=out)
        out /= grid
        return np.ascontiguousarray(out)

    def mentor_features(
        self, mentors: Sequence[Person], text: FloatMatrix | None = None
    ) -> FloatMatrix:
        """Mentor rows (unweighted); `text`, when given, is their encoded experience."""
        v = self.vocabs
        career = _career_rows(mentors)
        n = len(mentors)
        sen = np.zeros((n, LEVELS * 4), dtype=np.float32)
        codes = [(p.seniority - 1) * 4 + 2 * p.accepts_peer + p.accepts_reverse for p in mentors]
        sen[np.arange(n), np.array(codes, dtype=np.int64)] = 1.0
        style = np.zeros((n, 4 * len(WORK_STYLE_AXES)), dtype=np.float32)
        for a, axis in enumerate(WORK_STYLE_AXES):
            for r, p in enumerate(mentors):
                value = p.work_style.get(axis)
                style[r, 4 * a + (3 if value is None else round(value) + 1)] = 1.0
        angle = _angles(mentors)
        hours = np.array([p.hours_per_month for p in mentors], dtype=np.float64)
        free = np.array([p.free_slots / p.capacity if p.capacity > 0 else 0.0 for p in mentors])
        avail = 0.5 * np.minimum(1.0, np.maximum(hours, 0.0) / FULL_HOURS) + 0.5 * free
        if text is None:
            text = self.encoder.encode([p.experience for p in mentors])
        if not self.encoder.nonnegative:
            text = np.hstack([text, np.ones((n, 1), dtype=np.float32)])
        blocks = {
            "career": np.hstack(
                [_bag(rows, v[key], True) for rows, key in zip(career, CAREER_KEYS, strict=True)]
            ),
            "seniority": sen,
            "guidance": _onehot([p.guidance_offered for p in mentors], v["guidance"]),
            "values": _bag([p.values for p in mentors], v["values"], True),
            "style": np.hstack([style, _bag([p.humour for p in mentors], v["humour"], True)]),
            "text": text,
            "language_time": np.hstack(
                [
                    _onehot([p.languages for p in mentors], v["languages"]),
                    np.stack([np.ones_like(angle), np.cos(angle), np.sin(angle)], 1),
                ]
            ),
            "availability": avail.astype(np.float32)[:, None],
        }
        return self._assemble(blocks, weighted=False)

    def mentee_features(
        self, mentees: Sequence[Person], text: FloatMatrix | None = None
    ) -> FloatMatrix:
        """Mentee rows, weights folded in; `text`, when given, is their encoded goals."""
        v = self.vocabs
        career = _career_rows(mentees)
        sen = _seniority_table()[
            np.array([p.seniority - 1 for p in mentees], dtype=np.int64),
            np.array([_target(p) - 1 for p in mentees], dtype=np.int64),
            np.array([p.accepts_peer for p in mentees], dtype=np.int64),
            np.array([p.accepts_reverse for p in mentees], dtype=np.int64),
        ]
        style = np.zeros((len(mentees), 4 * len(WORK_STYLE_AXES)), dtype=np.float32)
        for a, axis in enumerate(WORK_STYLE_AXES):
            for r, p in enumerate(mentees):
                value = p.work_style.get(axis)
                fits = [0.5] * 3 if value is None else [1 - abs(value - b) / 2 for b in (-1, 0, 1)]
                style[r, 4 * a : 4 * a + 4] = [*fits, 0.5]
        style *= np.float32(0.5 / len(WORK_STYLE_AXES))
        angle = _angles(mentees)
        if text is None:
            text = self.encoder.encode([p.goals for p in mentees])
        if not self.encoder.nonnegative:
            has = (np.abs(text).sum(1, keepdims=True) > 0).astype(np.float32)
            text = np.hstack([0.5 * text, 0.5 * has])
        blocks = {
            "career": np.hstack(
                [
                    _bag(rows, v[key], True, 1 / 3)
                    for rows, key in zip(career, CAREER_KEYS, strict=True)
                ]
            ),
            "seniority": sen,
            "guidance": _bag([p.guidance_wanted for p in mentees], v["guidance"], False),
            "values": _bag([p.values for p in mentees], v["values"], True),
            "style": np.hstack([style, _bag([p.humour for p in mentees], v["humour"], True, 0.5)]),
            "text": text,
            "language_time": np.hstack(
                [
                    _bag([p.languages for p in mentees], v["languages"], False, 0.5),
                    0.25 * np.stack([np.ones_like(angle), np.cos(angle), np.sin(angle)], 1),
                ]
            ),
            "availability": np.ones((len(mentees), 1), dtype=np.float32),
        }
        return self._assemble(blocks, weighted=True)


CAREER_KEYS = ("function", "industry", "org")


@dataclass
class ScoringIndex:
    """Feature matrices and rules for scoring mentees against mentors, kept warm."""

    mentees: Sequence[Person]
    mentors: Sequence[Person]
    space: FeatureSpace
    mentee_features: FloatMatrix
    mentor_features: FloatMatrix
    rules: RuleTable

    @property
    def shape(self) -> tuple[int, int]:
        """(number of mentees, number of mentors)."""
        return len(self.mentees), len(self.mentors)

    @property
    def weights(self) -> dict[str, float]:
        """Normalised weight of each component."""
        return self.space.weights

    @property
    def slices(self) -> dict[str, slice]:
        """Where each component lies in a feature row."""
        return self.space.slices

    def score_rows(self, rows: npt.NDArray[np.int64]) -> FloatMatrix:
        """Scores of the given mentees against every mentor, rules not applied."""
        out = self.mentee_features[rows] @ self.mentor_features.T
        return np.asarray(out, dtype=np.float32)


def build_index(
    mentees: Sequence[Person],
    mentors: Sequence[Person],
    weights: Weights | None = None,
    encoder: Encoder | None = None,
    forbidden: ForbiddenPairs = frozenset(),
    text_dim: int = 512,
) -> ScoringIndex:
    """Precompute both sides' features; the default encoder's IDF is fitted on their texts."""
    mentor_text = mentee_text = None
    if encoder is None:
        # Fit the default encoder and encode both sides in one pass over the texts.
        texts = [*(p.experience for p in mentors), *(p.goals for p in mentees)]
        encoder, vectors = HashedNgramEncoder.fit_encode(texts, dim=text_dim)
        mentor_text, mentee_text = vectors[: len(mentors)], vectors[len(mentors) :]
    space = FeatureSpace.fit(mentors, weights, encoder, text_dim)
    return ScoringIndex(
        mentees=mentees,
        mentors=mentors,
        space=space,
        mentee_features=space.mentee_features(mentees, mentee_text),
        mentor_features=space.mentor_features(mentors, mentor_text),
        rules=RuleTable.build(mentees, mentors, forbidden),
    )


@dataclass(frozen=True)
class Explanation:
    """A pair's score, its components and its top reasons (strongest first)."""

    score: float
    components: dict[str, float]
    reasons: tuple[Reason, ...]
    mentee_text: bool = True
    mentor_text: bool = True
    """Whether each side's text had a vector (not when empty, or not computed yet). Without
    both, the text component is the same for every pair and never a reason."""

    @property
    def text_compared(self) -> bool:
        return self.mentee_text and self.mentor_text


def _has_text(space: FeatureSpace, row: FloatMatrix) -> bool:
    """Whether a feature row carries a text vector (not counting the constant column)."""
    sl = space.slices.get("text")
    stop = 0 if sl is None else sl.stop - (0 if space.encoder.nonnegative else 1)
    return sl is not None and bool(np.any(row[sl.start : stop]))


def _common(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(a) & set(b)))


def _reasons_for(name: str, mentee: Person, mentor: Person, weight: float) -> list[Reason]:
    makers: dict[str, Callable[[], list[Reason]]] = {
        "career": lambda: _career_reasons(mentee, mentor, weight),
        "seniority": lambda: _seniority_reasons(mentee, mentor, weight),
        "guidance": lambda: _set_reason(
            "guidance", "topics", mentee.guidance_wanted, mentor.guidance_offered, weight
        ),
        "values": lambda: _set_reason(
            "shared_values", "values", mentee.values, mentor.values, weight
        ),
        "style": lambda: _style_reasons(mentee, mentor, weight),
        "text": lambda: [Reason("goals_experience", {}, weight)],
        "language_time": lambda: _language_time_reasons(mentee, mentor, weight),
        "availability": lambda: (
            [Reason("availability", {"hours": round(mentor.hours_per_month)}, weight)]
            if mentor.hours_per_month > 0
            else []
        ),
    }
    return makers[name]()


def _set_reason(code: str, key: str, a: Iterable[str], b: Iterable[str], w: float) -> list[Reason]:
    common = _common(a, b)
    return [Reason(code, {key: common}, w)] if common else []


def _career_reasons(mentee: Person, mentor: Person, w: float) -> list[Reason]:
    moves = sorted(transitions(mentee) & transitions(mentor))
    if moves:
        return [
            Reason(
                "career_transition", {"from_function": moves[0][0], "to_function": moves[0][1]}, w
            )
        ]
    out: list[Reason] = []
    if mentee.function and mentee.function == mentor.function:
        out.append(Reason("same_function", {"function": mentee.function}, w))
    if mentee.industry and mentee.industry == mentor.industry:
        out.append(Reason("same_industry", {"industry": mentee.industry}, w))
    orgs = _common(_history(mentee)[2], _history(mentor)[2])
    if orgs and not out:
        out.append(Reason("shared_organisation", {"organisations": orgs}, w))
    return out


def _seniority_reasons(mentee: Person, mentor: Person, w: float) -> list[Reason]:
    if mentor.seniority > mentee.seniority:
        return [Reason("more_senior", {"seniority": SENIORITY_LADDER[mentor.seniority - 1]}, w)]
    if mentor.seniority == mentee.seniority and mentor.accepts_peer and mentee.accepts_peer:
        return [Reason("peer", {}, w)]
    if mentor.accepts_reverse and mentee.accepts_reverse:
        return [Reason("reverse", {}, w)]
    return []


def _style_reasons(mentee: Person, mentor: Person, w: float) -> list[Reason]:
    out = _set_reason("humour", "humour", mentee.humour, mentor.humour, w)
    axes = [a for a in WORK_STYLE_AXES if a in mentee.work_style and a in mentor.work_style]
    if axes and all(abs(mentee.work_style[a] - mentor.work_style[a]) < 0.5 for a in axes):
        out.insert(0, Reason("work_style", {}, w))
    return out


def _language_time_reasons(mentee: Person, mentor: Person, w: float) -> list[Reason]:
    out = _set_reason("common_language", "languages", mentee.languages, mentor.languages, w)
    gap = abs(mentee.utc_offset_minutes - mentor.utc_offset_minutes) % 1440
    hours = round(min(gap, 1440 - gap) / 60)
    if hours == 0:
        out.append(Reason("same_time_zone", {}, w))
    elif hours <= 3:
        out.append(Reason("near_time_zone", {"hours": hours}, w))
    return out


def explain_features(
    space: FeatureSpace,
    mentee: Person,
    mentor: Person,
    a: FloatMatrix,
    b: FloatMatrix,
    top: int = 3,
) -> Explanation:
    """Score, components and the `top` strongest reasons from two feature rows."""
    comps = dict.fromkeys(COMPONENTS, 0.0)
    for name, sl in space.slices.items():
        comps[name] = min(1.0, max(0.0, float(a[sl] @ b[sl]) / space.weights[name]))
    ranked = sorted(
        (n for n in space.slices if comps[n] > 0), key=lambda n: -comps[n] * space.weights[n]
    )
    mentee_text, mentor_text = _has_text(space, a), _has_text(space, b)
    reasons: list[Reason] = []
    for name in ranked:
        if name == "text" and not (mentee_text and mentor_text):
            continue  # a text without a vector scores the same against everyone: no reason
        reasons.extend(_reasons_for(name, mentee, mentor, comps[name] * space.weights[name]))
        if len(reasons) >= top:
            break
    score = min(1.0, max(0.0, float(a @ b)))
    return Explanation(score, comps, tuple(reasons[:top]), mentee_text, mentor_text)


def explain_indexed(index: ScoringIndex, i: int, j: int, top: int = 3) -> Explanation:
    """Explain mentee i and mentor j of an index."""
    return explain_features(
        index.space,
        index.mentees[i],
        index.mentors[j],
        index.mentee_features[i],
        index.mentor_features[j],
        top,
    )


def explain(
    mentee: Person,
    mentor: Person,
    weights: Weights | None = None,
    encoder: Encoder | None = None,
    top: int = 3,
) -> Explanation:
    """Explain one pair on its own (rules are not applied; see `rules.forbidden_reason`)."""
    return explain_indexed(build_index([mentee], [mentor], weights, encoder), 0, 0, top)
