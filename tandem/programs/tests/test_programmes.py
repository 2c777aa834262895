from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.programs import selectors, services
from tandem.programs.models import (
    CheckIn,
    Match,
    MatchRun,
    Membership,
    PairRule,
    Programme,
    ProposedPair,
    Role,
)
from tandem.programs.tests.factories import (
    grant_creation,
    make_cohort,
    make_programme,
    published_cohort,
    start_run,
)

pytestmark = pytest.mark.django_db


# --- creating and enrolling -----------------------------------------------------------------


def test_manager_creates_a_programme_and_becomes_its_manager(manager_client, manager):
    grant_creation(manager)
    response = manager_client.post(
        reverse("programs:create"),
        {
            "name": "Women in Tech 2026",
            "description": "A year of mentoring",
            "kind": "one_to_one",
            "matching_mode": "manager",
            "approval": "mentor",
            "mentor_capacity": 3,
            "mentors_per_mentee": 1,
            "duration_months": 6,
            "meetings_per_month": 1,
            "checkin_first_days": 30,
            "checkin_every_days": 60,
            "language": "id",
        },
    )
    programme = Programme.objects.get(name="Women in Tech 2026")
    assert response.status_code == 302
    assert selectors.is_manager(manager, programme)
    assert manager_client.get(reverse("programs:list")).status_code == 200
    # The join link is shown once, on the next page, and only its hash is stored.
    first = manager_client.get(response["Location"]).content.decode()
    link = re.search(r'value="(http[^"]+/programmes/join/([^/"]+)/)"', first)
    assert link is not None
    assert selectors.programme_by_invite(link.group(2)) == programme
    assert link.group(2) not in programme.invite_token_hash
    assert link.group(2) not in manager_client.get(response["Location"]).content.decode()


def test_programme_form_reports_field_errors(manager_client, manager):
    grant_creation(manager)
    response = manager_client.post(reverse("programs:create"), {"name": "", "mentor_capacity": 0})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Programme.objects.exists()


def test_join_by_invite_link_answers_the_questions_for_the_role(manager, mentee, mentee_client):
    programme = make_programme(manager)
    q = services.question_add(programme=programme, role=Role.MENTEE, text="What do you hope for?")
    services.question_add(programme=programme, role=Role.MENTOR, text="What can you offer?")
    url = reverse("programs:join", args=[services.invite_link_regenerate(programme=programme)])
    page = mentee_client.get(url)
    assert "What do you hope for?" in page.content.decode()
    missing = mentee_client.post(url, {"role": "mentee"})
    assert missing.status_code == 200
    assert "Please answer this question." in missing.content.decode()
    response = mentee_client.post(url, {"role": "mentee", f"q_{q.pk}": "A promotion plan"})
    assert response.status_code == 302
    membership = Membership.objects.get(programme=programme, user=mentee)
    assert membership.role == Role.MENTEE
    assert membership.answers == {str(q.pk): "A promotion plan"}


# Enrolment by CSV (invitations, consent, limits) is tested in test_invitations.py.


# --- staged matching ------------------------------------------------------------------------


