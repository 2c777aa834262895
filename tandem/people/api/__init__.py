"""API: my profile, career roles, someone's profile (field groups honour visibility), the
mentor directory, organisations, reference lists, and the CSV import and export.

`schemas` holds the schemas and `_common` the router; importing `profiles` and `import_export`
registers their routes on `router`, in this order (the OpenAPI document's).
"""

from __future__ import annotations

# isort: off
from tandem.people.api._common import router
from tandem.people.api import profiles, import_export, organisations  # noqa: F401
# isort: on

__all__ = ["router"]
