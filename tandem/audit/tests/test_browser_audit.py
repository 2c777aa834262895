"""Journey: after an organisation's administrator looked at its people and sent an
invitation again, staff open the audit log from the navigation and find both, with who did
it and to whom; filtering by that administrator keeps them."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.accounts.models import User
from tandem.people.tests.journeys import admin_resends_an_invitation, organisation_cast, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_see_what_an_organisation_admin_did(page: Any, staff: User) -> None:
    cast = organisation_cast()
    admin_resends_an_invitation(page, cast)
    page.context.clear_cookies()

    sign_in(page, staff.email)
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Audit log").click()
    page.wait_for_url("**/audit/**")
    rows = page.locator("table.audit-log tbody tr")
    sent = rows.filter(has_text="Sent an invitation")
    assert sent.count() == 1
    text = sent.inner_text()
    assert cast.admin.email in text and cast.newcomer.email in text
    assert f"organisation:{cast.organisation.pk}" in text
    viewed = rows.filter(has_text=f"organisation:{cast.organisation.pk} people")
    assert viewed.count() >= 1 and cast.admin.email in viewed.first.inner_text()
    assert "Viewed data" in viewed.first.inner_text()

    # Following the administrator's name shows only what they did.
    sent.get_by_role("link", name=cast.admin.email).click()
    page.wait_for_url(f"**actor={cast.admin.pk}**")
    actors = page.locator("table.audit-log tbody tr td:nth-child(2)").all_inner_texts()
    assert actors and all(cast.admin.email in actor for actor in actors)
