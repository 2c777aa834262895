"""Single sign-on end to end: a real OpenID Connect provider (tandem/accounts/tests/oidc_idp.py,
over HTTP in a thread) and a real SAML identity provider (pysaml2, signing its response),
driven through allauth with the test client; just-in-time accounts joining the organisation
that owns their email domain; SSO required refusing passwords."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tandem.accounts.models import User
from tandem.accounts.sso_settings import sso_providers
from tandem.accounts.tests.factories import UserFactory
from tandem.accounts.tests.oidc_idp import OIDCProvider, path_of
from tandem.accounts.tests.saml_idp import SAMLIdentityProvider
from tandem.core.tests.clients import CsrfClient
from tandem.people.models import Organisation, OrganisationDomain, Profile
from tandem.people.selectors import organisation_for_email_domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(settings) -> Iterator[OIDCProvider]:
    provider = OIDCProvider(client_id="tandem-client", secret="s3cret-for-tests").start()
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
        [
            {
                "id": "acme",
                "name": "Acme Keycloak",
                "server_url": provider.issuer,
                "client_id": provider.client_id,
                "secret": provider.secret,
            }
        ],
        [],
    )
    yield provider
    provider.stop()


@pytest.fixture
def acme(db):
    organisation = Organisation.objects.create(name="Acme Indonesia")
    OrganisationDomain.objects.create(
        organisation=organisation, domain="Acme.example", verified=True
    )
    return organisation


@pytest.mark.django_db
def test_an_unverified_domain_neither_joins_nor_requires_sso(acme) -> None:
    from tandem.people.selectors import organisation_for_email_domain

    OrganisationDomain.objects.filter(organisation=acme).update(verified=False, sso_required=True)
    assert organisation_for_email_domain("rani@acme.example") is None
    OrganisationDomain.objects.filter(organisation=acme).update(verified=True)
    assert organisation_for_email_domain("rani@acme.example").organisation == acme


def oidc_login(client: Client, idp: OIDCProvider, **claims: object):
    """The whole authorization-code flow: Tandem → IdP → Tandem's callback."""
    idp.login_as(**claims)
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "acme"}))
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(f"{idp.issuer}/authorize?")
    assert "code_challenge=" in start["Location"]  # PKCE
    callback = idp.authorize(start["Location"])
    assert callback.startswith("http://testserver/accounts/oidc/acme/login/callback/")
    return client.get(path_of(callback))


def test_login_page_offers_the_configured_provider(client, idp) -> None:
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "Acme Keycloak" in response.content.decode()
    assert reverse("openid_connect_login", kwargs={"provider_id": "acme"}) in (
        response.content.decode()
    )


def test_no_provider_configured_means_password_login_only(client, settings) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers([], [])
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "/accounts/oidc/" not in response.content.decode()
    assert client.post("/accounts/oidc/acme/login/").status_code == 404


def test_oidc_first_login_creates_the_account_just_in_time_and_joins_the_organisation(
    client, idp, acme
) -> None:
    response = oidc_login(
        client,
        idp,
        sub="kc-1001",
        email="Sari@acme.example",
        email_verified=True,
        name="Sari Dewi",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email__iexact="sari@acme.example")
    assert user.full_name == "Sari Dewi"
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, verified=True).exists()
    assert SocialAccount.objects.get(user=user).uid == "kc-1001"
    assert Profile.objects.get(user=user).organisation == acme
    assert idp.token_requests == 1
    # Signed in: the home page is the person's.
    assert client.get(reverse("home")).wsgi_request.user == user


def test_oidc_login_links_an_existing_account_by_verified_email(client, idp, acme) -> None:
    existing = UserFactory(email="budi@acme.example", full_name="Budi Santoso")
    response = oidc_login(
        client, idp, sub="kc-2002", email="budi@acme.example", email_verified=True, name="B"
    )
    assert response.status_code == 302
    assert User.objects.filter(email="budi@acme.example").count() == 1
    assert SocialAccount.objects.get(uid="kc-2002").user == existing
    assert client.get(reverse("home")).wsgi_request.user == existing
    existing.refresh_from_db()
    assert existing.full_name == "Budi Santoso"  # an existing account keeps its name


def test_oidc_unverified_email_does_not_take_over_an_account(client, idp) -> None:
    existing = UserFactory(email="victim@elsewhere.example")
    oidc_login(client, idp, sub="kc-evil", email="victim@elsewhere.example", email_verified=False)
    assert not SocialAccount.objects.filter(user=existing).exists()
    assert client.get(reverse("home")).wsgi_request.user != existing


def test_oidc_email_outside_every_organisation_domain_joins_none(client, idp, acme) -> None:
    oidc_login(client, idp, sub="kc-3", email="lone@other.example", email_verified=True)
    user = User.objects.get(email="lone@other.example")
    assert Profile.objects.filter(user=user, organisation__isnull=False).count() == 0


def test_organisation_for_email_domain(acme) -> None:
    found = organisation_for_email_domain("someone@ACME.example")
    assert found is not None and found.organisation == acme
    assert organisation_for_email_domain("someone@sub.acme.example") is None
    assert organisation_for_email_domain("not-an-email") is None


