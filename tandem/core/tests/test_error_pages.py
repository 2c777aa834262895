"""Error pages are Tandem's own: translated, with a way back, never Django's bare pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tandem.accounts.tests.factories import UserFactory
from tandem.core.tests.clients import csrf_client_for


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"), [("en", "Page not found"), ("id", "Halaman tidak ditemukan")]
)
def test_404_is_translated_and_has_the_navigation(language, title):
    client = Client()
    client.force_login(UserFactory(language=language))
    client.cookies["tandem_language"] = language
    response = client.get("/no-such-page/", headers={"accept-language": language})
    assert response.status_code == 404
    html = response.content.decode()
    assert title in html and f'<html lang="{language}">' in html
    assert 'aria-label="Main"' in html or 'aria-label="Utama"' in html  # the navigation
    assert 'href="/"' in html


@pytest.mark.django_db
@pytest.mark.urls("tandem.core.tests.urls_boom")
@pytest.mark.parametrize(
    ("language", "title"), [("en", "Something went wrong"), ("id", "Terjadi kesalahan")]
)
def test_500_is_translated_and_leads_home(language, title):
    client = Client(raise_request_exception=False)
    client.cookies["tandem_language"] = language
    response = client.get("/boom/", headers={"accept-language": language})
    assert response.status_code == 500
    html = response.content.decode()
    assert title in html and 'href="/"' in html


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_expired_form_page(mentee):
    client = csrf_client_for(mentee)
    response = client.post("/i18n/setlang/", {"language": "id"}, without_csrf=True)
    assert response.status_code == 403
    assert "The form expired" in response.content.decode()
