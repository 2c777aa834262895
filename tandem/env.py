"""Small typed helpers that read settings from the environment."""

from __future__ import annotations

import json
import os
from typing import Any


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_json_list(name: str) -> list[dict[str, Any]]:
    """A JSON list of objects (e.g. identity providers); empty or unset: []."""
    value = os.environ.get(name, "").strip()
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise ValueError(f"{name} is not valid JSON: {exc}") from exc
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise ValueError(f"{name} must be a JSON list of objects")
    return parsed
