"""The binder pages, one module per sub-domain: `notebook` (the mentee's own binder),
`shared` (a mentorship's shared pages) and `assignments` (one assignment or critique).
`views.<name>` reads as before."""

from __future__ import annotations

from tandem.binder.views.assignments import (
    assignment_detail,
    assignment_files,
    critique_detail,
    critique_files,
)
from tandem.binder.views.notebook import (
    binder_export,
    binder_export_markdown,
    binder_home,
    binder_search,
    entry_add,
    entry_agenda,
    entry_answered,
    entry_delete,
    entry_detail,
    entry_reply,
    entry_share,
    entry_urgent,
)
from tandem.binder.views.shared import (
    appreciation_new,
    assignment_new,
    critique_new,
    resource_new,
    shared_binder,
    together,
)

__all__ = [
    "appreciation_new",
    "assignment_detail",
    "assignment_files",
    "assignment_new",
    "binder_export",
    "binder_export_markdown",
    "binder_home",
    "binder_search",
    "critique_detail",
    "critique_files",
    "critique_new",
    "entry_add",
    "entry_agenda",
    "entry_answered",
    "entry_delete",
    "entry_detail",
    "entry_reply",
    "entry_share",
    "entry_urgent",
    "resource_new",
    "shared_binder",
    "together",
]
