"""At the end of a completed mentorship the mentee is offered to pass it on: a button on the
mentorship's page and an email, both leading to where one says so (the profile's mentoring
settings), not to the list of mentorships."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tandem.mentorships import services
from tandem.mentorships.tests.factories import make_active, make_mentor
from tandem.notifications.models import Notification

pytestmark = pytest.mark.django_db

PROFILE = reverse("people:profile_me") + "#as-mentor"


def _complete(mentee, mentor, capture):
    mentorship = make_active(mentee, mentor)
    with capture(execute=True):
        services.mentorship_end(mentorship=mentorship, user=mentor, completed=True)
    return mentorship


@pytest.mark.parametrize(
    ("language", "button"),
    [("en", "Offer to mentor others"), ("id", "Tawarkan diri menjadi mentor")],
)
def test_the_completed_mentee_gets_a_button_to_offer_mentoring(
    mentee, mentor, mentee_client, django_capture_on_commit_callbacks, language, button
):
    mentorship = _complete(mentee, mentor, django_capture_on_commit_callbacks)
    mentee_client.post(reverse("set_language"), {"language": language})
    html = mentee_client.get(reverse("mentorships:detail", args=[mentorship.pk])).content.decode()
    block = html[html.index('id="pay-it-forward"') :]
    assert f'<a class="button" href="{PROFILE}">{button}</a>' in block
    # Following it and saying so: the offer becomes a thank-you.
    make_mentor(mentee, capacity=1)
    html = mentee_client.get(reverse("mentorships:detail", args=[mentorship.pk])).content.decode()
    assert button not in html and f'href="{PROFILE}"' in html


def test_the_mentor_is_not_offered_to_pass_it_on(
    mentee, mentor, mentor_client, django_capture_on_commit_callbacks
):
    mentorship = _complete(mentee, mentor, django_capture_on_commit_callbacks)
    html = mentor_client.get(reverse("mentorships:detail", args=[mentorship.pk])).content.decode()
    assert 'id="pay-it-forward"' not in html


def test_the_pass_it_on_email_and_notification_link_to_the_profile(
    mentee, mentor, django_capture_on_commit_callbacks
):
    _complete(mentee, mentor, django_capture_on_commit_callbacks)
    (email,) = [m for m in mail.outbox if m.to == [mentee.email] and "Ready to mentor" in m.subject]
    assert settings.SITE_URL + PROFILE in email.body
    assert settings.SITE_URL + reverse("mentorships:list") + "\n" not in email.body
    html = email.alternatives[0][0]
    assert f'href="{settings.SITE_URL}{PROFILE}"' in html
    notification = Notification.objects.get(user=mentee, kind="mentorships/mentor_others")
    assert notification.url == PROFILE
