"""Why a proposed pair fits, as people read it: the reasons a run stored with each pair,
rendered by the one renderer of matching reasons (Find a mentor's
`tandem.suggestions.selectors.render_reason`), so reference-list values ("promotion",
"product") are named in the reader's language and the sentence speaks to its reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.matching.reasons import TEMPLATES, Reason
from tandem.suggestions.selectors import Names, render_reason


def names_read() -> Names:
    """The reference lists, to name the values reasons carry (one query)."""
    return Names.read()


def stored_reason(data: dict[str, Any]) -> Reason | None:
    """A reason as a run stored it ({"code", "params"}, lists for tuples); None for one
    without a known code."""
    code = data.get("code")
    if code not in TEMPLATES:
        return None
    params = {
        k: tuple(v) if isinstance(v, list) else v for k, v in dict(data.get("params", {})).items()
    }
    return Reason(str(code), params)


@dataclass(frozen=True)
class ReasonText:
    """One stored reason, rendered when it is shown: in the language active then (an email
    renders it in its recipient's language), in the voice of `reader` ("pair" for a
    programme manager, "mentee" or "mentor" for one side of the pair)."""

    data: dict[str, Any]
    names: Names
    reader: str = "pair"

    def __str__(self) -> str:
        reason = stored_reason(self.data)
        if reason is None:
            return str(self.data.get("text", ""))
        return render_reason(reason, self.names, reader=self.reader)


def pair_reasons(reasons: list[dict[str, Any]], names: Names, *, reader: str) -> list[ReasonText]:
    """A pair's stored reasons, ready to show to `reader` (rendered when shown)."""
    return [ReasonText(r, names, reader) for r in reasons]


def reason_strings(reasons: list[dict[str, Any]], names: Names, *, reader: str) -> list[str]:
    """A pair's stored reasons as sentences in the active language."""
    return [str(r) for r in pair_reasons(reasons, names, reader=reader)]
