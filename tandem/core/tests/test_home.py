"""The signed-in home page: a greeting that fits, and the person's next steps."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from tandem.accounts.tests.factories import UserFactory
from tandem.core.home import home_panels


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "welcome", "prompt", "nav"),
    [
        ("en", "Welcome, Sekar", "Complete your profile", "My profile"),
        ("id", "Selamat datang, Sekar", "Lengkapi profil Anda", "Profil saya"),
    ],
)
def test_new_user_is_welcomed_and_asked_to_complete_the_profile(
    client, language: str, welcome: str, prompt: str, nav: str
) -> None:
    user = UserFactory(full_name="Sekar Ayu", language=language)
    client.force_login(user)
    with translation.override(language):
        body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert welcome in body
    assert "Welcome back" not in body and "Selamat datang kembali" not in body
    assert prompt in body
    assert f'href="{reverse("people:profile_me")}"' in body
    assert nav in body


@pytest.mark.django_db
def test_returning_user_with_a_profile_is_welcomed_back(client) -> None:
    from tandem.people.selectors import profile_for_user

    user = UserFactory(full_name="Sekar Ayu")
    profile = profile_for_user(user=user)
    profile.headline = "Data engineer"
    profile.save()
    user.last_login = timezone.now()
    user.save()
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert "Welcome back, Sekar" in body


@pytest.mark.django_db
def test_home_query_count_is_fixed(client, django_assert_num_queries) -> None:
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("home"))  # creates the empty profile
    with django_assert_num_queries(QUERIES):
        client.get(reverse("home"))


QUERIES = 9


@pytest.mark.django_db
def test_every_registered_panel_renders() -> None:
    user = UserFactory()
    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    assert home_panels()
    for panel in home_panels():
        context = panel.context(user)
        if context is not None:
            assert render_to_string(panel.template, context, request=request).strip()
