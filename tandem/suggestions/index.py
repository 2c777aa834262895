"""The warm mentor index: every mentor's feature row, built once per process and then kept
current one mentor at a time.

How it stays current, and why this way:
- Every committed change to what the index is built from (profiles, career roles, users,
  mentorships, organisations, reference lists) is logged with the people it concerns under
  a version number (`tandem.suggestions.changes`). Each request reads the log after its
  index's version: one indexed query, empty nearly always, so every web and worker process
  sees a committed change on its next request.
- A change the fitted index can take exactly updates only that mentor: free places (a
  mentorship made, paused or ended: a dozen a minute on a busy afternoon), capacity, pause,
  hours, time zone, reporting line, languages and topics other mentors already have. The
  mentor's Person is read again (a few queries) and their feature row computed again, in a
  copy of the index that replaces it whole, so a request in flight keeps a consistent one.
  The row equals a full rebuild's, bit for bit. Cached views of the people named (a mentee,
  and mentees who report to them) are dropped.
- A change it cannot take exactly needs a rebuild: a mentor joining or leaving, a word no
  mentor used yet (the vocabularies are fitted on the mentors), a new experience text under
  the lexical encoder (its IDF is fitted on every mentor's text), a reporting line moving
  above other mentors, organisations, reference lists, a bulk import. The process rebuilds in
  a background thread and serves the previous index meanwhile (a build costs 0.4-0.9 s of CPU
  at 3,000 mentors). A request waits only when its process has no index yet, when it runs
  inside a transaction (the demo loader), whose uncommitted writes a thread would not see, or
  with `TANDEM_SUGGESTIONS_INDEX_BACKGROUND` off (the test suite).
- A TTL (`TANDEM_SUGGESTIONS_INDEX_TTL`, default 300 s) is the safety net for writes that
  send no signals (raw SQL; call `changes.record_everyone()` after them to be seen at once):
  an older index is rebuilt the same way.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connection, connections

from tandem.accounts.models import User
from tandem.matching.scoring import FeatureSpace
from tandem.matching.suggest import MentorIndex
from tandem.matching.types import Person
from tandem.people.hooks import profiles_changed
from tandem.people.models import ListItem, Profile
from tandem.suggestions import changes
from tandem.suggestions.adapters import current_mentor_ids, manager_chains, persons_for_users
from tandem.suggestions.changes import current_version, log_after
from tandem.suggestions.vectors import text_encoder

logger = logging.getLogger(__name__)

MENTEE_CACHE = 50_000
BoolArray = npt.NDArray[np.bool_]
Column = tuple[dict[str, int], npt.NDArray[np.int32]]

STATS: Counter[str] = Counter()
"""What this process did: "builds" (every full build), "background_builds" (those in a
thread), "mentor_updates" (mentor rows updated in place of a build)."""


def _ttl() -> float:
    return float(settings.TANDEM_SUGGESTIONS_INDEX_TTL)


def _codes(values: list[str]) -> Column:
    vocab: dict[str, int] = {}
    out = np.array([vocab.setdefault(v, len(vocab)) if v else -1 for v in values], np.int32)
    return vocab, out


def _membership(sets: list[frozenset[str]]) -> dict[str, BoolArray]:
    out: dict[str, BoolArray] = {}
    for row, items in enumerate(sets):
        for item in items:
            out.setdefault(item, np.zeros(len(sets), dtype=np.bool_))[row] = True
    return out


def _recoded(column: Column, rows: Sequence[int], values: Sequence[str]) -> Column:
    """A copy of `column` with these rows set to these values."""
    vocab, codes = dict(column[0]), column[1].copy()
    for row, value in zip(rows, values, strict=True):
        codes[row] = vocab.setdefault(value, len(vocab)) if value else -1
    return vocab, codes


def _remembered(
    sets: dict[str, BoolArray], rows: Sequence[int], values: Sequence[frozenset[str]], size: int
) -> dict[str, BoolArray]:
    """A copy of `sets` (item -> rows having it) with these rows holding these items; only
    the arrays that change are copied."""
    out = dict(sets)
    copied: set[str] = set()
    for row, items in zip(rows, values, strict=True):
        for item in set(out) | set(items):
            have = out.get(item)
            want = item in items
            if have is not None and bool(have[row]) == want:
                continue
            if item not in copied:
                have = have.copy() if have is not None else np.zeros(size, dtype=np.bool_)
                out[item] = have
                copied.add(item)
            assert have is not None
            have[row] = want
    return out


@dataclass
class WarmIndex:
    """The core's `MentorIndex` plus per-mentor columns the page filters on."""

    version: int
    database: str
    built_at: float
    core: MentorIndex | None
    mentors: list[Person]
    user_ids: npt.NDArray[np.int64]
    row_of: dict[int, int]
    function: Column
    industry: Column
    organisation: Column
    seniority: npt.NDArray[np.int16]
    hours: npt.NDArray[np.float32]
    languages: dict[str, BoolArray] = field(default_factory=dict)
    guidance: dict[str, BoolArray] = field(default_factory=dict)
    accepting: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))
    list_items: list[ListItem] = field(default_factory=list)
    """Reference lists (names in both languages), read with the index: they change rarely,
    and a change to one rebuilds the index."""
    fitted_text: bool = True
    """The text encoder was fitted on these mentors' texts (lexical): a new text needs a
    rebuild. False for an encoder whose vectors depend on the text alone."""
    chain_members: frozenset[str] = frozenset()
    """Everyone in some mentor's reporting line: their own line moving changes those mentors."""
    needs_rebuild: bool = False
    """A change reached this index that only a rebuild can take (one is under way)."""
    _mentees: dict[int, Person] = field(default_factory=dict)
    _current_mentors: dict[int, frozenset[int]] = field(default_factory=dict)
    _reports: dict[str, set[int]] = field(default_factory=dict)
    """Manager id -> the cached mentees whose reporting line holds them."""

    @property
    def size(self) -> int:
        return len(self.mentors)

    @classmethod
    def build(cls, version: int, database: str) -> WarmIndex:
        """Read every active mentor through the adapter and fit the core's index on them, with
        the configured text encoder (`vectors.text_encoder`: kept vectors, read in bulk).

        Mentors are read as everyone may see them (`public=True`): what a mentor shows only to
        their programmes or mentorships (career history, values, humour, work style, goals)
        adds nothing to any score, component or reason of Find a mentor, for any reader."""
        STATS["builds"] += 1
        users = User.objects.filter(is_active=True, profile__is_mentor=True).order_by("pk")
        mentors = persons_for_users(users, public=True)
        encoder = text_encoder()
        core = MentorIndex.build(mentors, encoder=encoder) if mentors else None
        ids = np.array([int(p.id) for p in mentors], dtype=np.int64)
        return cls(
            version=version,
            database=database,
            built_at=time.monotonic(),
            core=core,
            mentors=mentors,
            user_ids=ids,
            row_of={int(p.id): row for row, p in enumerate(mentors)},
            function=_codes([p.function for p in mentors]),
            industry=_codes([p.industry for p in mentors]),
            organisation=_codes([p.organisation for p in mentors]),
            seniority=np.array([p.seniority for p in mentors], dtype=np.int16),
            hours=np.array([p.hours_per_month for p in mentors], dtype=np.float32),
            languages=_membership([p.languages for p in mentors]),
            guidance=_membership([p.guidance_offered for p in mentors]),
            accepting=np.array([p.free_slots > 0 for p in mentors], dtype=np.bool_),
            list_items=list(ListItem.objects.all()),
            fitted_text=encoder is None,
            chain_members=frozenset(m for p in mentors for m in p.manager_chain),
        )

    def mentee(self, user: User) -> Person:
        """The engine's view of `user` as a mentee, cached with the index: a change to them
        or to anyone in their reporting line drops it (`forget`)."""
        person = self._mentees.get(user.pk)
        if person is None:
            if len(self._mentees) >= MENTEE_CACHE:
                self._mentees.clear()
                self._reports.clear()
            person = self._mentees[user.pk] = persons_for_users([user])[0]
            for manager in person.manager_chain:
                self._reports.setdefault(manager, set()).add(user.pk)
        return person

    def current_mentors(self, user: User) -> frozenset[int]:
        """The user's mentors in a live mentorship, cached with the index: a mentorship
        changing drops it (`forget`)."""
        ids = self._current_mentors.get(user.pk)
        if ids is None:
            if len(self._current_mentors) >= MENTEE_CACHE:
                self._current_mentors.clear()
            ids = self._current_mentors[user.pk] = frozenset(current_mentor_ids(user))
        return ids

    def forget(self, user_ids: Iterable[int]) -> None:
        """Drop the cached views of these people and of the mentees who report to them."""
        for uid in user_ids:
            self._mentees.pop(uid, None)
            self._current_mentors.pop(uid, None)
            for mentee in self._reports.pop(str(uid), ()):
                self._mentees.pop(mentee, None)

    def column_mask(self, column: Column, key: str) -> BoolArray:
        vocab, codes = column
        code = vocab.get(key)
        if code is None:
            return np.zeros(self.size, dtype=np.bool_)
        return np.asarray(codes == code)

    # --- updating one mentor at a time ---------------------------------------------------

    def updated(self, log: changes.Log) -> WarmIndex:
        """This index with the logged changes, as a new index (this one is left as it is;
        the mentee caches are shared). `needs_rebuild` is set on it when a change can only
        be taken by a rebuild."""
        new = dataclasses.replace(self, version=log.last)
        if log.everyone or self.core is None:
            new.needs_rebuild = True
            return new
        self.forget(log.people)
        people = sorted(log.people)
        mentors_now = set(
            User.objects.filter(pk__in=people, is_active=True, profile__is_mentor=True).values_list(
                "pk", flat=True
            )
        )
        indexed = {uid for uid in people if uid in self.row_of}
        if mentors_now != indexed or self._lines_moved(people):
            new.needs_rebuild = True  # someone joined or left, or a line above mentors moved
            return new
        if not indexed:
            return new
        persons = persons_for_users(User.objects.filter(pk__in=sorted(indexed)), public=True)
        if not all(self._fits(p) for p in persons):
            new.needs_rebuild = True
            return new
        new._set_rows(persons)
        return new

    def _lines_moved(self, people: Sequence[int]) -> bool:
        """Whether the reporting line above any of these people moved, where they stand in a
        mentor's line (that mentor's rules change): one query, and only for such people."""
        managers = [uid for uid in people if str(uid) in self.chain_members]
        if not managers:
            return False
        now = manager_chains(User.objects.filter(pk__in=managers).values("pk"))
        for uid in managers:
            key = str(uid)
            line = next(p.manager_chain for p in self.mentors if key in p.manager_chain)
            if tuple(str(m) for m in now.get(uid, ())) != line[line.index(key) + 1 :]:
                return True
        return False

    def _fits(self, person: Person) -> bool:
        """Whether the fitted space takes this mentor's new Person exactly: every word they
        use is in its vocabularies, and their text is unchanged or encoded on its own."""
        assert self.core is not None
        old = self.mentors[self.row_of[int(person.id)]]
        if self.fitted_text and person.experience != old.experience:
            return False
        space = self.core.space
        own = FeatureSpace.fit([person], None, space.encoder).vocabs
        return all(own[key].keys() <= space.vocabs[key].keys() for key in own)

    def _set_rows(self, persons: list[Person]) -> None:
        """Replace these mentors' Persons, feature rows and columns (copies, never in place)."""
        assert self.core is not None
        rows = [self.row_of[int(p.id)] for p in persons]
        features = self.core.features.copy()
        features[rows] = self.core.space.mentor_features(persons)
        mentors = list(self.mentors)
        for row, person in zip(rows, persons, strict=True):
            mentors[row] = person
        self.mentors = mentors
        self.core = MentorIndex(mentors, self.core.space, features)
        self.function = _recoded(self.function, rows, [p.function for p in persons])
        self.industry = _recoded(self.industry, rows, [p.industry for p in persons])
        self.organisation = _recoded(self.organisation, rows, [p.organisation for p in persons])
        self.seniority, self.hours = self.seniority.copy(), self.hours.copy()
        self.accepting = self.accepting.copy()
        for row, person in zip(rows, persons, strict=True):
            self.seniority[row] = person.seniority
            self.hours[row] = person.hours_per_month
            self.accepting[row] = person.free_slots > 0
        self.languages = _remembered(
            self.languages, rows, [p.languages for p in persons], self.size
        )
        self.guidance = _remembered(
            self.guidance, rows, [p.guidance_offered for p in persons], self.size
        )
        self.chain_members = self.chain_members | {m for p in persons for m in p.manager_chain}
        STATS["mentor_updates"] += len(persons)


