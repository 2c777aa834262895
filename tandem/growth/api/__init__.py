"""API for growth: goals and the action plan, the living job description, opportunities,
contacts and the conversation log, the reach-out list, and the coaching team.

Everything goes through the same selectors (access, 404) and services (writes, 422 on bad
input) as the pages.

One module per part of growth; `schemas` holds the schemas and `_common` the router. Importing
the modules registers their routes on `router`, in this order (the OpenAPI document's).
"""

from __future__ import annotations

# isort: off
from tandem.growth.api._common import router
from tandem.growth.api import goals, job_description, opportunities, contacts, team  # noqa: F401
# isort: on

__all__ = ["router"]
