"""Reads for Find a mentor: ranked suggestions with reasons, the marks, the access helpers.

A suggestion list costs a fixed number of queries however many mentors there are: the
version check of the warm index, the mentee's own profile (through the adapter), the marks,
the reference lists (to name things in the reader's language) and the suggested users.
A caller may narrow it to a `Scope` (a set of mentors and the weights to score them with),
which it builds and checks itself: suggestions knows nothing of where a scope comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext, pgettext

from tandem.accounts.models import User
from tandem.matching.reasons import Reason, render
from tandem.matching.rules import forbidden_reason
from tandem.matching.scoring import Explanation, explain_features
from tandem.matching.types import SENIORITY_LADDER, Person, Weights
from tandem.people.languages import language_name
from tandem.people.models import ListItem, ListKind, Organisation
from tandem.suggestions import vectors
from tandem.suggestions.index import WarmIndex, get_index
from tandem.suggestions.models import MentorMark

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
AVAILABILITY_HOURS = (2, 4, 8)
"""The availability filter's choices: at least this many hours a month."""

# Score bands, calibrated on the demo community's allowed pairs: "excellent" is about the
# best twentieth (0.55), "good" about the best third (0.42); the median pair scores 0.39.
# The multilingual encoder's text score is (1 + cos) / 2, and E5's cosine between two career
# texts is rarely low: every quantile of the demo's allowed pairs sits about 0.12 higher
# (median 0.46, best third 0.51, best twentieth 0.64, against 0.33, 0.38, 0.52 lexical on
# the same data), so its bands are shifted by as much.
SCORE_BANDS = {"lexical": (0.55, 0.42), "multilingual": (0.67, 0.54)}
EXCELLENT, GOOD = SCORE_BANDS["lexical"]


def score_bands() -> tuple[float, float]:
    """(excellent, good) thresholds for the text encoder that runs."""
    return SCORE_BANDS.get(vectors.resolved(), SCORE_BANDS["lexical"])


def score_words(score: float) -> str:
    """A score as words a person reads, in the active language."""
    excellent, good = score_bands()
    if score >= excellent:
        return pgettext("match quality", "Excellent match")
    if score >= good:
        return pgettext("match quality", "Good match")
    return pgettext("match quality", "Possible match")


@dataclass(frozen=True)
class SuggestionFilters:
    """What the mentee narrowed the suggestions to; empty values filter nothing."""

    guidance: str = ""
    language: str = ""
    function: str = ""
    industry: str = ""
    seniority: str = ""
    organisation: int | None = None
    availability: int | None = None

    def is_empty(self) -> bool:
        return not any(
            (
                self.guidance,
                self.language,
                self.function,
                self.industry,
                self.seniority,
                self.organisation,
                self.availability,
            )
        )


@dataclass
class Suggestion:
    """One suggested mentor, ready to show: score in words and reasons already in the active
    language."""

    mentor: User
    score: float
    score_words: str
    reasons: list[str]
    components: dict[str, float] = field(default_factory=dict)
    saved: bool = False
    mark_id: int | None = None
    encoder: str = "lexical"
    """The text encoder that ranked it (`vectors.resolved()`)."""
    text_compared: bool = True
    """Whether goals and experience were compared (see `Explanation.text_compared`)."""

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def excellent(self) -> bool:
        return self.score >= score_bands()[0]


@dataclass(frozen=True)
class Scope:
    """Suggestions narrowed by a caller that owns a smaller circle of mentors (a higher app's
    group choosing among its own): only `mentor_ids` may appear, scored with `weights` when
    it sets some (else the usual ones). The caller decides who is in it and checks access; the
    rules, the marks and the user's current mentors still apply as everywhere."""

    mentor_ids: frozenset[int]
    weights: dict[str, float] = field(default_factory=dict)


# --- access helpers -------------------------------------------------------------------------


def get_mark_for_user(user: User, pk: int) -> MentorMark:
    """The one access helper for marks: 404 unless the mark is the user's own."""
    mark = MentorMark.objects.select_related("mentor").filter(pk=pk, user_id=user.pk).first()
    if mark is None:
        raise Http404
    return mark


