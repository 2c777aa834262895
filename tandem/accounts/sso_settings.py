"""Settings for single sign-on and MFA, parsed from the environment by tandem/settings.py.

Pure functions (no models): settings.py imports them before Django is set up.

TANDEM_OIDC_PROVIDERS is a JSON list of objects ``{"id", "name", "server_url", "client_id",
"secret"}`` (optional ``"domains"``: email domains this provider vouches for even when it
sends no ``email_verified`` claim; optional ``"login_origins"``: the origins of its login
page when they differ from ``server_url``'s, as with AWS Cognito's hosted UI or some ADFS and
Okta set-ups, which the sign-in page's Content-Security-Policy must allow). Any OpenID
Connect provider works: Google Workspace (``https://accounts.google.com``), Microsoft Entra ID
(``https://login.microsoftonline.com/<tenant>/v2.0``), Okta (``https://<org>.okta.com``),
Keycloak (``https://<host>/realms/<realm>``).

TANDEM_SAML_PROVIDERS is a JSON list of objects ``{"id", "name", "entity_id", "sso_url",
"x509cert"}`` (or ``"metadata_url"`` in place of ``sso_url`` and ``x509cert``; optional
``"domains"`` and ``"attribute_mapping"``). ``id`` names the provider in its URLs:
``/accounts/saml/<id>/acs/`` is the assertion consumer service to give the IdP.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

MFA_ROLES = ("staff", "programme_managers", "org_admins")

_OIDC_KEYS = {"id", "name", "server_url", "client_id", "secret"}
_SAML_KEYS = {"id", "name", "entity_id"}


def _require(kind: str, item: dict[str, Any], keys: set[str]) -> None:
    missing = sorted(k for k in keys if not str(item.get(k) or "").strip())
    if missing:
        raise ImproperlyConfigured(f"{kind}: provider {item.get('id')!r} lacks {missing}")


def _domains(item: dict[str, Any]) -> list[str]:
    return [str(d).strip().lower() for d in item.get("domains", []) if str(d).strip()]


def sso_providers(oidc: list[dict[str, Any]], saml: list[dict[str, Any]]) -> dict[str, Any]:
    """allauth's SOCIALACCOUNT_PROVIDERS for the configured identity providers."""
    oidc_apps = []
    for item in oidc:
        _require("TANDEM_OIDC_PROVIDERS", item, _OIDC_KEYS)
        settings: dict[str, Any] = {"server_url": item["server_url"], "oauth_pkce_enabled": True}
        if _domains(item):
            settings["verified_email"] = _domains(item)
        if item.get("login_origins"):
            settings["tandem_login_origins"] = [str(o) for o in item["login_origins"]]
        oidc_apps.append(
            {
                "provider_id": item["id"],
                "name": item["name"],
                "client_id": item["client_id"],
                "secret": item["secret"],
                "settings": settings,
            }
        )
    saml_apps = []
    for item in saml:
        _require("TANDEM_SAML_PROVIDERS", item, _SAML_KEYS)
        idp: dict[str, Any] = {"entity_id": item["entity_id"]}
        if item.get("metadata_url"):
            idp["metadata_url"] = item["metadata_url"]
        else:
            _require("TANDEM_SAML_PROVIDERS", item, {"sso_url", "x509cert"})
            idp["sso_url"] = item["sso_url"]
            idp["x509cert"] = item["x509cert"]
        saml_settings: dict[str, Any] = {
            "idp": idp,
            # Only SP-initiated logins, and only signed assertions.
            "advanced": {"want_assertion_signed": True, "reject_idp_initiated_sso": True},
        }
        if item.get("attribute_mapping"):
            saml_settings["attribute_mapping"] = item["attribute_mapping"]
        if _domains(item):
            saml_settings["verified_email"] = _domains(item)
        saml_apps.append(
            {
                "provider_id": item["id"],
                "name": item["name"],
                "client_id": item["id"],
                "settings": saml_settings,
            }
        )
    providers: dict[str, Any] = {}
    if oidc_apps:
        providers["openid_connect"] = {"APPS": oidc_apps}
    if saml_apps:
        providers["saml"] = {"APPS": saml_apps}
    return providers


def idp_origins(providers: dict[str, Any]) -> list[str]:
    """The origins of the configured identity providers (from SOCIALACCOUNT_PROVIDERS): where
    a provider's login page may send the browser. Content-Security-Policy's form-action also
    governs a form's redirects, so the page's "Continue" (a POST answered by a redirect to
    the provider) needs them."""
    urls: list[str] = []
    for app in providers.get("openid_connect", {}).get("APPS", []):
        urls.append(app.get("settings", {}).get("server_url", ""))
        urls += app.get("settings", {}).get("tandem_login_origins", [])
    for app in providers.get("saml", {}).get("APPS", []):
        idp = app.get("settings", {}).get("idp", {})
        urls += [idp.get("sso_url", ""), idp.get("metadata_url", "")]
    origins = []
    for url in urls:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def mfa_roles(names: list[str]) -> list[str]:
    """TANDEM_MFA_REQUIRED_FOR, checked: a misspelt role would silently require nothing."""
    unknown = sorted(set(names) - set(MFA_ROLES))
    if unknown:
        raise ImproperlyConfigured(
            f"TANDEM_MFA_REQUIRED_FOR: unknown role(s) {unknown}; known: {list(MFA_ROLES)}"
        )
    return names
