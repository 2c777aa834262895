"""A real SAML 2.0 identity provider for the single sign-on tests: pysaml2's IdP `Server`,
with a fresh RSA key and self-signed certificate, signing its responses and assertions with
the xmlsec1 program (Debian's xmlsec1 package).

It reads the service provider's metadata from Tandem's own metadata page, parses the
AuthnRequest Tandem redirects the browser with, and answers it with a signed Response to be
POSTed to Tandem's assertion consumer service, as any IdP's login page does.
"""

from __future__ import annotations

import base64
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.sigver import get_xmlsec_binary
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

ENTITY_ID = "https://idp.acme.example/saml/metadata"
SSO_URL = "https://idp.acme.example/saml/sso"


def _key_and_certificate() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.acme.example")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


class SAMLIdentityProvider:
    def __init__(self) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="tandem-saml-idp-")
        key_pem, cert_pem = _key_and_certificate()
        self.key_file = Path(self.dir.name) / "idp.key"
        self.cert_file = Path(self.dir.name) / "idp.crt"
        self.key_file.write_bytes(key_pem)
        self.cert_file.write_bytes(cert_pem)
        # The certificate as IdPs print it for their SPs: base64 DER, no PEM armour.
        self.x509cert = "".join(cert_pem.decode().strip().splitlines()[1:-1])
        self.server: Server | None = None

    def close(self) -> None:
        self.dir.cleanup()

    def provider_setting(self, *, id: str, name: str, domains: list[str]) -> dict[str, Any]:
        """This IdP as one entry of TANDEM_SAML_PROVIDERS."""
        return {
            "id": id,
            "name": name,
            "entity_id": ENTITY_ID,
            "sso_url": SSO_URL,
            "x509cert": self.x509cert,
            "domains": domains,
        }

    def trust_sp(self, sp_metadata: str) -> None:
        """Register the service provider (its metadata XML), as an IdP admin does."""
        config = IdPConfig()
        config.load(
            {
                "entityid": ENTITY_ID,
                "service": {
                    "idp": {
                        "endpoints": {"single_sign_on_service": [(SSO_URL, BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
                "metadata": {"inline": [sp_metadata]},
                "delete_tmpfiles": True,
            }
        )
        self.server = Server(config=config)

    def respond(self, redirect_url: str, *, email: str, **attributes: str) -> dict[str, str]:
        """The IdP's login page: read the AuthnRequest from the redirect, sign `email` in.
        Returns the form fields to POST to the ACS (and the ACS URL under "action")."""
        assert self.server is not None, "trust_sp() first"
        assert redirect_url.startswith(SSO_URL + "?")
        query = parse_qs(urlsplit(redirect_url).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        identity = {"mail": [email], **{key: [value] for key, value in attributes.items()}}
        response = self.server.create_authn_response(
            identity=identity,
            in_response_to=message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            userid=email,
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_response=True,
            sign_assertion=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return {
            "action": message.assertion_consumer_service_url,
            "SAMLResponse": base64.b64encode(str(response).encode()).decode(),
            "RelayState": query.get("RelayState", [""])[0],
        }
