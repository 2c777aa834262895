"""Publishing says what happened: each side of a pair gets one email, in their language, that
they are matched in the programme with this person, why (the run's reasons, said to them),
and what happens next. Nobody is told they were invited or that someone said yes, and the
requests a programme proposes are in no one's "sent" list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.mentorships.models import MentorshipRequest
from tandem.notifications.models import OutgoingEmail
from tandem.people.models import ListItem, ListKind
from tandem.programs.models import Programme
from tandem.programs.tests.factories import make_cohort, make_programme, start_run

pytestmark = pytest.mark.django_db

DESCRIPTION = "A year of mentoring for new engineering managers"
WEIGHTS = {
    "career": 1.0,
    "seniority": 0.0,
    "guidance": 1.0,
    "values": 0.0,
    "style": 0.0,
    "text": 0.0,
    "language_time": 0.0,
    "availability": 0.0,
}
# What mentorships' own emails say when a person asks, invites or answers: never true of a
# pair a programme published.
FALSE_CLAIMS = [
    "invites you",
    "asks you to be their mentor",
    "said yes",
    "take a day to think it over",
    "mengundang Anda",
    DESCRIPTION,
]


def _profile(user, **guidance: str) -> None:
    profile = user.profile
    profile.function = ListItem.objects.get(kind=ListKind.FUNCTION, slug="product")
    profile.industry = ListItem.objects.get(kind=ListKind.INDUSTRY, slug="software")
    profile.save()
    for field, slug in guidance.items():
        getattr(profile, field).set([ListItem.objects.get(kind=ListKind.GUIDANCE, slug=slug)])


def _publish(manager, csrf_client_for, capture, **programme_fields):
    """A cohort of two mentees (English, Indonesian) and one mentor, run and published by
    the manager's page; returns the programme, mentees and mentor."""
    programme = make_programme(manager, description=DESCRIPTION, **programme_fields)
    mentees, (mentor,) = make_cohort(programme, mentees=2, mentors=1)
    for mentee in mentees:
        _profile(mentee, guidance_wanted="promotion")
    _profile(mentor, guidance_offered="promotion")
    run = start_run(programme, manager, capture, weights=WEIGHTS)
    assert run.matched == 2
    OutgoingEmail.objects.all().delete()
    with capture(execute=True):
        response = csrf_client_for(manager).post(reverse("programs:run_publish", args=[run.pk]))
    assert response.status_code == 302
    return programme, mentees, mentor


def _emails(user) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(to=user.email))


def _one(user, kind: str) -> OutgoingEmail:
    emails = _emails(user)
    assert [e.kind for e in emails] == [kind], [(e.kind, e.subject) for e in emails]
    for claim in FALSE_CLAIMS:
        assert claim not in emails[0].subject + emails[0].body_text + emails[0].body_html
    return emails[0]


def _sent_section(client) -> str:
    page = client.get(reverse("mentorships:list")).content.decode()
    return page.split('id="sent-title"')[1].split("</section>")[0]


def test_a_mentorship_that_starts_at_publishing_is_announced_as_started(
    manager, csrf_client_for, token_client_for, django_capture_on_commit_callbacks
):
    programme, (en, id_), mentor = _publish(
        manager, csrf_client_for, django_capture_on_commit_callbacks
    )
    english = _one(en, "programs/matched_mentee")
    assert (
        english.subject == f"Spring cohort: you are matched with {mentor.full_name} as your mentor"
    )
    body = english.body_text
    assert f"In the programme “Spring cohort”, you are matched with {mentor.full_name}" in body
    assert "Why the two of you:" in body
    assert "- You both work in Product management" in body
    assert "- They offer the help you want: Promotion" in body
    assert "Your mentorship has started with a draft agreement" in body
    mentorship = MentorshipRequest.objects.get(mentee=en).mentorship
    assert reverse("mentorships:detail", args=[mentorship.pk]) in body
    assert "<li>You both work in Product management</li>" in english.body_html

    indonesian = _one(id_, "programs/matched_mentee")
    assert indonesian.subject == (
        f"Spring cohort: Anda dipasangkan dengan {mentor.full_name} sebagai mentor Anda"
    )
    assert "Anda berdua bekerja di bidang Manajemen produk" in indonesian.body_text
    assert "Mentorship Anda telah dimulai" in indonesian.body_text

    # The mentor: two emails, one per mentee, each about that mentee, in the mentor's voice.
    to_mentor = list(OutgoingEmail.objects.filter(to=mentor.email).order_by("pk"))
    assert {e.kind for e in to_mentor} == {"programs/matched_mentor"} and len(to_mentor) == 2
    about = {e.subject for e in to_mentor}
    assert about == {
        f"Spring cohort: you are matched with {u.full_name} as their mentor" for u in (en, id_)
    }
    for email in to_mentor:
        assert "- They want help you offer: Promotion" in email.body_text
        assert "They offer the help you want" not in email.body_text
        for claim in FALSE_CLAIMS:
            assert claim not in email.subject + email.body_text

    # Nobody sent anything: the "sent" lists are empty, on the page and in the API.
    for person in (en, id_, mentor):
        assert "<tbody>" not in _sent_section(csrf_client_for(person))
        sent = token_client_for(person).get("/api/v1/mentorships/requests?box=sent").json()
        assert sent == []
    reqs = MentorshipRequest.objects.filter(mentor=mentor)
    assert {r.proposed_by_programme for r in reqs} == {"Spring cohort"}
    assert not any(DESCRIPTION in r.goal for r in reqs)
    assert programme.name in reqs.first().goal


