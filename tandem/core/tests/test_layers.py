"""Layers go one way: an app imports only the apps below it in INSTALLED_APPS (the layer
order written in CONTRIBUTING.md), never one above it or beside it, not even inside a
function. Every module under tandem/<app>/ is parsed, function-local imports included;
tests and migrations aside. The matching core imports no Tandem app at all."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

import tandem

ROOT = Path(tandem.__file__).parent
LAYERS = [name.split(".", 1)[1] for name in settings.INSTALLED_APPS if name.startswith("tandem.")]
PURE = {"matching"}  # no Django, no Tandem app: below everything

# Upward imports still to remove, each with the reason it remains. The test fails when one
# disappears (so the list only shrinks) and when any other appears. Empty: keep it so.
KNOWN: set[tuple[str, str, str]] = set()


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: use absolute imports (tandem.<app>...)")
    return found


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "tandem" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS or parts[1] in PURE else None


def violations() -> set[tuple[str, str, str]]:
    rank = {app: i for i, app in enumerate(LAYERS)}
    out = set()
    for app in [*LAYERS, *PURE]:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "tests" in rel.parts or "migrations" in rel.parts:
                continue
            for _line, module in _imports(path):
                target = _app_of(module)
                if target is None or target == app:
                    continue
                if app in PURE or (target not in PURE and rank[target] > rank[app]):
                    out.add((str(rel), app, target))
    return out


def test_every_tandem_app_has_a_layer():
    apps_on_disk = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps_on_disk == set(LAYERS), "add the app to INSTALLED_APPS in its layer"


def test_imports_go_down_the_layers_only():
    found = violations()
    new = sorted(found - KNOWN)
    assert not new, "imports that go up or sideways (file, app, imported app):\n" + "\n".join(
        f"  {f}: {a} -> {t}" for f, a, t in new
    )
    gone = sorted(KNOWN - found)
    assert not gone, f"remove these from KNOWN, they are fixed: {gone}"


def test_the_checker_sees_function_local_imports(tmp_path, monkeypatch):
    """A lazy import inside a function is caught like one at the top."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from tandem.programs.models import Programme\n")
    assert (2, "tandem.programs.models") in _imports(module)


def app_graph() -> dict[str, set[str]]:
    """Which Tandem app imports which (function-local imports included)."""
    graph: dict[str, set[str]] = {app: set() for app in [*PURE, *LAYERS]}
    for app in graph:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "tests" in rel.parts or "migrations" in rel.parts:
                continue
            for _line, module in _imports(path):
                target = _app_of(module)
                if target and target != app:
                    graph[app].add(target)
    return graph


if __name__ == "__main__":  # DJANGO_SETTINGS_MODULE=tandem.settings python -m <this module>
    for app, targets in app_graph().items():
        print(f"{app:14} -> {', '.join(sorted(targets)) or '(none)'}")
