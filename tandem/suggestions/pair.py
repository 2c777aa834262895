"""One pair's reasons, for a page about a request between them (registered with
`tandem.mentorships.fit`): the same core and renderer as Find a mentor, said to the mentee
or to the mentor."""

from __future__ import annotations

from typing import Any

from tandem.matching.scoring import explain
from tandem.people.models import ListItem
from tandem.suggestions.adapters import persons_for_users
from tandem.suggestions.selectors import Names, render_reason
from tandem.suggestions.vectors import text_encoder


def pair_reasons(*, mentee: Any, mentor: Any, voice: str) -> list[str]:
    """Why `mentor` fits `mentee`, in the active language and the reader's `voice`. Both are
    seen as everyone may see them (`public`), so a reason names nothing either of them shows
    only to their mentorships or programmes: the two are not in a mentorship yet."""
    seen = persons_for_users([mentee, mentor], public=True)
    explanation = explain(seen[0], seen[1], encoder=text_encoder())
    names = Names(items=list(ListItem.objects.all()))
    return [render_reason(r, names, reader=voice) for r in explanation.reasons]
