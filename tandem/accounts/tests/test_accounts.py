from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.models import ApiToken, User


@pytest.mark.django_db
def test_signup_sends_a_verification_email_in_the_chosen_language(
    client, django_capture_on_commit_callbacks, settings
):
    from tandem import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "ani@example.com",
                "password1": "a-long-Passphrase-2026",
                "password2": "a-long-Passphrase-2026",
                "full_name": "Ani Wijaya",
                "language": "id",
                "timezone": "Asia/Jakarta",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="ani@example.com")
    assert (user.language, user.timezone, user.full_name) == ("id", "Asia/Jakarta", "Ani Wijaya")
    assert user.password.startswith("argon2")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ani@example.com"]
    assert "Konfirmasi" in message.subject or "konfirmasi" in message.body.lower()
    assert re.search(r"/accounts/confirm-email/[^/\s]+/", message.body)


@pytest.mark.django_db
def test_signup_form_reports_field_errors(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-email"})
    assert response.status_code == 200
    assert (
        "errorlist" in response.content.decode()
        or "Enter a valid email" in response.content.decode()
    )
    assert not User.objects.filter(email="not-an-email").exists()


@pytest.mark.django_db
def test_settings_change_language_and_time_zone(mentee_client, mentee):
    response = mentee_client.post(
        reverse("accounts:settings"),
        {"full_name": "Maya M.", "language": "id", "timezone": "Europe/London"},
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert (mentee.language, mentee.timezone) == ("id", "Europe/London")


@pytest.mark.django_db
def test_settings_rejects_an_unknown_time_zone(mentee_client, mentee):
    response = mentee_client.post(
        reverse("accounts:settings"),
        {"full_name": "Maya", "language": "en", "timezone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.timezone == "Asia/Jakarta"


@pytest.mark.django_db
def test_settings_require_login(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_token_is_shown_once_stored_hashed_and_works_until_revoked(mentee_client, mentee, client):
    response = mentee_client.post(reverse("accounts:tokens"), {"name": "report script"})
    raw = re.search(r"tdm_[A-Za-z0-9_\-]+", response.content.decode()).group(0)
    token = ApiToken.objects.get(user=mentee)
    assert token.key_hash != raw and raw not in token.key_hash
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/me", **auth).json()["email"] == mentee.email
    mentee_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert client.get("/api/v1/accounts/me", **auth).status_code == 401
    assert raw not in mentee_client.get(reverse("accounts:tokens")).content.decode()


@pytest.mark.django_db
def test_outsider_cannot_revoke_someone_elses_token(outsider_client, mentee):
    from tandem.accounts.services import api_token_create

    token, _raw = api_token_create(user=mentee, name="mine")
    response = outsider_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_api_outsider_gets_404_on_someone_elses_token(outsider, mentee, client):
    from tandem.accounts.services import api_token_create

    token, _raw = api_token_create(user=mentee, name="mine")
    _own, own_raw = api_token_create(user=outsider, name="outsider's")
    response = client.delete(
        f"/api/v1/accounts/tokens/{token.pk}", HTTP_AUTHORIZATION=f"Bearer {own_raw}"
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_api_requires_authentication(client):
    assert client.get("/api/v1/accounts/me").status_code == 401
    assert (
        client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer tdm_nope").status_code == 401
    )


@pytest.mark.django_db
def test_api_me_update_validates_fields(mentee_client):
    bad = mentee_client.patch(
        "/api/v1/accounts/me",
        data={"language": "fr", "timezone": "Nowhere/City"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"language", "timezone"}
    good = mentee_client.patch(
        "/api/v1/accounts/me", data={"language": "id"}, content_type="application/json"
    )
    assert good.status_code == 200 and good.json()["language"] == "id"


@pytest.mark.django_db
def test_api_token_create_and_list(mentee_client):
    created = mentee_client.post(
        "/api/v1/accounts/tokens", data={"name": "ci"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["key"].startswith("tdm_")
    listed = mentee_client.get("/api/v1/accounts/tokens").json()
    assert [t["name"] for t in listed] == ["ci"] and "key" not in listed[0]


@pytest.mark.django_db
def test_openapi_document_is_published(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "Tandem API"
    assert "/api/v1/accounts/me" in doc["paths"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_password_reset_email_follows_the_users_language(
    client, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": mentor.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [mentor.email]
    assert "kata sandi" in f"{message.subject} {message.body}".lower()  # mentor reads Indonesian
    assert "/accounts/password/reset/key/" in message.body


@pytest.mark.django_db
def test_a_persons_time_zone_ends_with_their_request(client):
    from django.utils import timezone

    from tandem.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(timezone="Asia/Jakarta"))
    assert client.get("/").status_code == 200
    assert timezone.get_current_timezone_name() == "UTC"
