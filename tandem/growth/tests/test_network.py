"""Keeping in touch, the coaching team and opportunities."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.tests.factories import UserFactory
from tandem.growth import selectors, services
from tandem.growth.models import CoachingRole, CoachingTeamMember, Contact, Opportunity
from tandem.growth.tasks import send_due_reminders
from tandem.growth.tests.factories import ContactFactory, make_mentorship, make_profile, make_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


# --- Contacts and the conversation log ------------------------------------------------------


def test_add_a_contact_log_a_conversation_and_the_clock_restarts(mentee_client, mentee):
    # The pages count days in the person's own time zone (Jakarta is a day ahead of UTC
    # after 17:00 UTC), so "in 91 days" is from their today.
    their_today = timezone.localdate(timezone=zoneinfo.ZoneInfo(mentee.timezone))

    def days(n: int) -> datetime.date:
        return their_today + datetime.timedelta(days=n)

    response = mentee_client.post(
        reverse("growth:contacts"),
        {
            "name": "Sari Wijaya",
            "known_from": "Bank Mandiri",
            "relationship": "former_boss",
            "rhythm_days": "91",
        },
    )
    contact = Contact.objects.get(owner=mentee)
    assert response.status_code == 302 and contact.next_due_on == days(91)
    response = mentee_client.post(
        reverse("growth:conversation_add", args=[contact.pk]),
        {
            "happened_on": days(-3).isoformat(),
            "channel": "coffee",
            "note": "She moves to Singapore",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "She moves to Singapore" in response.content.decode()
    contact.refresh_from_db()
    assert contact.last_contacted_on == days(-3) and contact.next_due_on == days(88)


def test_a_conversation_in_the_future_is_refused(mentee):
    contact = ContactFactory(owner=mentee)
    with pytest.raises(ValidationError):
        services.conversation_log(contact=contact, happened_on=days(10), channel="call")


def test_the_reach_out_list_has_due_and_leaving_contacts_leaving_first(mentee):
    due = ContactFactory(owner=mentee, rhythm_days=30, last_contacted_on=days(-40))
    due.next_due_on = due.compute_next_due()
    due.save()
    leaving = ContactFactory(owner=mentee, leaving_on=days(10), relationship="boss")
    ContactFactory(owner=mentee, rhythm_days=30, last_contacted_on=days(-1), next_due_on=days(29))
    assert selectors.reach_out_list(user=mentee) == [leaving, due]


def test_a_reach_out_digest_is_sent_once_per_due_date(mentee, django_capture_on_commit_callbacks):
    boss = ContactFactory(owner=mentee, name="Sari", rhythm_days=30, last_contacted_on=days(-31))
    boss.next_due_on = boss.compute_next_due()
    boss.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reach_out_reminders_send() == 1
        assert services.reach_out_reminders_send() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [mentee.email] and "Sari" in mail.outbox[0].body
    services.conversation_log(contact=boss, happened_on=days(-31 + 0), channel="call")
    boss.refresh_from_db()
    Contact.objects.filter(pk=boss.pk).update(next_due_on=TODAY)  # a new due date arrives
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reach_out_reminders_send() == 1
    assert len(mail.outbox) == 2


def test_marking_a_boss_as_leaving_sends_one_coffee_nudge(
    mentee_client, mentee, django_capture_on_commit_callbacks
):
    boss = ContactFactory(owner=mentee, name="Pak Hendra", relationship="boss")
    mentee_client.post(
        reverse("growth:contact_leaving", args=[boss.pk]), {"leaving_on": days(14).isoformat()}
    )
    boss.refresh_from_db()
    assert boss.leaving_on == days(14)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders.call()
        again = send_due_reminders.call()
    assert result["leaving_nudges"] == 1 and again["leaving_nudges"] == 0
    assert len(mail.outbox) == 1 and "coffee" in mail.outbox[0].subject
    assert "Pak Hendra" in mail.outbox[0].subject
    page = mentee_client.get(reverse("growth:contacts")).content.decode()
    assert "ask them for a coffee before they go" in page


@pytest.mark.parametrize(
    ("language", "nudge"),
    [("en", "a coffee before they go"), ("id", "minum kopi sebelum beliau pergi")],
)
def test_the_coffee_nudge_disappears_once_the_coffee_is_logged(
    mentee_client, mentee, language, nudge
):
    boss = ContactFactory(owner=mentee, name="Pak Hendra", relationship="boss")
    mentee_client.post(reverse("set_language"), {"language": language})
    mentee_client.post(
        reverse("growth:contact_leaving", args=[boss.pk]), {"leaving_on": days(14).isoformat()}
    )
    pages = [reverse("growth:contacts"), reverse("growth:contact_detail", args=[boss.pk])]
    for url in [*pages, reverse("growth:home")]:
        assert nudge in mentee_client.get(url).content.decode(), url
    response = mentee_client.post(
        reverse("growth:conversation_add", args=[boss.pk]),
        {"happened_on": TODAY.isoformat(), "channel": "coffee", "note": "Farewell coffee"},
    )
    assert response.status_code in (200, 302)
    for url in [*pages, reverse("growth:home")]:
        assert nudge not in mentee_client.get(url).content.decode(), url
    assert selectors.reach_out_list(user=mentee) == []
    boss.refresh_from_db()
    assert boss.is_leaving and boss.farewell_logged


def test_a_conversation_long_before_the_leaving_date_is_not_the_farewell(mentee):
    boss = ContactFactory(
        owner=mentee, relationship="boss", leaving_on=days(10), last_contacted_on=days(-200)
    )
    assert boss.needs_farewell and selectors.reach_out_list(user=mentee) == [boss]


def test_a_role_ending_in_the_career_history_marks_the_colleague_as_leaving(mentee):
    colleague = UserFactory()
    make_role(colleague, "Acme", datetime.date(2020, 1, 1), end=days(20))
    contact = ContactFactory(owner=mentee, user=colleague, relationship="colleague")
    assert services.contacts_sync_leaving() == 1
    contact.refresh_from_db()
    assert contact.leaving_on == days(20)


def test_former_bosses_and_colleagues_are_suggested_from_histories_and_reporting_lines(
    mentee_client, mentee
):
    boss, old_colleague, stranger = (
        UserFactory(full_name="Boss"),
        UserFactory(full_name="Old"),
        UserFactory(),
    )
    make_profile(mentee, manager=boss)
    make_role(mentee, "Bank Nusantara", datetime.date(2018, 1, 1), datetime.date(2021, 6, 1))
    make_role(old_colleague, "Bank Nusantara", datetime.date(2019, 1, 1), datetime.date(2022, 1, 1))
    make_role(stranger, "Bank Nusantara", datetime.date(2022, 1, 1))
    found = {p.user: p for p in selectors.contact_suggestions(user=mentee)}
    assert set(found) == {boss, old_colleague}
    assert found[boss].relationship == "boss"
    assert found[old_colleague].relationship == "former_colleague"
    assert found[old_colleague].known_from == "Bank Nusantara"
    response = mentee_client.post(
        reverse("growth:contact_add_suggested"), {"user": old_colleague.pk}
    )
    assert response.status_code == 302
    contact = Contact.objects.get(owner=mentee, user_id=old_colleague.pk)
    assert contact.relationship == "former_colleague" and contact.rhythm_days == 91
    assert [p.user for p in selectors.contact_suggestions(user=mentee)] == [boss]


def test_only_suggested_people_can_be_added_from_suggestions(mentee_client, outsider):
    assert (
        mentee_client.post(
            reverse("growth:contact_add_suggested"), {"user": outsider.pk}
        ).status_code
        == 404
    )


def test_the_same_tandem_user_is_a_contact_once(mentee, mentor):
    services.contact_create(owner=mentee, user=mentor)
    with pytest.raises(ValidationError):
        services.contact_create(owner=mentee, user=mentor)


def test_a_contact_on_tandem_becomes_a_mentorship_by_invitation(mentee_client, mentee, mentor):
    contact = services.contact_create(owner=mentee, user=mentor, relationship="former_boss")
    response = mentee_client.post(reverse("growth:contact_mentorship", args=[contact.pk]))
    assert response.status_code == 302
    from tandem.mentorships.models import MentorshipRequest

    invitation = MentorshipRequest.objects.get()
    assert invitation.mentee == mentee and invitation.mentor == mentor


def test_an_outside_contact_cannot_become_a_mentorship(mentee):
    with pytest.raises(ValidationError):
        services.contact_propose_mentorship(contact=ContactFactory(owner=mentee))


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("contact_detail", "get"),
        ("contact_detail", "post"),
        ("conversation_add", "post"),
        ("contact_leaving", "post"),
        ("contact_delete", "post"),
        ("contact_mentorship", "post"),
    ],
)
def test_contacts_are_private_even_from_admins(outsider_client, mentee, name, method):
    admin = UserFactory(is_staff=True, is_superuser=True)
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(admin)
    contact = ContactFactory(owner=mentee)
    for client in (outsider_client, admin_client):
        response = getattr(client, method)(
            reverse(f"growth:{name}", args=[contact.pk]), {"name": "x"}
        )
        assert response.status_code == 404
    assert Contact.objects.filter(pk=contact.pk, name=contact.name).exists()


def test_api_contacts_are_private(outsider_client, mentee):
    contact = ContactFactory(owner=mentee)
    base = f"/api/v1/growth/contacts/{contact.pk}"
    assert outsider_client.get(base).status_code == 404
    assert (
        outsider_client.patch(base, {"name": "x"}, content_type="application/json").status_code
        == 404
    )
    assert outsider_client.delete(base).status_code == 404
    assert outsider_client.get(base + "/conversations").status_code == 404
    assert (
        outsider_client.post(
            base + "/conversations",
            {"happened_on": TODAY.isoformat(), "channel": "call"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert outsider_client.post(base + "/mentorship").status_code == 404
    assert outsider_client.get("/api/v1/growth/contacts").json() == []
    assert outsider_client.get("/api/v1/growth/reach-out").json() == []


def test_api_contact_flow_and_errors(mentee_client, mentee):
    response = mentee_client.post(
        "/api/v1/growth/contacts",
        {"name": "Rina", "relationship": "former_boss", "rhythm_days": 30},
        content_type="application/json",
    )
    assert response.status_code == 201
    contact_id = response.json()["id"]
    logged = mentee_client.post(
        f"/api/v1/growth/contacts/{contact_id}/conversations",
        {"happened_on": days(-40).isoformat(), "channel": "coffee", "note": "Catch-up"},
        content_type="application/json",
    )
    assert logged.status_code == 201
    due = mentee_client.get("/api/v1/growth/reach-out").json()
    assert [c["id"] for c in due] == [contact_id] and due[0]["is_due"] is True
    leaving = mentee_client.patch(
        f"/api/v1/growth/contacts/{contact_id}",
        {"leaving_on": days(5).isoformat()},
        content_type="application/json",
    )
    assert leaving.json()["is_leaving"] is True
    bad = mentee_client.post(
        "/api/v1/growth/contacts",
        {"name": "X", "relationship": "nemesis", "rhythm_days": 1},
        content_type="application/json",
    )
    assert bad.status_code == 422
    nameless = mentee_client.post(
        "/api/v1/growth/contacts", {"relationship": "peer"}, content_type="application/json"
    )
    assert nameless.status_code == 422 and "name" in nameless.json()["errors"]
    myself = mentee_client.post(
        "/api/v1/growth/contacts", {"user_id": mentee.pk}, content_type="application/json"
    )
    assert myself.status_code == 422 and "user" in myself.json()["errors"]
    future = mentee_client.post(
        f"/api/v1/growth/contacts/{contact_id}/conversations",
        {"happened_on": days(30).isoformat(), "channel": "call"},
        content_type="application/json",
    )
    assert future.status_code == 422 and "happened_on" in future.json()["errors"]
    assert mentee_client.get("/api/v1/growth/contact-suggestions").status_code == 200


@pytest.mark.parametrize("size", [3, 15])
def test_contacts_page_query_count_is_pinned(
    mentee_client, mentee, size, django_assert_num_queries
):
    for i in range(size):
        ContactFactory(
            owner=mentee, rhythm_days=30, last_contacted_on=days(-40), next_due_on=days(-10 + i)
        )
    with django_assert_num_queries(8):
        response = mentee_client.get(reverse("growth:contacts"))
    assert response.status_code == 200


# --- The career coaching team ---------------------------------------------------------------


def test_four_roles_filled_two_empty_with_suggestions(mentee_client, mentee):
    directory_mentor = UserFactory(full_name="Directory Mentor")
    make_profile(directory_mentor, is_mentor=True, capacity=2, hours_per_month=4)
    people = {
        "network_connector": ContactFactory(
            owner=mentee, name="Connector", relationship="classmate"
        ),
        "adviser": ContactFactory(owner=mentee, name="Adviser", relationship="former_colleague"),
        "idea_person": ContactFactory(owner=mentee, name="Ideas", relationship="colleague"),
        "emotional_connector": ContactFactory(owner=mentee, name="Friend", relationship="friend"),
    }
    for role, contact in people.items():
        response = mentee_client.post(reverse("growth:team"), {"role": role, "contact": contact.pk})
        assert response.status_code == 302
    boss = ContactFactory(owner=mentee, name="Old Boss", relationship="former_boss")
    slots = {slot.role: slot for slot in selectors.coaching_team(user=mentee)}
    assert [r for r, s in slots.items() if s.is_empty] == ["success_partner", "mentor"]
    assert boss in slots["mentor"].contact_suggestions
    assert directory_mentor in [c.user for c in slots["mentor"].directory_suggestions]
    page = mentee_client.get(reverse("growth:team")).content.decode()
    assert "2 roles are still empty." in page and "Old Boss" in page and "Directory Mentor" in page

    response = mentee_client.post(
        reverse("growth:team_add_suggested"), {"role": "mentor", "user": directory_mentor.pk}
    )
    assert response.status_code == 302
    member = CoachingTeamMember.objects.get(owner=mentee, role="mentor")
    assert member.contact.user == directory_mentor and member.contact.owner == mentee


def test_the_same_person_twice_in_a_role_is_refused(mentee):
    contact = ContactFactory(owner=mentee)
    services.team_member_add(owner=mentee, role=CoachingRole.ADVISER, contact=contact)
    with pytest.raises(ValidationError):
        services.team_member_add(owner=mentee, role=CoachingRole.ADVISER, contact=contact)


def test_someone_elses_contact_cannot_join_my_team(mentee, outsider, outsider_client):
    contact = ContactFactory(owner=mentee)
    response = outsider_client.post(
        reverse("growth:team"), {"role": "adviser", "contact": contact.pk}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    api = outsider_client.post(
        "/api/v1/growth/team",
        {"role": "adviser", "contact_id": contact.pk},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert not CoachingTeamMember.objects.exists()


def test_outsider_gets_404_removing_a_team_member(mentee, outsider_client):
    member = services.team_member_add(
        owner=mentee, role="mentor", contact=ContactFactory(owner=mentee)
    )
    assert outsider_client.post(reverse("growth:team_remove", args=[member.pk])).status_code == 404
    assert outsider_client.delete(f"/api/v1/growth/team/{member.pk}").status_code == 404
    assert (
        outsider_client.post(
            reverse("growth:team_add_suggested"), {"role": "mentor", "contact": member.contact_id}
        ).status_code
        == 404
    )
    assert CoachingTeamMember.objects.filter(pk=member.pk).exists()


def test_api_team(mentee_client, mentee):
    contact = ContactFactory(owner=mentee, relationship="peer")
    response = mentee_client.post(
        "/api/v1/growth/team",
        {"role": "success_partner", "contact_id": contact.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    roles = mentee_client.get("/api/v1/growth/team").json()
    assert [r["role"] for r in roles] == list(CoachingRole.values)
    by_role = {r["role"]: r for r in roles}
    assert not by_role["success_partner"]["is_empty"]
    assert by_role["idea_person"]["suggestions"][0]["contact_id"] == contact.pk
    bad = mentee_client.post(
        "/api/v1/growth/team",
        {"role": "guru", "contact_id": contact.pk},
        content_type="application/json",
    )
    assert bad.status_code == 422


@pytest.mark.parametrize("size", [1, 10])
def test_team_page_query_count_is_pinned(mentee_client, mentee, size, django_assert_num_queries):
    for _ in range(size):
        services.team_member_add(
            owner=mentee, role=CoachingRole.ADVISER, contact=ContactFactory(owner=mentee)
        )
    with django_assert_num_queries(12):  # 11, and the user's current mentors
        assert mentee_client.get(reverse("growth:team")).status_code == 200


# --- Opportunities and introductions --------------------------------------------------------


def test_mentor_records_an_introduction_and_the_mentee_follows_up(
    mentee, mentor, mentee_client, mentor_client, django_capture_on_commit_callbacks
):
    mentorship = make_mentorship(mentee=mentee, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor_client.post(
            reverse("growth:opportunities"),
            {
                "mentee": mentee.pk,
                "kind": "introduction",
                "where": "outside",
                "title": "Meet the CFO of a partner bank",
                "person_name": "Ibu Lestari",
            },
        )
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.mentorship == mentorship and opportunity.recorded_by == mentor
    assert mail.outbox[0].to == [mentee.email]
    response = mentee_client.post(
        reverse("growth:opportunity_detail", args=[opportunity.pk]),
        {"pursued": "1", "outcome": "We met; she invited me to a project"},
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == "pursued" and opportunity.followed_up_at is not None
    history = mentee_client.get(reverse("growth:opportunities")).content.decode()
    assert "Meet the CFO of a partner bank" in history and "she invited me" in history
    assert list(selectors.opportunities_for_mentorship(mentorship=mentorship)) == [opportunity]


def test_only_a_mentor_can_record_and_only_the_mentee_follows_up(
    mentee, mentor, outsider_client, outsider
):
    with pytest.raises(ValidationError):
        services.opportunity_record(mentor=outsider, mentee=mentee, kind="project", title="x")
    make_mentorship(mentee=mentee, mentor=mentor)
    opportunity = services.opportunity_record(
        mentor=mentor, mentee=mentee, kind="project", title="Lead the launch"
    )
    with pytest.raises(ValidationError):
        services.opportunity_follow_up(opportunity=opportunity, user=mentor, pursued=True)
    assert (
        outsider_client.get(reverse("growth:opportunity_detail", args=[opportunity.pk])).status_code
        == 404
    )
    assert (
        outsider_client.post(
            reverse("growth:opportunity_detail", args=[opportunity.pk]), {"pursued": "1"}
        ).status_code
        == 404
    )
    assert outsider_client.get(f"/api/v1/growth/opportunities/{opportunity.pk}").status_code == 404
    assert (
        outsider_client.post(
            f"/api/v1/growth/opportunities/{opportunity.pk}/follow-up",
            {"pursued": True},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_api_opportunities(mentee, mentor, mentor_client, mentee_client, outsider):
    make_mentorship(mentee=mentee, mentor=mentor)
    response = mentor_client.post(
        "/api/v1/growth/opportunities",
        {"mentee_id": mentee.pk, "kind": "project", "title": "Own the Q3 migration"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["mentorship_id"] is not None
    not_mine = mentor_client.post(
        "/api/v1/growth/opportunities",
        {"mentee_id": outsider.pk, "kind": "project", "title": "x"},
        content_type="application/json",
    )
    assert not_mine.status_code == 422 and "mentee" in not_mine.json()["errors"]
    no_person = mentor_client.post(
        "/api/v1/growth/opportunities",
        {"mentee_id": mentee.pk, "kind": "introduction", "title": "x"},
        content_type="application/json",
    )
    assert no_person.status_code == 422 and "person_name" in no_person.json()["errors"]
    followed = mentee_client.post(
        f"/api/v1/growth/opportunities/{response.json()['id']}/follow-up",
        {"pursued": False, "outcome": "Timing was wrong"},
        content_type="application/json",
    )
    assert followed.json()["status"] == "passed"
