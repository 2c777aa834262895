"""What files can be attached to, and who sees them: kinds registered by higher apps.

A higher app registers each kind of object it takes files on in its `AppConfig.ready()`:

    register_kind(
        "binder.critique",
        can_see=lambda user, attachment: ...,     # may `user` download this file?
        can_attach=lambda user, object_id: ...,   # may `user` attach a file to this object?
        url=lambda object_id: ...,                # the object's page (back from a delete)
    )

The attachments app calls these and nothing else of the higher app. A kind nobody
registered (an app removed, a typo) fails closed: nobody sees its files, nobody attaches one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CanSee = Callable[[Any, Any], bool]
CanAttach = Callable[[Any, int], bool]
ObjectUrl = Callable[[int], str]


@dataclass(frozen=True)
class Kind:
    name: str
    can_see: CanSee
    can_attach: CanAttach
    url: ObjectUrl | None = None


_KINDS: dict[str, Kind] = {}


def register_kind(
    name: str,
    *,
    can_see: CanSee,
    can_attach: CanAttach,
    url: ObjectUrl | None = None,
) -> None:
    """Register (or replace) a kind. `name` is stored with every file: keep it stable."""
    if not name or len(name) > 40:
        raise ValueError("A kind's name has 1 to 40 characters.")
    _KINDS[name] = Kind(name=name, can_see=can_see, can_attach=can_attach, url=url)


def get_kind(name: str) -> Kind | None:
    return _KINDS.get(name)


def kinds() -> list[str]:
    return sorted(_KINDS)


def can_see(user: Any, attachment: Any) -> bool:
    """Fails closed: an anonymous user or an unregistered kind sees nothing."""
    if not getattr(user, "is_authenticated", False):
        return False
    kind = _KINDS.get(attachment.kind)
    return kind is not None and bool(kind.can_see(user, attachment))


def can_attach(user: Any, kind_name: str, object_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    kind = _KINDS.get(kind_name)
    return kind is not None and bool(kind.can_attach(user, object_id))


def object_url(attachment: Any) -> str:
    kind = _KINDS.get(attachment.kind)
    return kind.url(attachment.object_id) if kind is not None and kind.url else ""