def get_mentor_for_user(user: User, mentor_pk: int) -> User:
    """A mentor the user may save or dismiss: an active user open to mentoring, not the user
    themselves; 404 otherwise."""
    if not user.is_authenticated or mentor_pk == user.pk:
        raise Http404
    mentor = User.objects.filter(pk=mentor_pk, is_active=True, profile__is_mentor=True).first()
    if mentor is None:
        raise Http404
    return mentor


# --- naming things in the reader's language -------------------------------------------------


class Names:
    """Reference-list names by kind and slug, in the active language (kept with the index).

    `items`, when given, are the reference lists to use instead of the warm index's: a page
    that shows a few stored reasons reads them in one query (`Names.read()`) rather than
    warming the whole index."""

    def __init__(
        self,
        index: WarmIndex | None = None,
        *,
        items: QuerySet[ListItem] | list[ListItem] | None = None,
    ) -> None:
        self.items: dict[str, dict[str, ListItem]] = {kind: {} for kind in ListKind.values}
        for item in items if items is not None else (index or get_index()).list_items:
            self.items[item.kind][item.slug] = item

    @classmethod
    def read(cls) -> Names:
        """The reference lists read from the database (one query)."""
        return cls(items=ListItem.objects.all())

    def name(self, kind: str, slug: str) -> str:
        item = self.items.get(kind, {}).get(slug)
        return item.name if item else slug.replace("-", " ").replace("_", " ")

    def options(self, kind: str) -> list[tuple[str, str]]:
        return [(i.slug, i.name) for i in self.items.get(kind, {}).values() if i.active]


_LIST_PARAMS = {
    "function": ListKind.FUNCTION,
    "from_function": ListKind.FUNCTION,
    "to_function": ListKind.FUNCTION,
    "industry": ListKind.INDUSTRY,
    "seniority": ListKind.SENIORITY,
    "topics": ListKind.GUIDANCE,
    "values": ListKind.VALUE,
    "humour": ListKind.HUMOUR,
}


def render_reason(reason: Reason, names: Names, *, reader: str = "mentee") -> str:
    """The reason as a sentence in the active language, its list values named in it too: the
    one renderer of matching reasons, for Find a mentor and for anyone else who shows them.
    `reader`: who reads it (`tandem.matching.reasons.READERS`): the mentee about a mentor,
    the mentor about a mentee, or someone outside the pair ("pair")."""
    params: dict[str, Any] = {}
    for key, value in reason.params.items():
        kind = _LIST_PARAMS.get(key)
        if key == "languages" and isinstance(value, tuple):
            params[key] = tuple(language_name(v) for v in value)
        elif kind and isinstance(value, tuple):
            params[key] = tuple(names.name(kind, v) for v in value)
        elif kind and isinstance(value, str):
            params[key] = names.name(kind, value)
        else:
            params[key] = value
    return render(Reason(reason.code, params, reason.weight), gettext, reader=reader)


# --- ranking --------------------------------------------------------------------------------


def mentee_person(user: User, index: WarmIndex | None = None) -> Person:
    """The engine's view of the user as a mentee (cached with the warm index)."""
    return (index or get_index()).mentee(user)


def _filter_mask(idx: WarmIndex, filters: SuggestionFilters) -> np.ndarray:
    mask = np.ones(idx.size, dtype=np.bool_)
    if filters.guidance:
        mask &= idx.guidance.get(filters.guidance, np.zeros(idx.size, dtype=np.bool_))
    if filters.language:
        mask &= idx.languages.get(filters.language, np.zeros(idx.size, dtype=np.bool_))
    if filters.function:
        mask &= idx.column_mask(idx.function, filters.function)
    if filters.industry:
        mask &= idx.column_mask(idx.industry, filters.industry)
    if filters.seniority:
        level = (
            SENIORITY_LADDER.index(filters.seniority) + 1
            if filters.seniority in SENIORITY_LADDER
            else -1
        )
        mask &= idx.seniority == level
    if filters.organisation:
        name = Organisation.objects.filter(pk=filters.organisation).values_list("name", flat=True)
        mask &= idx.column_mask(idx.organisation, name.first() or "")
    if filters.availability:
        mask &= idx.hours >= float(filters.availability)
    return mask


