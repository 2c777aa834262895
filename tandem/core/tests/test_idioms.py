"""One way to do each everyday thing, so a reader learns it once (issue #14):

- the signed-in user: views and endpoints behind login take `request: AuthedHttpRequest`
  (tandem/accounts/types.py) and read `request.user`; no per-app `_user()`/`_me()` helpers,
  casts, asserts or type-ignores;
- a service's ValidationError on a page: `tandem.core.forms.apply_service_errors` (onto a
  form) or `service_errors_to_messages` (as messages; `perform` runs a button's service call
  and says its success or its errors); no per-app copies that read `error_dict` /
  `message_dict` themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TANDEM = Path(__file__).resolve().parents[2]

USER_IDIOMS = [
    re.compile(r"isinstance\(request\.user\b"),
    re.compile(r"cast\(\s*User\s*,\s*request\.user\s*\)"),
    re.compile(r"request\.user\s*#\s*type:\s*ignore"),
    re.compile(r"def _(user|me)\(request\b"),
]
ERROR_IDIOMS = [
    re.compile(r"\b(error_dict|message_dict)\b"),
    re.compile(r"def _(apply_errors|form_errors|fail|errors_to_messages|error_message)\("),
]


def _sources(kind: str) -> list[Path]:
    """Non-test modules; `kind` "views" keeps only the page modules."""
    found = []
    for path in TANDEM.rglob("*.py"):
        rel = path.relative_to(TANDEM).parts
        if "tests" in rel or "migrations" in rel:
            continue
        if kind == "views" and not ("views" in rel or path.name == "views.py"):
            continue
        found.append(path)
    return found


def _hits(paths: list[Path], patterns: list[re.Pattern[str]]) -> list[str]:
    return [
        f"{path.relative_to(TANDEM.parent)}:{n}: {line.strip()}"
        for path in paths
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if any(p.search(line) for p in patterns)
    ]


def test_one_way_to_type_the_signed_in_user() -> None:
    assert _hits(_sources("all"), USER_IDIOMS) == []


def test_pages_show_service_errors_one_way() -> None:
    assert _hits(_sources("views"), ERROR_IDIOMS) == []


@pytest.mark.parametrize(
    ("line", "patterns"),
    [
        ("    assert isinstance(request.user, User)", USER_IDIOMS),
        ("    return cast(User, request.user)", USER_IDIOMS),
        ("    user: User = request.user  # type: ignore[assignment]", USER_IDIOMS),
        ("    for name, errs in exc.message_dict.items():", ERROR_IDIOMS),
    ],
)
def test_the_idiom_patterns_catch_the_old_ways(line: str, patterns: list[re.Pattern[str]]) -> None:
    assert any(p.search(line) for p in patterns)
