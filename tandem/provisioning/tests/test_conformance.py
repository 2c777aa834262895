"""The SCIM endpoint checked by a conformance suite (scim2-tester) over HTTP, against the live
test server: discovery, and create, read, query, replace, patch and delete of Users and Groups
as the published schemas describe them."""

from __future__ import annotations

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from tandem.people.tests.factories import OrganisationFactory
from tandem.provisioning.services import scim_token_create

pytestmark = pytest.mark.django_db(transaction=True)

FAILED = {Status.ERROR, Status.CRITICAL}


def test_scim2_tester_finds_no_error(live_server) -> None:
    _token, raw = scim_token_create(organisation=OrganisationFactory(name="Acme"), name="HR")
    with httpx2.Client(
        base_url=f"{live_server.url}/scim/v2", headers={"Authorization": f"Bearer {raw}"}
    ) as http:
        # Users only: a token belongs to one organisation and cannot create or delete Groups
        # (organisations), which is how the suite tests them; test_scim.py covers Groups.
        results = check_server(SyncSCIMClient(http), resource_types=["User"])
    failures = [r for r in results if r.status in FAILED]
    assert failures == [], "\n".join(repr(r) for r in failures)
    passed = {(r.resource_type, r.title) for r in results if r.status == Status.SUCCESS}
    for title in (
        "object_creation",
        "object_replacement",
        "object_deletion",
        "check_replace_attribute",
    ):
        assert ("User", title) in passed, title
