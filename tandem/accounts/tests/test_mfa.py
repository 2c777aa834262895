"""MFA through allauth.mfa: TOTP enrolment and login with a code, recovery codes, and the
roles that must use it (TANDEM_MFA_REQUIRED_FOR, enforced by MFARequiredMiddleware)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from tandem.accounts.hooks import mfa_role_predicates
from tandem.accounts.sso_settings import mfa_roles, sso_providers
from tandem.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tandem.env import env_json_list

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counter = list(yield_hotp_counters_from_time())[len(list(yield_hotp_counters_from_time())) // 2]
    return format_hotp_value(hotp_value(secret, counter))


def password_login(client: Client, email: str) -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content


@pytest.mark.parametrize("language", ["en", "id"])
def test_totp_enrolment_then_login_asks_for_a_code(client, language) -> None:
    user = UserFactory(email="sec@example.com", language=language)
    password_login(client, user.email)

    # Setting up a factor asks for the password again (allauth's reauthentication).
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    reauth = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"),
        {"password": TEST_PASSWORD},
    )
    assert reauth.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'lang="{language}"' in body
    assert {"en": "Authenticator App", "id": "Aplikasi Autentikator"}[language] in body
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not wrong.wsgi_request.user.is_authenticated

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == user


def test_a_recovery_code_signs_in_when_the_phone_is_lost(client) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = UserFactory(email="lost@example.com")
    TOTP.activate(user, generate_totp_secret())
    codes = RecoveryCodes.activate(user).get_unused_codes()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert client.get(reverse("home")).wsgi_request.user == user


def test_webauthn_is_offered(client) -> None:
    user = UserFactory(email="key@example.com")
    password_login(client, user.email)
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    assert reverse("mfa_add_webauthn") in page.content.decode()


# --- Required MFA -----------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True)


def test_required_mfa_sends_staff_without_an_authenticator_to_set_it_up(settings, staff) -> None:
    settings.TANDEM_MFA_REQUIRED_FOR = ["staff"]
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    # The setup pages, reauthentication, language and logout stay open.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in {200, 302}
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    # The API (with the session) is refused, not redirected.
    api = client.get("/api/v1/accounts/me")
    assert api.status_code == 403
    assert "two-factor" in api.json()["detail"]
    htmx = client.get(reverse("accounts:settings"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("mfa_index")
    assert client.post(reverse("account_logout")).status_code == 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_required_mfa_message_in_indonesian(settings) -> None:
    settings.TANDEM_MFA_REQUIRED_FOR = ["staff"]
    user = UserFactory(email="staf@example.com", is_staff=True, language="id")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("home"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("mfa_index")
    assert "Peran Anda mewajibkan autentikasi dua faktor" in page.content.decode()


def test_required_mfa_lets_staff_with_an_authenticator_through(settings, staff) -> None:
    settings.TANDEM_MFA_REQUIRED_FOR = ["staff"]
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_recovery_codes_alone_do_not_count(settings, staff) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    settings.TANDEM_MFA_REQUIRED_FOR = ["staff"]
    RecoveryCodes.activate(staff)
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_required_mfa_leaves_other_roles_alone(settings, outsider_client) -> None:
    settings.TANDEM_MFA_REQUIRED_FOR = ["staff"]
    assert outsider_client.get(reverse("accounts:settings")).status_code == 200


def test_no_role_required_by_default(staff) -> None:
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_mfa_pages_are_for_signed_in_people_only(client) -> None:
    for name in ["mfa_index", "mfa_activate_totp"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_staff_role_is_registered() -> None:
    assert len(mfa_role_predicates(["staff"])) == 1
    assert mfa_role_predicates([]) == []


def test_every_role_the_setting_takes_is_registered() -> None:
    """A role the setting accepts but no app registers would require MFA of nobody."""
    from tandem.accounts.sso_settings import MFA_ROLES

    assert len(mfa_role_predicates(list(MFA_ROLES))) == len(MFA_ROLES)


# --- Settings ---------------------------------------------------------------------------------


def test_mfa_roles_refuse_a_misspelt_role() -> None:
    assert mfa_roles(["staff", "programme_managers", "org_admins"]) == [
        "staff",
        "programme_managers",
        "org_admins",
    ]
    with pytest.raises(ImproperlyConfigured, match="programme_manager"):
        mfa_roles(["programme_manager"])


def test_sso_providers_from_settings() -> None:
    config = sso_providers(
        [
            {
                "id": "okta",
                "name": "Okta",
                "server_url": "https://acme.okta.com",
                "client_id": "c",
                "secret": "s",
                "domains": ["Acme.example"],
            }
        ],
        [
            {
                "id": "entra",
                "name": "Entra ID",
                "entity_id": "https://sts.windows.net/x/",
                "sso_url": "https://login.microsoftonline.com/x/saml2",
                "x509cert": "MIIC...",
            }
        ],
    )
    oidc = config["openid_connect"]["APPS"][0]
    assert oidc["provider_id"] == "okta"
    assert oidc["settings"]["verified_email"] == ["acme.example"]
    saml = config["saml"]["APPS"][0]
    assert saml["client_id"] == "entra"
    assert saml["settings"]["advanced"]["want_assertion_signed"] is True
    assert sso_providers([], []) == {}
    with pytest.raises(ImproperlyConfigured, match="secret"):
        sso_providers([{"id": "x", "name": "X", "server_url": "u", "client_id": "c"}], [])
    with pytest.raises(ImproperlyConfigured, match="sso_url"):
        sso_providers([], [{"id": "x", "name": "X", "entity_id": "e"}])


def test_env_json_list(monkeypatch) -> None:
    monkeypatch.setenv("TANDEM_X", "")
    assert env_json_list("TANDEM_X") == []
    monkeypatch.setenv("TANDEM_X", '[{"id": "a"}]')
    assert env_json_list("TANDEM_X") == [{"id": "a"}]
    for bad in ['{"id": "a"}', "[1]", "not json"]:
        monkeypatch.setenv("TANDEM_X", bad)
        with pytest.raises(ValueError, match="TANDEM_X"):
            env_json_list("TANDEM_X")


def test_recovery_code_format() -> None:
    assert re.fullmatch(r"\d{6}", current_code(generate_totp_secret()))


# --- API --------------------------------------------------------------------------------------


def test_api_security_reports_mfa_and_sso(token_client_for, settings) -> None:
    user = UserFactory(email="api@example.com")
    client = token_client_for(user)
    assert client.get("/api/v1/accounts/me/security").json() == {
        "mfa_enabled": False,
        "mfa_required": False,
        "sso_providers": [],
    }
    TOTP.activate(user, generate_totp_secret())
    assert client.get("/api/v1/accounts/me/security").json()["mfa_enabled"] is True


def test_api_security_is_the_callers_own_only(client, outsider, token_client_for) -> None:
    assert client.get("/api/v1/accounts/me/security").status_code == 401
    TOTP.activate(outsider, generate_totp_secret())
    other = token_client_for(UserFactory(email="other@example.com"))
    assert other.get("/api/v1/accounts/me/security").json()["mfa_enabled"] is False


def test_a_token_cannot_skip_required_mfa(settings, staff, token_client_for) -> None:
    client = token_client_for(staff)
    assert client.get("/api/v1/accounts/me").status_code == 200
    settings.TANDEM_MFA_REQUIRED_FOR = ["staff"]
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    TOTP.activate(staff, generate_totp_secret())
    assert client.get("/api/v1/accounts/me").status_code == 200


def test_totp_activation_needs_the_csrf_token() -> None:
    from tandem.core.tests.clients import CsrfClient

    user = UserFactory(email="csrf-mfa@example.com")
    browser = CsrfClient()
    password_login(browser, user.email)
    browser.csrf_token = browser.cookies["csrftoken"].value  # logging in rotates it
    browser.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"),
        {"password": TEST_PASSWORD},
    )
    secret = browser.get(reverse("mfa_activate_totp")).context["form"].secret
    refused = browser.post(
        reverse("mfa_activate_totp"), {"code": current_code(secret)}, without_csrf=True
    )
    assert refused.status_code == 403
    assert not Authenticator.objects.filter(user=user).exists()
    browser.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_someone_elses_security_key_is_404(client, outsider_client, mentee) -> None:
    key = Authenticator.objects.create(
        user=mentee, type=Authenticator.Type.WEBAUTHN, data={"name": "Key", "credential": {}}
    )
    for name in ["mfa_edit_webauthn", "mfa_remove_webauthn"]:
        url = reverse(name, kwargs={"pk": key.pk})
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.post(url).status_code == 404
        assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert Authenticator.objects.filter(pk=key.pk).exists()


@pytest.mark.parametrize(
    ("name", "en", "id"),
    [
        ("mfa_index", "Two-Factor Authentication", "Autentikasi Dua Faktor"),
        ("mfa_list_webauthn", "Security Keys", "Kunci Keamanan"),
        ("socialaccount_connections", "Account Connections", "Koneksi Akun"),
    ],
)
@pytest.mark.parametrize("language", ["en", "id"])
def test_allauth_pages_wear_tandems_layout_in_both_languages(name, en, id, language) -> None:
    user = UserFactory(email=f"look-{language}@example.com", language=language)
    client = Client()
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert 'class="site-footer"' in body  # Tandem's base.html
    assert {"en": en, "id": id}[language] in body
    # The settings navigation links to these pages.
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("mfa_index") in settings_page
    assert reverse("socialaccount_connections") in settings_page


def test_a_provider_whose_login_page_is_elsewhere_names_its_origin() -> None:
    """Content-Security-Policy's form-action must allow where the provider's login page is;
    for some (AWS Cognito's hosted UI) that is not the issuer's origin."""
    from tandem.accounts.sso_settings import idp_origins

    config = sso_providers(
        [
            {
                "id": "cognito",
                "name": "Cognito",
                "server_url": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc",
                "client_id": "c",
                "secret": "s",
                "login_origins": ["https://acme.auth.eu-west-1.amazoncognito.com"],
            },
            {
                "id": "okta",
                "name": "Okta",
                "server_url": "https://acme.okta.com/oauth2/default",
                "client_id": "c",
                "secret": "s",
            },
        ],
        [],
    )
    assert idp_origins(config) == [
        "https://cognito-idp.eu-west-1.amazonaws.com",
        "https://acme.auth.eu-west-1.amazoncognito.com",
        "https://acme.okta.com",
    ]