def rank(
    idx: WarmIndex,
    mentee: Person,
    mask: np.ndarray,
    n: int,
    weights: dict[str, float] | None = None,
) -> list[tuple[int, Explanation]]:
    """The best `n` mentors among `mask` the rules allow (index rows), best first, scored
    with `weights` when given (a scope's; see `FeatureSpace.reweighted`).

    One matrix-vector product over every mentor (no copy of the matrix), the masked ones set
    to -inf; the rules are checked lazily on the best few, widening only when they refuse."""
    core = idx.core
    if core is None or n <= 0 or not mask.any():
        return []
    space = core.space
    row = space.mentee_features([mentee])[0]
    if weights:
        space, row = space.reweighted(row, Weights(**weights))
    scores = core.features @ row
    scores[~mask] = -np.inf
    m = int(scores.size)
    width = min(m, 4 * n + 16)
    chosen: list[int] = []
    while True:
        top = np.argpartition(scores, m - width)[m - width :] if width < m else np.arange(m)
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[np.isfinite(scores[top])]
        chosen = [int(j) for j in top if forbidden_reason(mentee, idx.mentors[int(j)]) is None][:n]
        if len(chosen) == n or width == m or top.size < width:
            break
        width = min(m, width * 4)
    return [
        (j, explain_features(space, mentee, idx.mentors[j], row, core.features[j])) for j in chosen
    ]


def _mentor_users(ids: list[int]) -> dict[int, User]:
    users = User.objects.filter(pk__in=ids).select_related(
        "profile", "profile__organisation", "profile__function", "profile__seniority"
    )
    return {u.pk: u for u in users}


def user_marks(user: User) -> list[MentorMark]:
    """All the user's marks, newest first, with the mentors' profiles (one query)."""
    return list(
        MentorMark.objects.filter(user_id=user.pk).select_related(
            "mentor", "mentor__profile", "mentor__profile__organisation"
        )
    )


def marks_by_mentor(user: User, marks: list[MentorMark] | None = None) -> dict[int, MentorMark]:
    return {m.mentor_id: m for m in (user_marks(user) if marks is None else marks)}


def suggestions_for_user(
    *,
    user: User,
    limit: int = DEFAULT_LIMIT,
    filters: SuggestionFilters | None = None,
    marks: dict[int, MentorMark] | None = None,
    names: Names | None = None,
    mentee: Person | None = None,
    index: WarmIndex | None = None,
    scope: Scope | None = None,
) -> list[Suggestion]:
    """The best mentors for `user`, best first, with reasons in the active language.

    Mentors the user marked "not for me", and the user's current mentors, never appear; the
    rules (own reporting line, competitors, paused or full mentors, no common language, ...)
    always apply. Narrowed to a `scope`, only its mentors appear, scored with its weights.
    """
    limit = max(0, min(MAX_LIMIT, int(limit)))
    idx = index or get_index()
    if idx.core is None or limit == 0:
        return []
    marks = marks_by_mentor(user) if marks is None else marks
    mask = _filter_mask(idx, filters or SuggestionFilters())
    dismissed = [
        idx.row_of[m]
        for m, mark in marks.items()
        if mark.kind == MentorMark.Kind.DISMISSED and m in idx.row_of
    ]
    mask[dismissed] = False
    current = [idx.row_of[m] for m in idx.current_mentors(user) if m in idx.row_of]
    mask[current] = False  # already the user's mentor: nothing to ask
    if scope is not None:
        mask &= np.isin(idx.user_ids, np.fromiter(scope.mentor_ids, dtype=np.int64))
    mentee = mentee or idx.mentee(user)
    ranked = rank(
        idx,
        mentee,
        mask,
        limit,
        weights=scope.weights if scope is not None else None,
    )
    if not ranked:
        return []
    encoder = vectors.resolved()
    if mentee.goals.strip() and not ranked[0][1].mentee_text:
        vectors.warm_soon(user.pk)  # their goals have no vector yet: the worker computes it
    names = names or Names(idx)
    users = _mentor_users([int(idx.user_ids[j]) for j, _ in ranked])
    out = []
    for j, explanation in ranked:
        mentor = users.get(int(idx.user_ids[j]))
        if mentor is None:  # deleted since the index was built
            continue
        mark = marks.get(mentor.pk)
        out.append(
            Suggestion(
                mentor=mentor,
                score=explanation.score,
                score_words=score_words(explanation.score),
                reasons=[render_reason(r, names) for r in explanation.reasons],
                components=explanation.components,
                saved=bool(mark and mark.kind == MentorMark.Kind.SAVED),
                mark_id=mark.pk if mark else None,
                encoder=encoder,
                text_compared=explanation.text_compared,
            )
        )
    return out


