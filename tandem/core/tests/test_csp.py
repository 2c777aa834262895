"""A Content-Security-Policy on every response, and pages that live within it: no inline
script, no inline event handler, no <style> element without a nonce, nothing from a CDN."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

import tandem

CSP = "Content-Security-Policy"


def _directives(response) -> dict[str, list[str]]:
    policy = response[CSP]
    parts = [p.strip().split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/accounts/signup/", "/api/v1/docs", "/healthz"]
)
def test_every_response_carries_a_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 302)
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_signed_in_pages_api_answers_and_errors_carry_the_policy(mentee_client, client):
    for path in ("/binder/", "/people/", "/find/", "/api/v1/accounts/me", "/no-such-page/"):
        response = mentee_client.get(path)
        assert CSP in response, path
    assert CSP in client.get("/api/v1/accounts/me")  # the 401 too


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.refs += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "script":
            self._in_script = found

    def handle_data(self, data: str) -> None:
        script = self._in_script
        if script is not None and data.strip() and script.get("type") != "application/json":
            self.inline_scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


@pytest.mark.django_db
def test_api_docs_load_swagger_from_tandems_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    parser = _Refs()
    parser.feed(response.content.decode())
    assert parser.refs, "the docs page links its scripts and styles"
    for ref in parser.refs:
        assert ref.startswith(settings.STATIC_URL) or ref.startswith("/" + settings.STATIC_URL), ref
    assert any(ref.endswith("swagger-ui-bundle.js") for ref in parser.refs)
    assert any(ref.endswith("swagger-ui.css") for ref in parser.refs)
    assert parser.inline_scripts == []
    assert '"validatorUrl": null' in response.content.decode()  # no third-party badge


def _templates() -> list[Path]:
    root = Path(tandem.__file__).parent
    return [
        p
        for p in root.rglob("templates/**/*.html")
        if "/emails/" not in str(p) and "/tests/" not in str(p)
    ]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
STYLE_WITHOUT_NONCE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.I)


def test_no_template_needs_an_inline_script_or_style_element():
    """Page templates (emails are not pages) stay within the policy: scripts and styles
    from static files, behaviours through data attributes (core/static/js/tandem.js)."""
    templates = _templates()
    assert len(templates) > 50
    offenders = []
    for path in templates:
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, STYLE_WITHOUT_NONCE, EVENT_HANDLER, JS_URL):
            offenders += [f"{path}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_base_template_switches_off_htmx_inline_styles_and_eval():
    source = Path(get_template("base.html").origin.name).read_text()
    assert '"includeIndicatorStyles": false' in source
    assert '"allowEval": false' in source