def test_a_match_the_mentor_confirms_asks_the_mentor_and_tells_the_mentee_it_waits(
    manager, csrf_client_for, token_client_for, django_capture_on_commit_callbacks
):
    _programme, (en, id_), mentor = _publish(
        manager,
        csrf_client_for,
        django_capture_on_commit_callbacks,
        approval=Programme.Approval.MENTOR,
    )
    waiting = _one(en, "programs/matched_mentee").body_text
    assert f"{mentor.get_short_name()} is asked to confirm the match." in waiting
    assert (
        "Kami akan memberi tahu Anda jawabannya." in _one(id_, "programs/matched_mentee").body_text
    )
    for email in OutgoingEmail.objects.filter(to=mentor.email):
        assert email.kind == "programs/matched_mentor"
        assert "The programme asks you to confirm the match" in email.body_text
        req = MentorshipRequest.objects.get(mentor=mentor, mentee__email__in=[en.email])
        if en.full_name in email.subject:
            assert reverse("mentorships:request", args=[req.pk]) in email.body_text

    # The mentor's inbox says who proposed it; the mentee's "sent" list stays empty.
    mentor_client = csrf_client_for(mentor)
    page = mentor_client.get(reverse("mentorships:list")).content.decode()
    inbox = page.split('id="inbox-title"')[1].split('id="tryouts-title"')[0]
    assert f"The programme “Spring cohort” proposes that you mentor {en.full_name}" in inbox
    assert "asks you to be their mentor" not in inbox
    assert "You have not sent any requests." in _sent_section(csrf_client_for(en))
    req = MentorshipRequest.objects.get(mentee=en)
    detail = mentor_client.get(reverse("mentorships:request", args=[req.pk])).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", detail, flags=re.S)
    assert heading is not None, detail[:3000]
    assert heading.group(1) == (
        f"The programme “Spring cohort” proposes {mentor.full_name} as {en.full_name}'s mentor"
    )
    listed = token_client_for(mentor).get("/api/v1/mentorships/requests?box=inbox").json()
    assert {r["proposed_by_programme"] for r in listed} == {"Spring cohort"}
    assert token_client_for(en).get("/api/v1/mentorships/requests?box=sent").json() == []


def test_a_match_the_mentee_confirms_is_not_an_invitation_the_mentor_sent(
    manager, csrf_client_for, django_capture_on_commit_callbacks
):
    _programme, (en, _id), mentor = _publish(
        manager,
        csrf_client_for,
        django_capture_on_commit_callbacks,
        approval=Programme.Approval.MENTEE,
    )
    assert MentorshipRequest.objects.filter(initiated_by=mentor).count() == 2
    asked = _one(en, "programs/matched_mentee").body_text
    assert "The programme asks you to confirm the match" in asked
    # The mentor never invited anyone: nothing in their "sent" list.
    sent = _sent_section(csrf_client_for(mentor))
    assert "You have not sent any requests." in sent
    assert en.full_name not in sent
    inbox = csrf_client_for(en).get(reverse("mentorships:list")).content.decode()
    assert f"The programme “Spring cohort” proposes {mentor.full_name} as your mentor" in inbox


def test_a_circle_match_says_when_the_circle_meets(
    manager, csrf_client_for, django_capture_on_commit_callbacks
):
    programme, (en, _id), _mentor = _publish(
        manager,
        csrf_client_for,
        django_capture_on_commit_callbacks,
        kind=Programme.Kind.GROUP,
        mentor_capacity=3,
    )
    circle = programme.circles.get()
    body = _one(en, "programs/matched_mentee").body_text
    assert re.search(r"You meet in the circle “.+”: on Tuesday at 17:00 \(every month\)\.", body)
    assert reverse("programs:circle", args=[circle.pk]) in body
    assert not MentorshipRequest.objects.exists()


def test_an_outsider_cannot_publish(
    manager, outsider, csrf_client_for, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    make_cohort(programme, mentees=1, mentors=1)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    response = csrf_client_for(outsider).post(reverse("programs:run_publish", args=[run.pk]))
    assert response.status_code == 404
    run.refresh_from_db()
    assert run.published_at is None and not OutgoingEmail.objects.filter(
        kind__startswith="programs/matched"
    )
