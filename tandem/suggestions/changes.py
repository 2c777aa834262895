"""The log of changes to what the mentor index is built from, so that every process updates
only the mentors a change concerns (see `tandem.suggestions.index`).

Writing: signals on the models the index reads (`adapters.invalidating_models`) name the
people a write changed; once its transaction commits, one short transaction bumps
`IndexVersion` and writes one `IndexChange` row per person under the new number (a
rolled-back change logs nothing). The bump holds the counter row's lock until that
transaction commits, so numbers commit in order: a reader that sees number v has seen every
change up to v, on PostgreSQL as on SQLite. A change that touches everyone (reference lists,
organisations, a bulk import, a reverse many-to-many edit) is logged as one row without a
person.

Reading: `log_after(v)` is one indexed query, empty nearly always. The log keeps the last
`KEEP_VERSIONS` numbers; a process further behind reads more than `READ_LIMIT` rows, which
tells it to rebuild rather than update (a gap in what it saw can never go unnoticed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from tandem.accounts.models import User
from tandem.people.models import CareerRole, Profile
from tandem.suggestions.adapters import invalidating_models
from tandem.suggestions.models import IndexChange, IndexVersion

READ_LIMIT = 500
"""Rows read at most; more means a rebuild is cheaper (and a gap may lie behind)."""
KEEP_VERSIONS = 2000
"""Numbers kept in the log; must exceed READ_LIMIT so that a reader behind the pruning
always reads more than READ_LIMIT rows."""
PRUNE_EVERY = 200
"""Every this many numbers, the writer deletes the rows older than KEEP_VERSIONS."""
EVERYONE = None
"""The person of a change that touches everyone."""


def current_version() -> int:
    """The number of the latest committed change (0 before the first)."""
    value = IndexVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(value or 0)


def record(user_ids: Iterable[int | None]) -> int:
    """Log a committed change to these people (EVERYONE for all) under a new number, and
    return it (0 when there was nothing to log). Call it after the change committed."""
    people = set(user_ids)
    if not people:
        return 0
    if len(people) > READ_LIMIT or EVERYONE in people:
        people = {EVERYONE}
    with transaction.atomic():
        if not IndexVersion.objects.filter(pk=1).update(version=F("version") + 1):
            try:
                with transaction.atomic():
                    IndexVersion.objects.create(pk=1, version=1)
            except IntegrityError:  # another writer created it meanwhile
                IndexVersion.objects.filter(pk=1).update(version=F("version") + 1)
        version = current_version()  # our own update: the row stays locked until commit
        IndexChange.objects.bulk_create(
            [IndexChange(version=version, user_id=uid) for uid in sorted(people, key=str)]
        )
        if version % PRUNE_EVERY == 0:
            IndexChange.objects.filter(version__lte=version - KEEP_VERSIONS).delete()
    return version


def record_everyone() -> int:
    """Log a change that touches every mentor (call after the commit of bulk writes or raw
    SQL that send no signals): every process rebuilds its index."""
    return record([EVERYONE])


@dataclass
class Log:
    """The changes after some version: the people they name, or `everyone`."""

    last: int
    people: set[int] = field(default_factory=set)
    everyone: bool = False

    def __bool__(self) -> bool:
        return bool(self.people) or self.everyone


def log_after(version: int) -> Log:
    """The changes committed after `version` (one query)."""
    rows = list(
        IndexChange.objects.filter(version__gt=version)
        .order_by("version")
        .values_list("version", "user_id")[: READ_LIMIT + 1]
    )
    log = Log(last=max((v for v, _uid in rows), default=version))
    if len(rows) > READ_LIMIT:
        log.everyone = True
    for _version, uid in rows:
        if uid is None:
            log.everyone = True
        else:
            log.people.add(int(uid))
    return log


# --- collecting a transaction's changes -----------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The on-commit hook that logs a change to these people (see `schedule`)."""

    people: frozenset[int | None]

    def __call__(self) -> None:
        record(self.people)


def schedule(user_ids: Iterable[int | None]) -> None:
    """Log a change to these people once the current transaction commits (never if it rolls
    back; outside a transaction, at once). Robust: a failure to log (the database went away
    just after the commit) is logged, not raised at a user whose write did commit; the
    indexes then see the change within their TTL."""
    transaction.on_commit(Change(frozenset(user_ids)), robust=True)


def _profile_user(profile_id: int) -> int | None:
    """The person of a profile, or EVERYONE when it is gone (a deletion cascading)."""
    uid = Profile.objects.filter(pk=profile_id).values_list("user_id", flat=True).first()
    return int(uid) if uid is not None else EVERYONE


def _people_of(instance: Any) -> list[int | None]:
    """Whose entry in the index a saved or deleted object changes (EVERYONE: anyone's)."""
    if isinstance(instance, User):
        return [instance.pk]
    if isinstance(instance, Profile):
        return [instance.user_id]
    if isinstance(instance, CareerRole):
        return [_profile_user(instance.profile_id)]
    mentor_id = getattr(instance, "mentor_id", None)  # a mentorship: the mentor's free places
    mentee_id = getattr(instance, "mentee_id", None)  # and the mentee's current mentors
    if mentor_id is not None and mentee_id is not None:
        return [mentor_id, mentee_id]
    return [EVERYONE]  # reference lists, organisations


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    schedule(_people_of(instance))


def _user_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    # Logging in saves last_login: that changes nothing the index holds.
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return
    schedule([instance.pk])


def _m2m_changed(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    # A profile's values, humour, guidance: that person. From the other side (a list item's
    # profiles, an organisation's competitors): anyone.
    schedule([instance.user_id] if isinstance(instance, Profile) and not reverse else [EVERYONE])


def connect_signals() -> None:
    """Called once from the app config's ready() (through `index.connect_signals`)."""
    post_save.connect(_user_saved, sender=User, dispatch_uid="suggestions-user")
    post_delete.connect(_saved, sender=User, dispatch_uid="suggestions-d-user")
    for model, m2m in invalidating_models():
        post_save.connect(_saved, sender=model, dispatch_uid=f"suggestions-{model}")
        post_delete.connect(_saved, sender=model, dispatch_uid=f"suggestions-d-{model}")
        for through in m2m:
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"suggestions-{through}")