def test_run_pin_rerun_compare_and_publish(
    manager, manager_client, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    mentees, mentors = make_cohort(programme, mentees=6, mentors=3)
    run1 = start_run(programme, manager, django_capture_on_commit_callbacks)
    assert run1.status == MatchRun.Status.DONE and run1.progress == 100
    assert run1.matched == 6 and run1.pairs.count() == 6
    assert all(p.reasons for p in run1.pairs.all())
    # Staged: participants see nothing yet.
    assert not Match.objects.exists() and not mail.outbox

    page = manager_client.get(reverse("programs:run", args=[run1.pk]))
    assert page.status_code == 200 and "Publish" in page.content.decode()

    # Pin two pairs the run did not propose, forbid one it did.
    proposed = {(p.mentee_id, p.mentor_id) for p in run1.pairs.all()}
    pins: list[tuple[int, int]] = []
    for mentee in mentees:
        for mentor in mentors:
            if (
                (mentee.pk, mentor.pk) not in proposed
                and len(pins) < 2
                and all(m != mentee.pk and j != mentor.pk for m, j in pins)
            ):
                pins.append((mentee.pk, mentor.pk))
    for m, j in pins:
        manager_client.post(
            reverse("programs:pair_rule", args=[run1.pk]), {"mentee": m, "mentor": j, "kind": "pin"}
        )
    forbid = next(p for p in run1.pairs.all() if (p.mentee_id, p.mentor_id) not in pins)
    services.pair_rule_set(
        programme=programme,
        by=manager,
        mentee_id=forbid.mentee_id,
        mentor_id=forbid.mentor_id,
        kind="forbid",
    )
    assert PairRule.objects.filter(programme=programme).count() == 3

    run2 = start_run(
        programme, manager, django_capture_on_commit_callbacks, weights={"language_time": 0.5}
    )
    pairs2 = {(p.mentee_id, p.mentor_id) for p in run2.pairs.all()}
    assert set(pins) <= pairs2
    assert (forbid.mentee_id, forbid.mentor_id) not in pairs2
    assert run2.pairs.filter(pinned=True).count() == 2
    assert run2.weights["language_time"] == 0.5

    cmp = selectors.compare_runs(a=run1, b=run2)
    assert cmp.changed >= 2 and cmp.kept + cmp.changed == 6
    response = manager_client.get(
        reverse("programs:compare", args=[programme.pk]), {"a": run1.pk, "b": run2.pk}
    )
    assert response.status_code == 200 and "different one" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("programs:run_publish", args=[run2.pk]))
    assert response.status_code == 302
    assert Match.objects.filter(programme=programme).count() == 6
    assert Match.objects.filter(mentorship__isnull=False).count() == 6
    from tandem.notifications.models import OutgoingEmail

    matched = OutgoingEmail.objects.filter(kind="programs/matched_mentee")
    assert matched.count() == 6
    assert OutgoingEmail.objects.filter(kind="programs/matched_mentor").count() == 6
    # Each in their own language.
    assert "Anda dipasangkan dengan" in matched.get(to=mentees[1].email).body_text
    assert "you are matched with" in matched.get(to=mentees[0].email).body_text
    # Published once only.
    with pytest.raises(Exception, match="already published"):
        services.run_publish(run=run2, by=manager)


def test_unmatched_mentees_are_listed_with_why(manager, django_capture_on_commit_callbacks):
    programme = make_programme(manager, mentor_capacity=1)
    make_cohort(programme, mentees=4, mentors=2, mentor_capacity=1)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    assert run.matched == 2
    assert sorted(run.unmatched.values_list("why", flat=True)) == ["capacity", "capacity"]


def test_publish_with_mentor_approval_sends_requests(manager, django_capture_on_commit_callbacks):
    from tandem.mentorships.models import MentorshipRequest

    programme = make_programme(manager, approval=Programme.Approval.MENTOR)
    make_cohort(programme, mentees=2, mentors=1)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 2
    reqs = MentorshipRequest.objects.filter(status="pending")
    assert reqs.count() == 2 and all(r.initiated_by_id == r.mentee_id for r in reqs)
    assert not Match.objects.filter(mentorship__isnull=False).exists()


