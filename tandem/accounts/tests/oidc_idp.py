"""A small but real OpenID Connect provider for the single sign-on tests.

It serves discovery, JWKS, the authorization endpoint (authorization-code flow, PKCE S256),
the token endpoint (client_secret_post or client_secret_basic) and userinfo over HTTP on
127.0.0.1 from a thread, and signs its ID tokens with a fresh RSA key. allauth talks to it
exactly as to Google, Entra ID, Okta or Keycloak: discovery, code exchange, JWKS, userinfo.

Evaluated alternatives: django-oidc-provider is a Django app (it would have to join
INSTALLED_APPS and its migrations); oidc-provider is Node; Authlib's server needs a web
framework integration. This one uses only PyJWT and cryptography, which allauth's
socialaccount extra already brings.

The "user agent" step (logging in at the IdP) is `authorize(url)`: the IdP signs in whoever
`login_as(claims)` named, as a real IdP would after its own login form.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class OIDCProvider:
    def __init__(self, *, client_id: str, secret: str) -> None:
        self.client_id = client_id
        self.secret = secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.claims: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.token_requests = 0
        self.server: WSGIServer = make_server("127.0.0.1", 0, self.app, handler_class=_QuietHandler)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> OIDCProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def login_as(self, **claims: Any) -> None:
        """Who is signed in at the IdP (sub, email, email_verified, name, ...)."""
        self.claims = claims

    def authorize(self, url: str) -> str:
        """The browser at the IdP: follow the authorization URL, return where it redirects."""
        response = requests.get(url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    # --- HTTP --------------------------------------------------------------------------------
    def app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize_endpoint,
            "/token": self.token_endpoint,
            "/userinfo": self.userinfo_endpoint,
        }
        handler = routes.get(path)
        headers: list[tuple[str, str]] = []
        if handler is None:
            status, body = "404 Not Found", b""
        else:
            status, headers, body = handler(environ)
        start_response(status, [("Content-Length", str(len(body))), *headers])
        return [body]

    @staticmethod
    def _json(data: dict[str, Any], status: str = "200 OK") -> tuple[str, list[Any], bytes]:
        return status, [("Content-Type", "application/json")], json.dumps(data).encode()

    def discovery(self, environ: dict[str, Any]) -> tuple[str, list[Any], bytes]:
        return self._json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def jwks(self, environ: dict[str, Any]) -> tuple[str, list[Any], bytes]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return self._json({"keys": [jwk]})

    def authorize_endpoint(self, environ: dict[str, Any]) -> tuple[str, list[Any], bytes]:
        query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return self._json({"error": "unauthorized_client"}, "400 Bad Request")
        if "openid" not in query.get("scope", "").split():
            return self._json({"error": "invalid_scope"}, "400 Bad Request")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"),
            "claims": dict(self.claims),
        }
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return "302 Found", [("Location", target)], b""

    def _client_ok(self, environ: dict[str, Any], form: dict[str, str]) -> bool:
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return client_id == self.client_id and secrets.compare_digest(secret, self.secret)

    def token_endpoint(self, environ: dict[str, Any]) -> tuple[str, list[Any], bytes]:
        self.token_requests += 1
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length).decode()
        form = {k: v[0] for k, v in parse_qs(raw).items()}
        if not self._client_ok(environ, form):
            return self._json({"error": "invalid_client"}, "401 Unauthorized")
        grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant["redirect_uri"] != form.get("redirect_uri")
        ):
            return self._json({"error": "invalid_grant"}, "400 Bad Request")
        if grant["challenge"]:
            verifier = form.get("code_verifier", "").encode()
            computed = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if computed.decode() != grant["challenge"]:
                return self._json({"error": "invalid_grant"}, "400 Bad Request")
        now = int(time.time())
        id_claims = {
            **grant["claims"],
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "jti": secrets.token_hex(8),
        }
        if grant["nonce"]:
            id_claims["nonce"] = grant["nonce"]
        id_token = jwt.encode(id_claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant["claims"]
        return self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )

    def userinfo_endpoint(self, environ: dict[str, Any]) -> tuple[str, list[Any], bytes]:
        auth = environ.get("HTTP_AUTHORIZATION", "")
        claims = self.tokens.get(auth.removeprefix("Bearer "))
        if claims is None:
            return self._json({"error": "invalid_token"}, "401 Unauthorized")
        return self._json(claims)


def path_of(url: str) -> str:
    """The path and query of a URL, for the Django test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
