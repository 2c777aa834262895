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


QUERIES = 13


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "meeting_title", "agenda", "waiting"),
    [
        ("en", "Next meeting", "1 agenda item", "Waiting for your answer"),
        ("id", "Pertemuan berikutnya", "1 butir agenda", "Menunggu jawaban Anda"),
    ],
)
def test_mentee_sees_her_next_meeting_and_requests_waiting(
    client, language: str, meeting_title: str, agenda: str, waiting: str
) -> None:
    from tandem.meetings import services as meeting_services
    from tandem.meetings.models import AgendaItem
    from tandem.meetings.tests.factories import make_mentorship, scheduled_meeting
    from tandem.mentorships.tests.factories import make_request

    mentee = UserFactory(full_name="Maya Mentee", language=language)
    mentor = UserFactory(full_name="Rudi Mentor")
    meeting = scheduled_meeting(make_mentorship(mentee, mentor))
    meeting_services.agenda_item_add(
        meeting=meeting, by=mentee, kind=AgendaItem.Kind.choices[0][0], title="Career plan"
    )
    from tandem.binder.models import Assignment

    Assignment.objects.create(
        mentorship=meeting.mentorship,
        created_by=mentor,  # type: ignore[misc]
        title="Write your 90-day plan",
        due_date=timezone.localdate(),
    )
    other_mentor = UserFactory(full_name="Sari Mentor")
    make_request(mentee=other_mentor, mentor=mentee)  # Maya is asked to mentor Sari
    client.force_login(mentee)
    with translation.override(language):
        body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert meeting_title in body
    assert reverse("meetings:detail", args=[meeting.pk]) in body
    assert "Rudi Mentor" in body
    assert agenda in body
    assert waiting in body
    assert "Sari Mentor" in body
    assert "Write your 90-day plan" in body
