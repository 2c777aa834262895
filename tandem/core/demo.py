"""Demo data loader. Each domain app may provide `tandem/<app>/demo.py` with
`load(ctx: DemoContext) -> None`; they run in DEMO_APPS order inside one transaction.
Every loader must be idempotent (running `tandem demo` twice changes nothing)."""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

DEMO_APPS = [
    "accounts",
    "people",
    "suggestions",
    "mentorships",
    "meetings",
    "binder",
    "growth",
    "programs",
    "notifications",
]


@dataclass
class DemoContext:
    rng: random.Random
    password: str
    logins: list[tuple[str, str]] = field(default_factory=list)  # (email, what it shows)
    data: dict[str, Any] = field(default_factory=dict)  # loaders share objects by key


def load_demo(*, password: str, seed: int = 2026) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed), password=password)
    with transaction.atomic():
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"tandem.{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"tandem.{app}.demo":
                    raise
                continue
            module.load(ctx)
    return ctx
