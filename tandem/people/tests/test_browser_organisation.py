"""Journey: an organisation's administrator signs in, finds their organisation through the
navigation, sees who has not joined yet and sends that person's invitation again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from tandem.accounts.models import AccountInvitation
from tandem.people.tests.journeys import admin_resends_an_invitation, organisation_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_finds_their_organisation_and_invites_again(page: Any) -> None:
    cast = organisation_cast()
    admin_resends_an_invitation(page, cast)
    invitation = AccountInvitation.objects.get(user=cast.newcomer)
    assert invitation.sent_at is not None
    assert [m.to for m in mail.outbox] == [[cast.newcomer.email]]
    # The page says when it went: the row now shows it was sent.
    row = page.locator("#org-people tbody tr").filter(has_text=cast.newcomer.full_name)
    assert "Last sent" in row.inner_text()
