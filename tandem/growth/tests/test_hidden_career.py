"""Someone who hid their career history (past employers, roles, when they end) is never
found through it: not in contact suggestions (page and API), nor marked as leaving."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.tests.factories import UserFactory
from tandem.growth import services
from tandem.growth.tests.factories import ContactFactory, make_mentorship, make_profile, make_role

pytestmark = pytest.mark.django_db

START, END = datetime.date(2019, 1, 1), datetime.date(2022, 1, 1)


@pytest.fixture
def colleagues(mentee):
    make_role(mentee, "Bank Rahasia", datetime.date(2018, 1, 1), datetime.date(2021, 6, 1))
    shown = UserFactory(full_name="Shown Colleague")
    hidden = UserFactory(full_name="Hidden Colleague")
    make_role(shown, "Bank Rahasia", START, END)
    make_role(hidden, "Bank Rahasia", START, END)
    make_profile(hidden, visibility_career="mentorship")
    return {"shown": shown, "hidden": hidden}


@pytest.mark.parametrize("kind", ["csrf", "token"])
def test_contact_suggestions_api_leaves_out_a_hidden_career(
    mentee, colleagues, kind, csrf_client_for, token_client_for
):
    client = (csrf_client_for if kind == "csrf" else token_client_for)(mentee)
    rows = client.get("/api/v1/growth/contact-suggestions").json()
    assert [r["user_id"] for r in rows] == [colleagues["shown"].pk]
    assert rows[0]["known_from"] == "Bank Rahasia"


def test_contacts_page_leaves_out_a_hidden_career_and_refuses_adding_it(
    mentee, colleagues, csrf_client_for
):
    client = csrf_client_for(mentee)
    page = client.get(reverse("growth:contacts")).content.decode()
    assert "Shown Colleague" in page and "Hidden Colleague" not in page
    response = client.post(
        reverse("growth:contact_add_suggested"), {"user": colleagues["hidden"].pk}
    )
    assert response.status_code == 404


def test_a_mentorship_lets_the_partner_see_it_again(mentee, colleagues):
    from tandem.growth.selectors import contact_suggestions

    make_mentorship(mentee=mentee, mentor=colleagues["hidden"])
    assert colleagues["hidden"] in {p.user for p in contact_suggestions(user=mentee)}


def test_a_hidden_role_end_does_not_mark_the_contact_as_leaving(mentee):
    soon = timezone.localdate() + datetime.timedelta(days=20)
    shown, hidden = UserFactory(), UserFactory()
    make_role(shown, "Acme", START, end=soon)
    make_role(hidden, "Acme", START, end=soon)
    make_profile(hidden, visibility_career="programme")
    visible = ContactFactory(owner=mentee, user=shown, relationship="colleague")
    secret = ContactFactory(owner=mentee, user=hidden, relationship="colleague")
    assert services.contacts_sync_leaving() == 1
    visible.refresh_from_db()
    secret.refresh_from_db()
    assert visible.leaving_on == soon and secret.leaving_on is None
