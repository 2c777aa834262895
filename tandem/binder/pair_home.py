"""The mentorship page's binder sections (registered with `tandem.mentorships.pair_home`):
the entries the mentee shared with this mentor, and what the pair does together
(assignments, critiques, resources, thanks). Each list is cut at `SHOWN` rows and links to
its full page: one query per list, whatever their length."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from tandem.binder import selectors
from tandem.mentorships.pair_home import SHOWN


def _cut(rows: Any) -> tuple[list[Any], bool]:
    """The first `SHOWN` rows, and whether there are more (one query)."""
    found = list(rows[: SHOWN + 1])
    return found[:SHOWN], len(found) > SHOWN


def pair_binder(mentorship: Any, viewer: Any) -> dict[str, Any]:
    """Entries the mentee shared with the mentor of this mentorship (while it was live):
    the same list for both of them. Unshared entries stay in her own binder."""
    entries, more = _cut(selectors.shared_entries(mentorship=mentorship))
    return {"entries": entries, "entries_more": more}


def pair_together(mentorship: Any, viewer: Any) -> dict[str, Any]:
    """Assignments (open ones first, by due date), work sent for critique, articles and
    books, and thank-you notes: everything here is the pair's by nature."""
    assignments, assignments_more = _cut(
        selectors.assignments_for(mentorship=mentorship).order_by(
            F("submitted_at").asc(nulls_first=True), "due_date", "pk"
        )
    )
    critiques, critiques_more = _cut(selectors.critiques_for(mentorship=mentorship))
    resources, resources_more = _cut(selectors.resources_for(mentorship=mentorship))
    thanks, thanks_more = _cut(selectors.appreciations_for(mentorship=mentorship))
    return {
        "assignments": assignments,
        "critiques": critiques,
        "resources": resources,
        "appreciations": thanks,
        "more": assignments_more or critiques_more or resources_more or thanks_more,
    }
