"""TANDEM_MFA_REQUIRED_FOR=programme_managers: programs registers the role with accounts."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tandem.accounts.hooks import mfa_role_predicates
from tandem.programs.tests.factories import make_programme

pytestmark = pytest.mark.django_db


def test_programme_managers_role_is_registered(manager, outsider) -> None:
    make_programme(manager)
    (predicate,) = mfa_role_predicates(["programme_managers"])
    assert predicate(manager) is True
    assert predicate(outsider) is False


def test_a_programme_manager_without_mfa_is_sent_to_set_it_up(
    settings, manager, manager_client, outsider_client
) -> None:
    settings.TANDEM_MFA_REQUIRED_FOR = ["programme_managers"]
    make_programme(manager)
    response = manager_client.get(reverse("programs:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    # Outsiders (no programme to manage) are not asked.
    assert outsider_client.get(reverse("programs:list")).status_code == 200
    TOTP.activate(manager, generate_totp_secret())
    assert manager_client.get(reverse("programs:list")).status_code == 200


def test_staff_only_setting_leaves_programme_managers_alone(
    settings, manager, manager_client
) -> None:
    settings.TANDEM_MFA_REQUIRED_FOR = ["staff"]
    make_programme(manager)
    assert manager_client.get(reverse("programs:list")).status_code == 200
