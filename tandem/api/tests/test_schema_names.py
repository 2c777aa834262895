"""Every schema in the OpenAPI document has a name of its own: two classes with one name
would leave one of them out of the document, and a client generated from it would read the
wrong fields."""

from __future__ import annotations

from ninja import Schema

from tandem.api.api import api


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    sub: type
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    api.get_openapi_schema()  # every router mounted, every schema imported
    ours = [c for c in _subclasses(Schema) if c.__module__.startswith("tandem.")]
    by_name: dict[str, list[str]] = {}
    for cls in ours:
        by_name.setdefault(cls.__name__, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {n: m for n, m in by_name.items() if len(m) > 1} == {}