def test_group_programme_publishes_circles_with_a_shared_agenda(
    manager, manager_client, django_capture_on_commit_callbacks
):
    from django.test import Client

    programme = make_programme(manager, kind=Programme.Kind.GROUP, mentor_capacity=3)
    mentees, _mentors = make_cohort(programme, mentees=3, mentors=1)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.circles == 1
    circle = programme.circles.get()
    client = Client()
    client.force_login(mentees[0])
    response = client.post(
        reverse("programs:circle", args=[circle.pk]),
        {"text": "Negotiating a raise"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Negotiating a raise" in response.content.decode()
    # The manager, not in the circle, neither reads nor writes its agenda.
    page = manager_client.get(reverse("programs:circle", args=[circle.pk]))
    assert page.status_code == 200 and "Negotiating a raise" not in page.content.decode()
    written = manager_client.post(
        reverse("programs:circle", args=[circle.pk]), {"text": "Manager item"}
    )
    assert written.status_code == 404
    assert list(circle.agenda.values_list("text", flat=True)) == ["Negotiating a raise"]


def test_run_progress_fragment_polls_then_refreshes(manager, manager_client):
    programme = make_programme(manager)
    make_cohort(programme, mentees=1, mentors=1)
    run = MatchRun.objects.create(programme=programme, number=1, created_by=manager)
    fragment = manager_client.get(
        reverse("programs:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    services.run_execute(run_id=run.pk)
    done = manager_client.get(
        reverse("programs:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    assert done["HX-Refresh"] == "true"
    assert services.run_execute(run_id=run.pk) == "skipped"  # idempotent


def test_a_second_run_cannot_start_while_one_is_in_progress(manager):
    programme = make_programme(manager)
    make_cohort(programme, mentees=1, mentors=1)
    services.run_start(programme=programme, by=manager)  # not executed: no on_commit here
    with pytest.raises(Exception, match="already in progress"):
        services.run_start(programme=programme, by=manager)


# --- access ---------------------------------------------------------------------------------


def test_a_manager_sees_only_their_own_programmes(manager, outsider, outsider_client):
    programme = make_programme(manager)
    make_programme(outsider, name="Outsider's own")
    names = [p.name for p in selectors.programmes_managed(user=outsider)]
    assert names == ["Outsider's own"]
    assert outsider_client.get(reverse("programs:detail", args=[programme.pk])).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "detail",
        "edit",
        "participants",
        "relationships",
        "dashboard",
    ],
)
def test_outsider_gets_404_on_programme_pages(name, manager, outsider_client):
    programme = make_programme(manager)
    assert outsider_client.get(reverse(f"programs:{name}", args=[programme.pk])).status_code == 404


def test_participant_gets_404_on_manager_pages(manager, mentee, mentee_client):
    programme = make_programme(manager)
    services.enrol(programme=programme, user=mentee, role=Role.MENTEE)
    assert mentee_client.get(reverse("programs:detail", args=[programme.pk])).status_code == 200
    for name in ("edit", "participants", "relationships", "dashboard"):
        url = reverse(f"programs:{name}", args=[programme.pk])
        assert mentee_client.get(url).status_code == 404, name


@pytest.mark.parametrize(
    "name,method",
    [
        ("run", "get"),
        ("run_progress", "get"),
        ("pair_rule", "post"),
        ("run_publish", "post"),
    ],
)
def test_outsider_gets_404_on_runs(
    name, method, manager, outsider_client, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    make_cohort(programme, mentees=1, mentors=1)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    response = getattr(outsider_client, method)(reverse(f"programs:{name}", args=[run.pk]))
    assert response.status_code == 404
    assert run.published_at is None


@pytest.mark.parametrize(
    "name,method",
    [
        ("run_start", "post"),
        ("enrol_csv", "post"),
        ("question_add", "post"),
        ("manager_add", "post"),
    ],
)
def test_outsider_gets_404_on_manager_actions(name, method, manager, outsider_client):
    programme = make_programme(manager)
    response = getattr(outsider_client, method)(reverse(f"programs:{name}", args=[programme.pk]))
    assert response.status_code == 404


def test_outsider_gets_404_on_compare_checkin_circle_and_bad_invite(
    manager, outsider_client, django_capture_on_commit_callbacks
):
    programme, _mentees, _mentors = published_cohort(
        manager, django_capture_on_commit_callbacks, kind=Programme.Kind.GROUP
    )
    services.checkins_send_due(now=timezone.now() + dt.timedelta(days=30))
    item = CheckIn.objects.first()
    circle = programme.circles.first()
    run = programme.runs.first()
    assert (
        outsider_client.get(
            reverse("programs:compare", args=[programme.pk]), {"a": run.pk, "b": run.pk}
        ).status_code
        == 404
    )
    assert outsider_client.get(reverse("programs:checkin", args=[item.pk])).status_code == 404
    assert outsider_client.get(reverse("programs:circle", args=[circle.pk])).status_code == 404
    assert outsider_client.get(reverse("programs:join", args=["nope"])).status_code == 404


# --- query counts ---------------------------------------------------------------------------


def _grow(programme, n, prefix):
    make_cohort(programme, mentees=n, mentors=max(1, n // 2), prefix=prefix)


@pytest.mark.parametrize(
    "name",
    ["participants", "relationships", "dashboard"],
)
def test_list_pages_keep_a_fixed_number_of_queries(
    name, manager, manager_client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    import django.db
    from django.test.utils import CaptureQueriesContext

    programme = make_programme(manager)
    url = reverse(f"programs:{name}", args=[programme.pk])

    def count() -> int:
        with CaptureQueriesContext(django.db.connection) as ctx:
            assert manager_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _grow(programme, 2, "a")
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_publish(run=run, by=manager)
    small = count()
    # A second cohort published by a second programme run: more of everything.
    other = make_programme(manager, name="Other")
    _grow(other, 8, "b")
    for m in Membership.objects.filter(programme=other).exclude(role=Role.MANAGER):
        Membership.objects.get_or_create(programme=programme, user=m.user, role=m.role)
    big = count()
    assert small == big


def test_run_page_keeps_a_fixed_number_of_queries(
    manager, manager_client, django_capture_on_commit_callbacks
):
    import django.db
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size, prefix in ((2, "s"), (10, "l")):
        programme = make_programme(manager, name=f"P{size}")
        _grow(programme, size, prefix)
        run = start_run(programme, manager, django_capture_on_commit_callbacks)
        with CaptureQueriesContext(django.db.connection) as ctx:
            assert manager_client.get(reverse("programs:run", args=[run.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_emails_render_in_both_languages(manager, django_capture_on_commit_callbacks):
    programme, mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    assert ProposedPair.objects.filter(run__programme=programme).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.checkins_send_due(now=timezone.now() + dt.timedelta(days=30))
    bodies = {m.to[0]: m for m in mail.outbox}
    english = bodies[mentees[0].email]
    assert "How is your mentoring going?" in english.subject
    assert re.search(r"/programmes/checkins/\d+/", english.body)
    html = english.alternatives[0][0] if english.alternatives else ""
    assert "<a href=" in html


def test_meetings_held_count_towards_health_and_the_monthly_chart(
    manager, django_capture_on_commit_callbacks
):
    from tandem.meetings.models import Meeting

    programme, mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    match = Match.objects.get(mentee=mentees[0])
    assert match.mentorship is not None
    now = timezone.now()
    Meeting.objects.create(
        mentorship=match.mentorship,
        status="scheduled",
        proposed_by=mentees[0],
        starts_at=now - dt.timedelta(minutes=5),
    )
    # One still ahead is not held yet (nor counted in this month's bar).
    Meeting.objects.create(
        mentorship=match.mentorship,
        status="scheduled",
        proposed_by=mentees[0],
        starts_at=now + dt.timedelta(minutes=5),
    )
    data = selectors.dashboard(programme=programme, now=now)
    assert dict(data.meetings_per_month)[now.strftime("%Y-%m")] == 1
    rows = selectors.relationship_rows(matches=[match], programme=programme, now=now)
    assert rows[0].health.held == 1 and rows[0].health.days_inactive == 0


def test_run_page_pins_its_query_count_unpublished_and_published(
    manager, manager_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The run page: one page of pairs, and no list of the whole cohort (pins by email), so
    its queries are the same at any size (the reference lists that name the reasons are one
    of them, the audit log's record of the manager's visit another); after publishing, one
    more for the pairs left out."""
    programme = make_programme(manager)
    _grow(programme, 10, "q")
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    url = reverse("programs:run", args=[run.pk])
    with django_assert_num_queries(11):
        assert manager_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.run_publish(run=run, by=manager)
    with django_assert_num_queries(12):
        assert manager_client.get(url).status_code == 200


def test_run_page_is_paginated_and_lists_no_participants_but_the_csv_has_every_pair(
    manager, manager_client, monkeypatch, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    mentees, mentors = make_cohort(programme, mentees=6, mentors=3)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    url = reverse("programs:run", args=[run.pk])
    first = manager_client.get(url).content.decode()
    second = manager_client.get(url, {"page": 2}).content.decode()
    assert first.count('id="pair-') == 4 and second.count('id="pair-') == 2
    assert "Page 1 of 2" in first
    rules = first.split('id="rules-title"')[1]
    assert not any(f'value="{u.pk}"' in rules for u in [*mentees, *mentors])  # no cohort lists
    assert 'name="mentee_email"' in rules and 'name="mentor_email"' in rules
    csv = manager_client.get(url, {"format": "csv"}).content.decode().strip().splitlines()
    assert len(csv) == 1 + 6
    assert {line.split(",")[0] for line in csv[1:]} == {m.get_full_name() for m in mentees}


def test_a_manager_pins_any_pair_by_email(
    manager, manager_client, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    mentees, mentors = make_cohort(programme, mentees=2, mentors=2)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    url = reverse("programs:pair_rule", args=[run.pk])
    response = manager_client.post(
        url,
        {"mentee_email": mentees[0].email.upper(), "mentor_email": mentors[1].email, "kind": "pin"},
    )
    assert response.status_code == 302
    assert PairRule.objects.get().mentor_id == mentors[1].pk
    # A mentor's email where a mentee's belongs, or someone not in the programme.
    page = manager_client.post(
        url,
        {"mentee_email": mentors[0].email, "mentor_email": "nobody@example.com", "kind": "pin"},
        follow=True,
    ).content.decode()
    assert f"No mentee of this programme has the email {mentors[0].email}." in page
    assert "No mentor of this programme has the email nobody@example.com." in page
    assert PairRule.objects.count() == 1
