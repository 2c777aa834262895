"""Rules that forbid a mentee-mentor pair, for one pair and vectorised for many."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.matching.types import ForbiddenPairs, Person

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

RULES: tuple[str, ...] = (
    "same_person",
    "manager",
    "competitor",
    "mentor_unavailable",
    "no_common_language",
    "external_not_accepted",
    "forbidden_by_hand",
)


def org_key(name: str) -> str:
    """Organisation names compare case- and space-insensitively."""
    return " ".join(name.casefold().split())


RELATIONSHIP_RULES: tuple[str, ...] = RULES[:3]
"""The rules about who the two people are to each other, which hold on every path that
creates or proposes a relationship (a request, a question, a programme pin), whatever the
mentor's availability or the pair's languages."""


def relationship_reason(mentee: Person, mentor: Person) -> str | None:
    """The first of `RELATIONSHIP_RULES` that forbids the pair (never oneself, never one's own
    manager or anyone above them, never someone at a competitor), or None."""
    if mentee.id == mentor.id:
        return "same_person"
    if mentor.id in mentee.manager_chain:
        return "manager"
    mentee_org, mentor_org = org_key(mentee.organisation), org_key(mentor.organisation)
    if (mentor_org and mentor_org in {org_key(c) for c in mentee.competitors}) or (
        mentee_org and mentee_org in {org_key(c) for c in mentor.competitors}
    ):
        return "competitor"
    return None


def forbidden_reason(
    mentee: Person, mentor: Person, forbidden: ForbiddenPairs = frozenset()
) -> str | None:
    """The first rule (a code of `RULES`) that forbids the pair, or None when it is allowed."""
    mentee_org, mentor_org = org_key(mentee.organisation), org_key(mentor.organisation)
    relationship = relationship_reason(mentee, mentor)
    if relationship is not None:
        return relationship
    if mentor.free_slots <= 0:
        return "mentor_unavailable"
    if mentee.languages and mentor.languages and not (mentee.languages & mentor.languages):
        return "no_common_language"
    if not mentor.accepts_external and not (mentee_org and mentee_org == mentor_org):
        return "external_not_accepted"
    if (mentee.id, mentor.id) in forbidden:
        return "forbidden_by_hand"
    return None


def _sorted_member(codes: IntArray, table: IntArray) -> BoolArray:
    if table.size == 0:
        return np.zeros(codes.shape, dtype=np.bool_)
    pos = np.searchsorted(table, codes).clip(0, table.size - 1)
    return np.asarray(table[pos] == codes)


DENSE_COMPETITORS = 8
"""Up to this many competitors a person, they are kept as a padded row: one comparison per
column beats a binary search (cache misses) in the large tables."""


@dataclass
class Competitors:
    """Each person's competitor organisations: sorted codes `k * n_orgs + org`, and the same
    as padded rows (-1) when nobody lists more than `DENSE_COMPETITORS`."""

    codes: IntArray
    n_orgs: int
    dense: IntArray | None

    @classmethod
    def of(cls, codes: IntArray, n_people: int, n_orgs: int) -> Competitors:
        """From sorted codes."""
        who, org = np.divmod(codes, max(1, n_orgs))
        counts = np.bincount(who, minlength=n_people)
        width = int(counts.max(initial=0))
        if width > DENSE_COMPETITORS:
            return cls(codes, n_orgs, None)
        dense = np.full((n_people, max(1, width)), -1, dtype=np.int64)
        rank = np.arange(codes.size) - np.repeat(np.cumsum(counts) - counts, counts)
        dense[who, rank] = org
        return cls(codes, n_orgs, dense)

    def lists(self, k: IntArray, org: IntArray) -> BoolArray:
        """Whether person k[x] lists organisation org[x] as a competitor."""
        if self.dense is None:
            return _sorted_member(k * self.n_orgs + org, self.codes)
        rows = self.dense[k]
        return np.asarray((rows == org[:, None]).any(axis=1))


@dataclass
class RuleTable:
    """The rules for a mentee population against a mentor population, checked lazily."""

    n_mentors: int
    mentor_active: BoolArray
    mentee_org: IntArray
    mentor_org: IntArray
    n_orgs: int
    mentee_competitors: Competitors
    mentor_competitors: Competitors
    mentor_external_ok: BoolArray
    mentee_langs: npt.NDArray[np.uint64]
    mentor_langs: npt.NDArray[np.uint64]
    pair_codes: IntArray
    has_pair: BoolArray
    """Mentees with at least one pair forbidden one by one (manager chain, by hand)."""

    @classmethod
    def build(
        cls,
        mentees: Sequence[Person],
        mentors: Sequence[Person],
        forbidden: ForbiddenPairs = frozenset(),
    ) -> RuleTable:
        """Encode the rules as sorted integer tables."""
        orgs: dict[str, int] = {"": 0}
        for person in (*mentees, *mentors):
            for name in (person.organisation, *person.competitors):
                orgs.setdefault(org_key(name), len(orgs))
        n_orgs = len(orgs)

        def competitor_codes(people: Sequence[Person]) -> IntArray:
            codes = {
                k * n_orgs + orgs[org_key(name)]
                for k, person in enumerate(people)
                for name in person.competitors
                if org_key(name)
            }
            return np.array(sorted(codes), dtype=np.int64)

        langs = sorted({code for p in (*mentees, *mentors) for code in p.languages})
        words = max(1, (len(langs) + 63) // 64)
        bit = {code: i for i, code in enumerate(langs)}

        def lang_masks(people: Sequence[Person]) -> npt.NDArray[np.uint64]:
            out = np.zeros((len(people), words), dtype=np.uint64)
            for row, person in enumerate(people):
                for code in person.languages:
                    out[row, bit[code] // 64] |= np.uint64(1 << (bit[code] % 64))
            return out

        mentor_pos = {p.id: j for j, p in enumerate(mentors)}
        m = len(mentors)
        pairs: set[int] = set()
        for i, mentee in enumerate(mentees):
            for other in (mentee.id, *mentee.manager_chain):
                j = mentor_pos.get(other)
                if j is not None:
                    pairs.add(i * m + j)
        mentee_pos = {p.id: i for i, p in enumerate(mentees)}
        for mentee_id, mentor_id in forbidden:
            if mentee_id in mentee_pos and mentor_id in mentor_pos:
                pairs.add(mentee_pos[mentee_id] * m + mentor_pos[mentor_id])
        return cls(
            n_mentors=m,
            mentor_active=np.array([p.free_slots > 0 for p in mentors], dtype=np.bool_),
            mentee_org=np.array([orgs[org_key(p.organisation)] for p in mentees], dtype=np.int64),
            mentor_org=np.array([orgs[org_key(p.organisation)] for p in mentors], dtype=np.int64),
            n_orgs=n_orgs,
            mentee_competitors=Competitors.of(competitor_codes(mentees), len(mentees), n_orgs),
            mentor_competitors=Competitors.of(competitor_codes(mentors), m, n_orgs),
            mentor_external_ok=np.array([p.accepts_external for p in mentors], dtype=np.bool_),
            mentee_langs=lang_masks(mentees),
            mentor_langs=lang_masks(mentors),
            pair_codes=np.array(sorted(pairs), dtype=np.int64),
            has_pair=np.isin(np.arange(len(mentees)), np.array([c // max(1, m) for c in pairs])),
        )

    def allowed(self, i: IntArray, j: IntArray) -> BoolArray:
        """Whether each pair (mentee i[k], mentor j[k]) passes every rule."""
        ok = self.mentor_active[j].copy()
        some = np.flatnonzero(self.has_pair[i])
        if some.size:
            ok[some] &= ~_sorted_member(i[some] * self.n_mentors + j[some], self.pair_codes)
        oi, oj = self.mentee_org[i], self.mentor_org[j]
        ok &= ~self.mentee_competitors.lists(i, oj) | (oj == 0)
        ok &= ~self.mentor_competitors.lists(j, oi) | (oi == 0)
        ok &= self.mentor_external_ok[j] | ((oi == oj) & (oi != 0))
        li, lj = self.mentee_langs[i], self.mentor_langs[j]
        speaks = (li & lj).any(axis=1) | ~li.any(axis=1) | ~lj.any(axis=1)
        ok &= speaks
        return ok
