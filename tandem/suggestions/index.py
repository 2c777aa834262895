"""The warm mentor index: every mentor's feature row, built once per process and kept.

Invalidation, and why this way:
- A version counter (`IndexVersion`, one row) is bumped after the commit of any change to
  what the index is built from: profiles, career roles, organisations, users' time zones,
  mentorships (they change free slots). Signals schedule the bump with `on_commit`, so a
  rolled-back change never invalidates anything; a bump is one single-row UPDATE, and the
  rebuild happens lazily on the next request, once. Each request reads the counter (one
  primary-key query, well under a millisecond) and rebuilds only when it moved: every web
  and worker process sees a change once it is committed, which a TTL alone could not promise.
- A TTL (`TANDEM_SUGGESTIONS_INDEX_TTL`, default 300 s) is the safety net for writes that
  send no signals (`bulk_create`/`bulk_update`, as the people CSV import does, or raw SQL):
  they show up within the TTL, or at once if the writer calls `bump_version()`.
- Building takes a lock, so concurrent requests of one process build it once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from tandem.accounts.models import User
from tandem.matching.suggest import MentorIndex
from tandem.matching.types import Person
from tandem.people.hooks import profiles_changed
from tandem.people.models import ListItem
from tandem.suggestions.adapters import current_mentor_ids, invalidating_models, persons_for_users
from tandem.suggestions.models import IndexVersion
from tandem.suggestions.vectors import text_encoder

DEFAULT_TTL = 300.0
MENTEE_CACHE = 50_000
BoolArray = npt.NDArray[np.bool_]


def _ttl() -> float:
    return float(getattr(settings, "TANDEM_SUGGESTIONS_INDEX_TTL", DEFAULT_TTL))


def _codes(values: list[str]) -> tuple[dict[str, int], npt.NDArray[np.int32]]:
    vocab: dict[str, int] = {}
    out = np.array([vocab.setdefault(v, len(vocab)) if v else -1 for v in values], np.int32)
    return vocab, out


def _membership(sets: list[frozenset[str]]) -> dict[str, BoolArray]:
    out: dict[str, BoolArray] = {}
    for row, items in enumerate(sets):
        for item in items:
            out.setdefault(item, np.zeros(len(sets), dtype=np.bool_))[row] = True
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
    function: tuple[dict[str, int], npt.NDArray[np.int32]]
    industry: tuple[dict[str, int], npt.NDArray[np.int32]]
    organisation: tuple[dict[str, int], npt.NDArray[np.int32]]
    seniority: npt.NDArray[np.int16]
    hours: npt.NDArray[np.float32]
    languages: dict[str, BoolArray] = field(default_factory=dict)
    guidance: dict[str, BoolArray] = field(default_factory=dict)
    accepting: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))
    list_items: list[ListItem] = field(default_factory=list)
    """Reference lists (names in both languages), read with the index: they change rarely,
    and a change bumps the version like any other."""
    _mentees: dict[int, Person] = field(default_factory=dict)
    _current_mentors: dict[int, frozenset[int]] = field(default_factory=dict)

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
        users = User.objects.filter(is_active=True, profile__is_mentor=True).order_by("pk")
        mentors = persons_for_users(users, public=True)
        core = MentorIndex.build(mentors, encoder=text_encoder()) if mentors else None
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
        )

    def mentee(self, user: User) -> Person:
        """The engine's view of `user` as a mentee, cached with the index: anything that
        changes it (profile, career, manager, organisation) bumps the version too."""
        person = self._mentees.get(user.pk)
        if person is None:
            if len(self._mentees) >= MENTEE_CACHE:
                self._mentees.clear()
            person = self._mentees[user.pk] = persons_for_users([user])[0]
        return person

    def current_mentors(self, user: User) -> frozenset[int]:
        """The user's mentors in a live mentorship, cached with the index: a mentorship
        changing bumps the version (`invalidating_models`)."""
        ids = self._current_mentors.get(user.pk)
        if ids is None:
            if len(self._current_mentors) >= MENTEE_CACHE:
                self._current_mentors.clear()
            ids = self._current_mentors[user.pk] = frozenset(current_mentor_ids(user))
        return ids

    def column_mask(
        self, column: tuple[dict[str, int], npt.NDArray[np.int32]], key: str
    ) -> BoolArray:
        vocab, codes = column
        code = vocab.get(key)
        if code is None:
            return np.zeros(self.size, dtype=np.bool_)
        return np.asarray(codes == code)


_lock = threading.Lock()
_current: WarmIndex | None = None


def current_version() -> int:
    """The committed version counter (0 before the first bump)."""
    value = IndexVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(value or 0)


def get_index() -> WarmIndex:
    """The warm index, rebuilt when the version moved, the TTL ran out or the database
    changed (tests). One query when warm."""
    global _current
    version = current_version()
    database = str(connection.settings_dict.get("NAME"))

    def fresh(idx: WarmIndex | None) -> bool:
        return (
            idx is not None
            and idx.version == version
            and idx.database == database
            and time.monotonic() - idx.built_at < _ttl()
        )

    idx = _current
    if fresh(idx):
        assert idx is not None
        return idx
    with _lock:
        if not fresh(_current):
            _current = WarmIndex.build(version, database)
        assert _current is not None
        return _current


def invalidate() -> None:
    """Drop this process's index (the next request rebuilds it)."""
    global _current
    with _lock:
        _current = None


def bump_version() -> None:
    """Tell every process the index is stale. Call after a commit that changed mentors in a
    way no signal reports (bulk writes, raw SQL)."""
    if not IndexVersion.objects.filter(pk=1).update(version=F("version") + 1):
        try:
            with transaction.atomic():
                IndexVersion.objects.create(pk=1, version=1)
        except IntegrityError:
            IndexVersion.objects.filter(pk=1).update(version=F("version") + 1)
    invalidate()


def schedule_bump(**_kwargs: Any) -> None:
    """Bump the version once the current transaction commits (never if it rolls back)."""
    transaction.on_commit(bump_version)


def _user_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    # Logging in saves last_login: that changes nothing the index holds.
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return
    schedule_bump()


def _profiles_changed(sender: Any, profile_ids: list[int], **kwargs: Any) -> None:
    """People's bulk import changed these profiles (sent on commit)."""
    from tandem.suggestions.vectors import schedule_warm

    bump_version()
    schedule_warm(profile_ids)


def connect_signals() -> None:
    """Called once from the app config's ready()."""
    profiles_changed.connect(_profiles_changed, dispatch_uid="suggestions-profiles-changed")
    post_save.connect(_user_saved, sender=User, dispatch_uid="suggestions-user")
    for model, m2m in invalidating_models():
        post_save.connect(schedule_bump, sender=model, dispatch_uid=f"suggestions-{model}")
        post_delete.connect(schedule_bump, sender=model, dispatch_uid=f"suggestions-d-{model}")
        for through in m2m:
            m2m_changed.connect(
                schedule_bump, sender=through, dispatch_uid=f"suggestions-{through}"
            )
