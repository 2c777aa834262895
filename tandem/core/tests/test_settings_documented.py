"""Each setting's default is stated once, in settings.py; the README's table of settings is
pinned to it, so the two cannot drift apart."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]+)` \| `([^`]*)`", re.MULTILINE)


def _env_defaults() -> dict[str, object]:
    """NAME -> default of every `env_*("NAME", default)` call in settings.py."""
    tree = ast.parse((ROOT / "tandem" / "settings.py").read_text())
    found: dict[str, object] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("env_")
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant)
        ):
            try:
                found[str(node.args[0].value)] = eval(
                    compile(ast.Expression(node.args[1]), "", "eval")
                )
            except NameError:
                continue
    return found


def _readme(value: str) -> str:
    return value.strip().strip('"')


def _same(documented: str, default: object) -> bool:
    if isinstance(default, bool):
        return documented.lower() in (
            {"true", "1", "yes", "on"} if default else {"false", "0", "no", "off", ""}
        )
    if isinstance(default, list):
        return documented == ",".join(default)
    return documented == str(default)


def test_the_readme_states_each_setting_default_as_settings_does() -> None:
    defaults = _env_defaults()
    rows = ROW.findall((ROOT / "README.md").read_text())
    assert len(rows) > 15
    wrong = {
        name: (documented, defaults[name])
        for name, documented in rows
        if name in defaults and not _same(_readme(documented), defaults[name])
    }
    assert wrong == {}


def test_every_tandem_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [n for n in _env_defaults() if n.startswith("TANDEM_") and f"`{n}`" not in readme]
    assert missing == []
