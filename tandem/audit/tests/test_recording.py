"""Each event the audit log records, recorded once with who did it, and nothing recorded
for ordinary members reading their own programme."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from tandem.accounts.tests.factories import UserFactory
from tandem.audit.models import Action, AuditEvent
from tandem.audit.services import audit_record, current_request
from tandem.programs import services as programs
from tandem.programs.models import Invitation, Role
from tandem.programs.tests.factories import (
    grant_creation,
    make_cohort,
    make_programme,
    published_cohort,
    start_run,
)

pytestmark = pytest.mark.django_db


def _last() -> int:
    """The newest event's id so far: a test reads what came after (the log cannot be
    emptied, not even in a test, on PostgreSQL)."""
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _only(**filters):
    events = list(AuditEvent.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


@pytest.mark.parametrize(
    ("name", "query", "action", "what"),
    [
        ("participants", "", Action.VIEW, "participants"),
        ("participants", "?format=csv", Action.EXPORT, "participants"),
        ("relationships", "", Action.VIEW, "relationships"),
        ("relationships", "?format=csv", Action.EXPORT, "relationships"),
        ("dashboard", "", Action.VIEW, "dashboard"),
        ("dashboard", "?export=enrolment", Action.EXPORT, "dashboard"),
    ],
)
def test_a_managers_report_pages_and_exports_are_recorded(
    name, query, action, what, manager, manager_client
):
    programme = make_programme(manager)
    start = _last()
    url = reverse(f"programs:{name}", args=[programme.pk]) + query
    response = manager_client.get(url, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    event = _only(pk__gt=start)
    assert (event.actor_id, event.actor_label, event.action) == (manager.pk, manager.email, action)
    assert event.target == f"programme:{programme.pk} {what}"
    assert (event.method, event.path, event.ip) == ("GET", url.split("?")[0], "203.0.113.9")


def test_the_run_page_its_csv_and_compare_are_recorded(
    manager, manager_client, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    make_cohort(programme, mentees=2, mentors=1)
    a = start_run(programme, manager, django_capture_on_commit_callbacks)
    b = start_run(programme, manager, django_capture_on_commit_callbacks)
    start = _last()
    run_url = reverse("programs:run", args=[a.pk])
    assert manager_client.get(run_url).status_code == 200
    assert manager_client.get(run_url + "?format=csv").status_code == 200
    compare = reverse("programs:compare", args=[programme.pk]) + f"?a={a.pk}&b={b.pk}"
    assert manager_client.get(compare).status_code == 200
    rows = list(
        AuditEvent.objects.filter(pk__gt=start)
        .order_by("pk")
        .values_list("action", "target", "detail")
    )
    assert rows == [
        (Action.VIEW, f"programme:{programme.pk} run run:{a.pk}", {}),
        (Action.EXPORT, f"programme:{programme.pk} run run:{a.pk}", {}),
        (Action.VIEW, f"programme:{programme.pk} compare", {"a": a.pk, "b": b.pk}),
    ]


def test_the_api_reads_of_a_programme_are_recorded_with_a_token(
    manager, token_client_for, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    make_cohort(programme, mentees=2, mentors=1)
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    client = token_client_for(manager)
    start = _last()
    base = f"/api/v1/programs/{programme.pk}"
    for url in [
        f"/api/v1/programs/runs/{run.pk}",
        f"{base}/dashboard",
        f"{base}/relationships",
        f"{base}/invitations",
    ]:
        assert client.get(url).status_code == 200, url
    events = AuditEvent.objects.filter(pk__gt=start).order_by("pk")
    assert list(events.values_list("actor_id", "action", "target")) == [
        (manager.pk, Action.VIEW, f"programme:{programme.pk} run run:{run.pk}"),
        (manager.pk, Action.VIEW, f"programme:{programme.pk} dashboard"),
        (manager.pk, Action.VIEW, f"programme:{programme.pk} relationships"),
        (manager.pk, Action.VIEW, f"programme:{programme.pk} invitations"),
    ]


def test_members_reading_their_own_programme_are_not_recorded(
    manager, mentee, mentee_client, django_capture_on_commit_callbacks
):
    programme, _mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    programs.enrol(programme=programme, user=mentee, role=Role.MENTEE, source="invite")
    start = _last()
    assert mentee_client.get(reverse("programs:list")).status_code == 200
    assert mentee_client.get(reverse("programs:detail", args=[programme.pk])).status_code == 200
    assert mentee_client.get(f"/api/v1/programs/{programme.pk}").status_code == 200
    # and a member is refused a manager's page before anything is recorded
    assert mentee_client.get(reverse("programs:dashboard", args=[programme.pk])).status_code == 404
    assert not AuditEvent.objects.filter(pk__gt=start).exists()


def test_programme_changes_are_recorded(manager, manager_client):
    programme = make_programme(manager)
    created = _only(action=Action.PROGRAMME_CHANGE)
    assert (created.actor_id, created.target) == (manager.pk, f"programme:{programme.pk}")
    assert created.detail["change"] == "created"
    rf = RequestFactory().post("/programmes/1/edit/")
    rf.user = manager
    with current_request(rf):  # a service called while a request is served knows who
        programs.programme_update(programme=programme, name="Autumn cohort")
        question = programs.question_add(programme=programme, role=Role.MENTEE, text="Why?")
        qpk = question.pk
        programs.question_delete(question=question)
        programs.invite_link_regenerate(programme=programme)
    changes = list(
        AuditEvent.objects.filter(action=Action.PROGRAMME_CHANGE)
        .order_by("pk")
        .values_list("actor_id", "detail")
    )
    assert changes[1:] == [
        (manager.pk, {"change": "edited", "fields": ["name"]}),
        (manager.pk, {"change": "question added", "question": qpk}),
        (manager.pk, {"change": "question deleted", "question": qpk}),
        (manager.pk, {"change": "join link replaced"}),
    ]


def test_the_edit_page_records_the_change(manager, csrf_client_for):
    programme = make_programme(manager)
    client = csrf_client_for(manager)
    page = client.get(reverse("programs:edit", args=[programme.pk]))
    data = {
        k: v
        for k, v in page.context["form"].initial.items()
        if v is not None and not isinstance(v, dict)
    }
    data["name"] = "Renamed"
    response = client.post(reverse("programs:edit", args=[programme.pk]), data)
    assert response.status_code == 302, (
        getattr(response, "context", None) and response.context["form"].errors
    )
    edited = AuditEvent.objects.filter(action=Action.PROGRAMME_CHANGE).latest("pk")
    assert (edited.actor_id, edited.detail["change"], edited.method) == (
        manager.pk,
        "edited",
        "POST",
    )


def test_publishing_a_run_is_recorded(manager, django_capture_on_commit_callbacks):
    programme, _mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    event = _only(action=Action.RUN_PUBLISH)
    run = programme.runs.get()
    assert (event.actor_id, event.target) == (manager.pk, f"programme:{programme.pk} run:{run.pk}")
    assert event.detail == {"run": run.number, "matches": 2, "failed": 0, "skipped": 0}


def test_a_refused_publish_records_nothing(manager, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    programme, _mentees, _mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        programs.run_publish(run=programme.runs.get(), by=manager)
    assert AuditEvent.objects.filter(action=Action.RUN_PUBLISH).count() == 1


def test_granting_the_programme_manager_right_and_staff_are_recorded(staff, outsider):
    rf = RequestFactory().post("/admin/")
    rf.user = staff
    with current_request(rf):
        grant_creation(outsider)
    event = _only(action=Action.ROLE_CHANGE, subject_user=outsider)
    assert (event.actor_id, event.subject_label) == (staff.pk, outsider.email)
    assert event.detail == {"permissions": {"added": ["programs.add_programme"]}}

    outsider.is_staff = True
    outsider.save()
    flags = AuditEvent.objects.filter(action=Action.ROLE_CHANGE).latest("pk")
    assert (flags.actor_id, flags.detail) == (None, {"flags": {"is_staff": True}, "created": False})
    outsider.full_name = "Another name"
    outsider.save()  # not a role: nothing
    outsider.save(update_fields=["last_login"])  # signing in: nothing
    assert AuditEvent.objects.filter(action=Action.ROLE_CHANGE, subject_user=outsider).count() == 2


def test_group_membership_and_group_rights_are_recorded(outsider):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Programme managers")
    right = Permission.objects.get(codename="add_programme")
    group.permissions.add(right)
    outsider.groups.add(group)
    outsider.groups.remove(group)
    rows = list(
        AuditEvent.objects.filter(action=Action.ROLE_CHANGE)
        .order_by("pk")
        .values_list("subject_user_id", "target", "detail")
    )
    assert rows == [
        (
            None,
            f"group:{group.pk} Programme managers",
            {"permissions": {"added": ["programs.add_programme"]}},
        ),
        (outsider.pk, f"user:{outsider.pk}", {"groups": {"added": ["Programme managers"]}}),
        (outsider.pk, f"user:{outsider.pk}", {"groups": {"removed": ["Programme managers"]}}),
    ]


def test_inviting_and_accepting_a_co_manager_are_recorded(manager, outsider):
    programme = make_programme(manager)
    programs.manager_add(programme=programme, email=outsider.email, by=manager)
    invited = _only(action=Action.ROLE_CHANGE, actor=manager)
    assert invited.detail == {"manager_invited": outsider.email, "new_invitation": True}
    invitation = Invitation.objects.get(programme=programme, role=Role.MANAGER)
    programs.invitation_accept(invitation=invitation, user=outsider)
    accepted = _only(action=Action.ROLE_CHANGE, subject_user=outsider)
    assert (accepted.actor_id, accepted.detail) == (outsider.pk, {"manager": "accepted"})


def test_using_the_admin_is_recorded_with_whose_page_it_was(staff, staff_client, outsider):
    start = _last()
    url = reverse("admin:accounts_user_change", args=[outsider.pk])
    assert staff_client.get(url).status_code == 200
    event = _only(action=Action.ADMIN, pk__gt=start)
    assert (event.actor_id, event.subject_user_id, event.subject_label) == (
        staff.pk,
        outsider.pk,
        outsider.email,
    )
    assert event.target == f"accounts_user_change {outsider.pk}"
    assert event.detail == {"status": 200}
    assert staff_client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.ADMIN).count() == 2


def test_making_someone_staff_in_the_admin_records_the_use_and_the_role_change(
    staff, csrf_client_for, outsider
):
    client = csrf_client_for(staff)
    url = reverse("admin:accounts_user_change", args=[outsider.pk])
    response = client.post(
        url,
        {
            "email": outsider.email,
            "full_name": outsider.full_name,
            "language": "en",
            "timezone": "Asia/Jakarta",
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = _only(action=Action.ROLE_CHANGE, subject_user=outsider)
    assert (change.actor_id, change.detail["flags"]) == (staff.pk, {"is_staff": True})
    use = AuditEvent.objects.filter(action=Action.ADMIN, method="POST").get()
    assert (use.actor_id, use.subject_user_id, use.detail) == (
        staff.pk,
        outsider.pk,
        {"status": 302},
    )


def test_someone_who_is_not_staff_reaching_the_admin_is_not_recorded_as_using_it(outsider_client):
    assert outsider_client.get(reverse("admin:index")).status_code == 302
    assert not AuditEvent.objects.filter(action=Action.ADMIN).exists()


def test_the_people_export_is_recorded_on_the_page_the_api_and_the_command_line(
    staff, staff_client, token_client_for
):
    assert staff_client.get(reverse("people:export")).status_code == 200
    assert token_client_for(staff).get("/api/v1/people/export").status_code == 200
    call_command("export", "people", "-", stdout=io.StringIO())
    rows = list(
        AuditEvent.objects.filter(action=Action.EXPORT)
        .order_by("pk")
        .values_list("actor_id", "target", "path")
    )
    assert rows == [
        (staff.pk, "people", reverse("people:export")),
        (staff.pk, "people", "/api/v1/people/export"),
        (None, "people", ""),
    ]


def test_audit_record_refuses_an_unknown_action_and_bounds_its_text(staff):
    with pytest.raises(ValueError):
        audit_record(actor=staff, action="peeked")
    event = audit_record(actor=staff, action=Action.VIEW, target="x" * 500, subject_user=staff.pk)
    assert len(event.target) == 200 and event.subject_label == staff.email


def test_a_new_staff_account_is_recorded(db):
    user = UserFactory(email="new-staff@example.com", is_staff=True)
    event = _only(action=Action.ROLE_CHANGE, subject_user=user)
    assert event.detail == {"flags": {"is_staff": True}, "created": True}


def test_a_request_with_no_client_address_is_still_recorded(manager):
    request = RequestFactory().get("/programmes/1/dashboard/", REMOTE_ADDR="")
    request.user = manager
    event = audit_record(actor=None, action=Action.VIEW, target="programme:1", request=request)
    assert (event.actor_id, event.ip) == (manager.pk, None)


def test_organisation_administrators_and_the_programme_manager_right_they_grant_are_recorded(
    staff, outsider, mentee
):
    from tandem.people.models import Organisation, Profile
    from tandem.people.services import (
        organisation_admin_appoint,
        organisation_programme_manager_set,
    )

    organisation = Organisation.objects.create(name="Acme")
    Profile.objects.update_or_create(user=mentee, defaults={"organisation": organisation})
    organisation_admin_appoint(organisation=organisation, by=staff, email=outsider.email)
    appointed = _only(action=Action.ROLE_CHANGE, subject_user=outsider)
    assert (appointed.actor_id, appointed.target) == (staff.pk, f"organisation:{organisation.pk}")
    request = RequestFactory().post("/organisations/")
    request.user = outsider
    with current_request(request):
        organisation_programme_manager_set(
            organisation=organisation, user_pk=mentee.pk, granted=True, by=outsider
        )
    granted = _only(action=Action.ROLE_CHANGE, subject_user=mentee)
    assert granted.actor_id == outsider.pk
    assert granted.target == f"organisation:{organisation.pk} user:{mentee.pk}"
    assert granted.detail == {
        "programme_manager": "granted",
        "permissions": {"added": ["programs.add_programme"]},
    }