# --- this process's index -------------------------------------------------------------------

_lock = threading.Lock()
_current: WarmIndex | None = None
_builder: threading.Thread | None = None
_generation = 0
"""Bumped by `invalidate`: a background build started before it is thrown away."""
_failed_at = -1e9
RETRY_AFTER = 5.0
"""Seconds after a failed background build before another is started."""


def _expired(idx: WarmIndex) -> bool:
    return time.monotonic() - idx.built_at >= _ttl()


def get_index() -> WarmIndex:
    """The warm index, with every logged change applied (see the module's docstring). One
    query when nothing changed."""
    global _current
    database = str(connection.settings_dict.get("NAME"))
    seen = _current
    log = None
    if seen is not None and seen.database == database:
        log = log_after(seen.version)
        if not log and not seen.needs_rebuild and not _expired(seen):
            return seen
    with _lock:
        idx = _current
        if idx is None or idx.database != database:
            _current = WarmIndex.build(current_version(), database)
            return _current
        if idx is not seen or log is None:  # another thread moved it meanwhile
            log = log_after(idx.version)
        if log:
            idx = _current = idx.updated(log)
        if idx.needs_rebuild or _expired(idx):
            # In a transaction, a thread could not see its uncommitted writes.
            if connection.in_atomic_block or not settings.TANDEM_SUGGESTIONS_INDEX_BACKGROUND:
                idx = _current = WarmIndex.build(current_version(), database)
            else:
                _start_rebuild(database)
        return idx