@dataclass
class MarkedMentor:
    """A saved or dismissed mentor, with today's fit when they can still take the user."""

    mark: MentorMark
    mentor: User
    available: bool
    score: float | None = None
    score_words: str = ""
    reasons: list[str] = field(default_factory=list)
    text_compared: bool = False


def marked_mentors(
    *,
    user: User,
    kind: str,
    names: Names | None = None,
    mentee: Person | None = None,
    marks: list[MentorMark] | None = None,
    index: WarmIndex | None = None,
) -> list[MarkedMentor]:
    """The user's saved (or dismissed) mentors, newest first, in a fixed number of queries.
    Saved mentors the rules still allow carry their current score and reasons."""
    marks = [m for m in (user_marks(user) if marks is None else marks) if m.kind == kind]
    if not marks:
        return []
    out = [MarkedMentor(mark=m, mentor=m.mentor, available=False) for m in marks]
    if kind != MentorMark.Kind.SAVED:
        return out
    idx = index or get_index()
    if idx.core is None:
        return out
    mentee = mentee or idx.mentee(user)
    names = names or Names(idx)
    row = idx.core.space.mentee_features([mentee])[0]
    for entry in out:
        j = idx.row_of.get(entry.mentor.pk)
        if j is None or forbidden_reason(mentee, idx.mentors[j]) is not None:
            continue
        explanation = explain_features(
            idx.core.space, mentee, idx.mentors[j], row, idx.core.features[j]
        )
        entry.available = True
        entry.score = explanation.score
        entry.score_words = score_words(explanation.score)
        entry.reasons = [render_reason(r, names) for r in explanation.reasons]
        entry.text_compared = explanation.text_compared
    return out


def marks_for_user(*, user: User, kind: str | None = None) -> QuerySet[MentorMark]:
    qs = MentorMark.objects.filter(user_id=user.pk).select_related("mentor")
    return qs.filter(kind=kind) if kind else qs


@dataclass
class FilterOptions:
    """Choices for the filter form, in the active language."""

    guidance: list[tuple[str, str]]
    language: list[tuple[str, str]]
    function: list[tuple[str, str]]
    industry: list[tuple[str, str]]
    seniority: list[tuple[str, str]]
    organisation: list[tuple[int, str]]
    availability: list[tuple[int, str]]


def filter_options(*, names: Names, index: WarmIndex | None = None) -> FilterOptions:
    """Filter choices: reference lists, organisations with mentors, languages mentors speak."""
    idx = index or get_index()
    orgs = sorted(
        Organisation.objects.filter(people__is_mentor=True).values_list("pk", "name").distinct(),
        key=lambda o: o[1].casefold(),
    )
    languages = sorted(
        ((code, language_name(code)) for code in idx.languages), key=lambda c: c[1].casefold()
    )
    hours = [
        (h, gettext("At least %(hours)s hours a month") % {"hours": h}) for h in AVAILABILITY_HOURS
    ]
    return FilterOptions(
        guidance=names.options(ListKind.GUIDANCE),
        language=languages,
        function=names.options(ListKind.FUNCTION),
        industry=names.options(ListKind.INDUSTRY),
        seniority=names.options(ListKind.SENIORITY),
        organisation=orgs,
        availability=hours,
    )