def test_password_signup_confirmed_at_an_organisation_domain_joins_it(acme) -> None:
    from allauth.account.signals import email_confirmed

    UserFactory(email="rina@acme.example")
    address = EmailAddress.objects.get(email="rina@acme.example")
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert Profile.objects.get(user__email="rina@acme.example").organisation == acme


@pytest.mark.parametrize("language", ["en", "id"])
def test_sso_required_refuses_password_login_with_a_pointer_to_sso(client, acme, language) -> None:
    OrganisationDomain.objects.filter(organisation=acme).update(sso_required=True)
    UserFactory(email="dewi@acme.example", password="a-long-Passphrase-2026")
    client.cookies["tandem_language"] = language
    response = client.post(
        reverse("account_login"),
        {"login": "dewi@acme.example", "password": "a-long-Passphrase-2026"},
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    expected = {
        "en": "Acme Indonesia signs its people in through single sign-on",
        "id": "Acme Indonesia memasukkan anggotanya melalui masuk tunggal (SSO)",
    }[language]
    assert expected in response.content.decode()


def test_sso_optional_still_allows_password_login(client, acme) -> None:
    user = UserFactory(email="eka@acme.example", password="a-long-Passphrase-2026")
    response = client.post(
        reverse("account_login"),
        {"login": "eka@acme.example", "password": "a-long-Passphrase-2026"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == user


def test_sso_required_still_lets_the_organisation_sign_in_through_sso(client, idp, acme) -> None:
    OrganisationDomain.objects.filter(organisation=acme).update(sso_required=True)
    response = oidc_login(client, idp, sub="kc-9", email="fajar@acme.example", email_verified=True)
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user.email == "fajar@acme.example"


def test_sso_pages_in_indonesian(client, idp) -> None:
    client.cookies["tandem_language"] = "id"
    with translation.override("id"):
        response = client.get(reverse("openid_connect_login", kwargs={"provider_id": "acme"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Acme Keycloak" in body
    assert 'lang="id"' in body


# --- SAML 2.0 -------------------------------------------------------------------------------


@pytest.fixture
def saml_client(settings) -> Client:
    """SAML wants a dotted host name in its URLs (Tandem's SITE_URL host in production)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "tandem.example"]
    return Client(HTTP_HOST="tandem.example")


@pytest.fixture
def saml_idp(settings, saml_client) -> Iterator[SAMLIdentityProvider]:
    client = saml_client
    idp = SAMLIdentityProvider()
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
        [], [idp.provider_setting(id="acme-saml", name="Acme SAML", domains=["acme.example"])]
    )
    metadata = client.get(reverse("saml_metadata", kwargs={"organization_slug": "acme-saml"}))
    assert metadata.status_code == 200
    idp.trust_sp(metadata.content.decode())
    yield idp
    idp.close()


def saml_login(client: Client, idp: SAMLIdentityProvider, email: str, **attributes: str):
    start = client.post(reverse("saml_login", kwargs={"organization_slug": "acme-saml"}))
    assert start.status_code == 302, start.content
    form = idp.respond(start["Location"], email=email, **attributes)
    action = form.pop("action")
    assert action == "http://tandem.example/accounts/saml/acme-saml/acs/"
    return client.post(path_of(action), form, follow=True)


def test_saml_login_page_offers_the_provider(saml_client, saml_idp) -> None:
    body = saml_client.get(reverse("account_login")).content.decode()
    assert "Acme SAML" in body
    assert reverse("saml_login", kwargs={"organization_slug": "acme-saml"}) in body


def test_saml_signed_response_creates_the_account_and_joins_the_organisation(
    saml_client, saml_idp, acme
) -> None:
    client = saml_client
    response = saml_login(client, saml_idp, "putri@acme.example", givenName="Putri", sn="Lestari")
    assert response.status_code == 200
    user = User.objects.get(email="putri@acme.example")
    assert response.wsgi_request.user == user
    assert user.full_name == "Putri Lestari"
    assert SocialAccount.objects.get(user=user).provider == "acme-saml"
    assert EmailAddress.objects.get(user=user).verified
    assert Profile.objects.get(user=user).organisation == acme


def test_saml_links_an_existing_account_by_email_at_a_trusted_domain(saml_client, saml_idp) -> None:
    existing = UserFactory(email="hadi@acme.example")
    response = saml_login(saml_client, saml_idp, "hadi@acme.example")
    assert response.wsgi_request.user == existing
    assert SocialAccount.objects.get(user=existing).provider == "acme-saml"


def test_saml_response_tampered_with_is_refused(saml_client, saml_idp) -> None:
    client = saml_client
    start = client.post(reverse("saml_login", kwargs={"organization_slug": "acme-saml"}))
    form = saml_idp.respond(start["Location"], email="mallory@acme.example")
    action = form.pop("action")
    xml = base64.b64decode(form["SAMLResponse"]).decode()
    form["SAMLResponse"] = base64.b64encode(
        xml.replace("mallory@acme.example", "boss@acme.example").encode()
    ).decode()
    response = client.post(path_of(action), form, follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert not User.objects.filter(email__in=["mallory@acme.example", "boss@acme.example"]).exists()


def test_saml_response_from_another_idp_key_is_refused(saml_client, saml_idp) -> None:
    client = saml_client
    impostor = SAMLIdentityProvider()
    try:
        metadata = client.get(reverse("saml_metadata", kwargs={"organization_slug": "acme-saml"}))
        impostor.trust_sp(metadata.content.decode())
        start = client.post(reverse("saml_login", kwargs={"organization_slug": "acme-saml"}))
        form = impostor.respond(start["Location"], email="eve@acme.example")
        response = client.post(path_of(form.pop("action")), form, follow=True)
        assert not response.wsgi_request.user.is_authenticated
        assert not User.objects.filter(email="eve@acme.example").exists()
    finally:
        impostor.close()


def test_sso_login_start_needs_the_csrf_token(idp, acme) -> None:
    browser = CsrfClient()
    url = reverse("openid_connect_login", kwargs={"provider_id": "acme"})
    assert browser.post(url, without_csrf=True).status_code == 403
    response = oidc_login(browser, idp, sub="kc-c", email="csrf@acme.example", email_verified=True)
    assert response.status_code == 302
    assert browser.get(reverse("home")).wsgi_request.user.email == "csrf@acme.example"


def test_sso_login_with_a_forged_state_is_refused(client, idp) -> None:
    idp.login_as(sub="kc-x", email="x@acme.example", email_verified=True)
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "acme"}))
    callback = idp.authorize(start["Location"])
    forged = re.sub(r"state=[^&]+", "state=forged", callback)
    response = client.get(path_of(forged))
    assert not response.wsgi_request.user.is_authenticated
    assert not User.objects.filter(email="x@acme.example").exists()
    assert idp.token_requests == 0


def test_sso_required_refuses_a_password_signup(client, acme) -> None:
    OrganisationDomain.objects.filter(organisation=acme).update(sso_required=True)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@acme.example",
            "password1": "a-long-Passphrase-2026",
            "password2": "a-long-Passphrase-2026",
            "full_name": "New Person",
            "language": "en",
            "timezone": "Asia/Jakarta",
        },
    )
    assert response.status_code == 200
    assert "your account is created when you first sign in with the single sign-on" in (
        response.content.decode()
    )
    assert not User.objects.filter(email="new@acme.example").exists()


def test_sso_signup_form_is_not_refused_for_an_sso_required_domain(client, idp, acme) -> None:
    """An IdP that does not vouch for the address (email_verified false) gets allauth's SSO
    sign-up form; at an SSO-required domain that form is the SSO way in, so it is allowed."""
    OrganisationDomain.objects.filter(organisation=acme).update(sso_required=True)
    response = oidc_login(client, idp, sub="kc-u", email="unv@acme.example", email_verified=False)
    assert response.status_code == 302
    if response["Location"] == reverse("socialaccount_signup"):
        form = client.post(
            reverse("socialaccount_signup"),
            {
                "email": "unv@acme.example",
                "full_name": "Unverified",
                "language": "en",
                "timezone": "UTC",
            },
        )
        assert "single sign-on button on the login page" not in form.content.decode()
    assert User.objects.filter(email="unv@acme.example").exists()


def test_organisation_domain_is_normalised_before_its_uniqueness_check(acme) -> None:
    from django.core.exceptions import ValidationError

    duplicate = OrganisationDomain(organisation=acme, domain=" ACME.Example ")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "domain" in error.value.message_dict
    for bad in ["someone@acme.example", "localhost", "acme .example"]:
        with pytest.raises(ValidationError):
            OrganisationDomain(organisation=acme, domain=bad).full_clean()


def test_admin_adds_a_domain_to_an_organisation(acme) -> None:
    admin = Client()
    admin.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    url = reverse("admin:people_organisation_change", args=[acme.pk])
    page = admin.get(url)
    assert page.status_code == 200
    assert "single sign-on required" in page.content.decode().lower()


def _form_action(response) -> str:
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    return directives["form-action"]


def test_a_providers_login_page_may_send_its_form_to_that_provider(client, idp) -> None:
    """Its "Continue" is answered by a redirect to the provider, which form-action governs
    in a browser (test_browser_sso.py); every other page keeps form-action 'self'."""
    page = client.get(reverse("openid_connect_login", kwargs={"provider_id": "acme"}))
    assert page.status_code == 200
    assert _form_action(page) == f"'self' {idp.issuer}"
    assert _form_action(client.get(reverse("account_login"))) == "'self'"


def test_a_saml_login_page_may_send_its_form_to_the_saml_provider(saml_client, saml_idp) -> None:
    page = saml_client.get(reverse("saml_login", kwargs={"organization_slug": "acme-saml"}))
    assert page.status_code == 200
    sso_url = saml_idp.provider_setting(id="acme-saml", name="Acme SAML", domains=[])["sso_url"]
    origin = "/".join(sso_url.split("/")[:3])
    assert _form_action(page) == f"'self' {origin}"
