"""Why a mentee and a mentor fit, said to either of them.

The reasons are the matching core's, which the suggestions app computes (its index, its
encoder, its names for the reference lists). Mentorships sits below suggestions, so it owns
this hook and suggestions registers the explainer in its `AppConfig.ready()`. A request's
page shows them to whoever reads it, in their own voice: the mentee reads "They offer the
help you want", the mentor "They want help you offer". With no explainer registered there
are simply no reasons to show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Explainer = Callable[..., list[str]]
"""`explainer(mentee=, mentor=, voice=)`: the pair's reasons in the active language, said to
the mentee (`voice="mentee"`) or the mentor (`voice="mentor"`); nothing either hid."""

_explainers: list[Explainer] = []


def register_fit_explainer(explainer: Explainer) -> None:
    """Registering again replaces it (a reloaded app)."""
    _explainers[:] = [explainer]


def fit_reasons(*, mentee: Any, mentor: Any, reader: Any) -> list[str]:
    """The reasons `mentee` and `mentor` fit, said to `reader` (one of the two)."""
    if not _explainers or reader.pk not in (mentee.pk, mentor.pk):
        return []
    voice = "mentor" if reader.pk == mentor.pk else "mentee"
    return _explainers[0](mentee=mentee, mentor=mentor, voice=voice)