def _start_rebuild(database: str) -> None:
    """Rebuild in a thread of its own, unless one is at it already or the last one failed
    moments ago (call with `_lock`)."""
    global _builder
    if _builder is not None and _builder.is_alive():
        return
    if time.monotonic() - _failed_at < RETRY_AFTER:
        return
    _builder = threading.Thread(
        target=_rebuild, args=(database, _generation), name="tandem-index-build", daemon=True
    )
    _builder.start()


def _rebuild(database: str, generation: int) -> None:
    global _current, _failed_at
    try:
        built = WarmIndex.build(current_version(), database)
        STATS["background_builds"] += 1
        with _lock:
            if generation == _generation and (_current is None or _current.database == database):
                _current = built  # changes logged while it built are applied on the next read
    except Exception:  # the previous index keeps serving; a request tries again later
        _failed_at = time.monotonic()
        logger.exception("Rebuilding the mentor index failed; the previous one serves on")
    finally:
        connections.close_all()  # this thread's own connections


def wait_for_rebuild(timeout: float = 30.0) -> bool:
    """Wait for a background rebuild under way; whether none is running any more."""
    builder = _builder
    if builder is not None:
        builder.join(timeout)
        return not builder.is_alive()
    return True


def warm_up() -> int:
    """Build this process's index now (gunicorn's master, before it forks the workers: each
    starts with it and only applies the changes logged since). How many mentors it holds."""
    return get_index().size


def invalidate() -> None:
    """Drop this process's index (the next request rebuilds it)."""
    global _current, _generation
    with _lock:
        _current = None
        _generation += 1


def _profiles_changed(sender: Any, profile_ids: list[int], **kwargs: Any) -> None:
    """People's bulk import changed these profiles (sent on commit)."""
    from tandem.suggestions.vectors import schedule_warm

    if len(profile_ids) > changes.READ_LIMIT:
        changes.record_everyone()
    else:
        changes.record(Profile.objects.filter(pk__in=profile_ids).values_list("user_id", flat=True))
    schedule_warm(profile_ids)


def connect_signals() -> None:
    """Called once from the app config's ready()."""
    profiles_changed.connect(_profiles_changed, dispatch_uid="suggestions-profiles-changed")
    changes.connect_signals()
