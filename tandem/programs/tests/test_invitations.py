"""Issue 12, item 1: a programme cannot be used to take over accounts.

Creating programmes is a granted right; enrolment invites (it never edits an account and
makes nobody a member before they accept); a mentorship starts at publishing only for people
who joined themselves, its history naming the manager who published; co-managers accept;
bulk enrolment is validated whole and runs as a task with progress. At the entry points:
API with CSRF enforced and with a token, pages by POST."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.mentorships.models import Mentorship, MentorshipRequest, StatusChange
from tandem.people.models import Profile
from tandem.programs import selectors, services
from tandem.programs.models import (
    EnrolmentImport,
    Invitation,
    Membership,
    Programme,
    Role,
)
from tandem.programs.tests.factories import (
    grant_creation,
    make_cohort,
    make_person,
    make_programme,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/programs"


def _post_json(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


# --- who may create a programme -------------------------------------------------------------


def test_a_signed_up_account_cannot_create_a_programme(outsider, csrf_client_for, token_client_for):
    # (Writes go through the CSRF-enforcing session client: bearer-token writes are issue
    # 12 item 4, fixed separately; reads use both.)
    response = _post_json(csrf_client_for(outsider), f"{API}/", {"name": "Takeover"})
    assert response.status_code == 403
    assert "right" in response.json()["detail"]
    page = csrf_client_for(outsider)
    assert page.get(reverse("programs:create")).status_code == 403
    assert page.post(reverse("programs:create"), {"name": "Takeover"}).status_code == 403
    assert "Create a programme" not in page.get(reverse("programs:list")).content.decode()
    assert not Programme.objects.exists()
    assert not selectors.can_create_programme(outsider)


def test_a_granted_person_creates_one_and_sees_the_join_link_once(
    manager, csrf_client_for, token_client_for
):
    manager = grant_creation(manager)
    client = token_client_for(manager)
    response = _post_json(
        csrf_client_for(manager), f"{API}/", {"name": "Granted", "language": "id"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    token = body["invite_url"].rstrip("/").rsplit("/", 1)[-1]
    programme = Programme.objects.get(pk=body["id"])
    assert programme.language == "id"
    assert selectors.programme_by_invite(token) == programme
    assert token not in programme.invite_token_hash
    assert "invite_url" not in client.get(f"{API}/{programme.pk}").json()
    assert (
        "Create a programme" in _logged_in(manager).get(reverse("programs:list")).content.decode()
    )


def test_staff_may_create_programmes(outsider):
    outsider.is_staff = True
    assert selectors.can_create_programme(outsider)


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- join link ------------------------------------------------------------------------------


def test_regenerating_the_join_link_retires_the_old_one(
    manager, csrf_client_for, token_client_for, outsider
):
    programme = make_programme(manager)
    old = services.invite_link_regenerate(programme=programme)
    response = _post_json(csrf_client_for(manager), f"{API}/{programme.pk}/invite-link")
    assert response.status_code == 200
    new = response.json()["invite_url"].rstrip("/").rsplit("/", 1)[-1]
    assert selectors.programme_by_invite(new) == programme
    joiner = _logged_in(outsider)
    assert joiner.get(reverse("programs:join", args=[old])).status_code == 404
    assert joiner.get(reverse("programs:join", args=[new])).status_code == 200
    # The page: a new link, shown on the next page only.
    page = csrf_client_for(manager)
    shown = page.post(reverse("programs:invite_link", args=[programme.pk]), follow=True)
    link = re.search(r'value="http[^"]+/programmes/join/([^/"]+)/"', shown.content.decode())
    assert link is not None and selectors.programme_by_invite(link.group(1)) == programme
    # An outsider cannot make one.
    assert (
        _post_json(csrf_client_for(outsider), f"{API}/{programme.pk}/invite-link").status_code
        == 404
    )
    assert (
        csrf_client_for(outsider)
        .post(reverse("programs:invite_link", args=[programme.pk]))
        .status_code
        == 404
    )


# --- enrolment by CSV: the attack ----------------------------------------------------------


def _victim() -> User:
    victim = make_person("victim@example.com", language="id", mentor_capacity=1)
    Profile.objects.filter(user=victim).update(headline="Head of Data")
    return User.objects.get(pk=victim.pk)


def _account_state(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    profile = Profile.objects.get(user=user)
    return (
        user.full_name,
        user.language,
        user.timezone,
        profile.headline,
        profile.manager_id,
        profile.is_mentee,
        profile.is_mentor,
        profile.capacity,
        profile.goals,
    )


def test_enrolling_an_existing_account_by_csv_changes_nothing_on_it(
    manager, csrf_client_for, token_client_for, django_capture_on_commit_callbacks
):
    victim = _victim()
    before = _account_state(victim)
    programme = make_programme(manager)
    client = csrf_client_for(manager)
    data = (
        "email,name,language,role\n"
        "victim@example.com,Someone Else,en,mentee\n"
        "newcomer@example.com,Nia Baru,id,mentor\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_json(
            client, f"{API}/{programme.pk}/enrol-csv", {"csv": data, "role": "auto"}
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["total"] == 2
    progress = token_client_for(manager).get(f"{API}/imports/{job['id']}").json()
    assert (progress["status"], progress["processed"], progress["invited"]) == ("done", 2, 2)
    assert progress["progress"] == 100
    # Nothing on the account changed, no account was made, nobody is a member yet.
    assert _account_state(victim) == before
    assert not User.objects.filter(email="newcomer@example.com").exists()
    assert not Membership.objects.filter(programme=programme).exclude(role=Role.MANAGER).exists()
    pending = Invitation.objects.filter(programme=programme, status="pending")
    assert {(i.email, i.role, i.user_id) for i in pending} == {
        ("victim@example.com", "mentee", victim.pk),
        ("newcomer@example.com", "mentor", None),
    }
    # Each is told in their language: the account's own (Indonesian), the row's for the
    # newcomer; only the newcomer's email carries the sign-up link.
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "Undangan" in by_to["victim@example.com"].subject
    assert "Undangan" in by_to["newcomer@example.com"].subject
    assert "/accounts/signup/" in by_to["newcomer@example.com"].body
    # Running the import again (the worker retrying) invites nobody twice.
    services.enrolment_import_execute(import_id=job["id"])
    EnrolmentImport.objects.filter(pk=job["id"]).update(status="queued", processed=0)
    services.enrolment_import_execute(import_id=job["id"])
    assert Invitation.objects.filter(programme=programme).count() == 2


def test_the_invitee_accepts_or_declines_and_only_then_is_enrolled(
    manager, mentee, outsider, csrf_client_for, token_client_for, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol_csv(
            programme=programme,
            data="email,role\nmentee@example.com,mentee\nmentee@example.com,mentor\n",
            role="auto",
            by=manager,
        )
    as_mentee, as_mentor = (
        Invitation.objects.get(role=Role.MENTEE),
        Invitation.objects.get(role=Role.MENTOR),
    )
    # Listed for the invitee (page and API), nobody else.
    page = csrf_client_for(mentee)
    assert programme.name in page.get(reverse("programs:invitations")).content.decode()
    mine = token_client_for(mentee).get(f"{API}/invitations/mine").json()
    assert {i["id"] for i in mine} == {as_mentee.pk, as_mentor.pk}
    assert token_client_for(outsider).get(f"{API}/invitations/mine").json() == []
    # An outsider can neither accept nor decline it.
    other = csrf_client_for(outsider)
    assert other.post(reverse("programs:invitation_accept", args=[as_mentee.pk])).status_code == 404
    assert (
        other.post(reverse("programs:invitation_decline", args=[as_mentee.pk])).status_code == 404
    )
    assert _post_json(other, f"{API}/invitations/{as_mentee.pk}/accept").status_code == 404
    assert _post_json(other, f"{API}/invitations/{as_mentee.pk}/decline").status_code == 404
    assert not Membership.objects.filter(user=mentee).exists()
    # The invitee accepts one through the API, declines the other on the page.
    accepted = _post_json(csrf_client_for(mentee), f"{API}/invitations/{as_mentee.pk}/accept")
    assert accepted.status_code == 200, accepted.content
    membership = Membership.objects.get(programme=programme, user=mentee)
    assert (membership.role, membership.source) == (Role.MENTEE, Membership.Source.INVITATION)
    declined = page.post(reverse("programs:invitation_decline", args=[as_mentor.pk]))
    assert declined.status_code == 302
    as_mentor.refresh_from_db()
    assert as_mentor.status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=mentee, role=Role.MENTOR).exists()
    # Answering twice is a clear refusal.
    again = _post_json(csrf_client_for(mentee), f"{API}/invitations/{as_mentee.pk}/accept")
    assert again.status_code == 422
    # The manager sees the declined invitation on the participants page.
    listed = _logged_in(manager).get(reverse("programs:participants", args=[programme.pk]))
    html = listed.content.decode()
    assert "mentee@example.com" in html and "Declined" in html
    api_list = token_client_for(manager).get(f"{API}/{programme.pk}/invitations").json()
    assert [(i["email"], i["status"]) for i in api_list] == [("mentee@example.com", "declined")]
    assert token_client_for(outsider).get(f"{API}/{programme.pk}/invitations").status_code == 404


def test_a_newcomer_signs_up_then_answers_through_the_emailed_link(
    manager, outsider, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, language="id")
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol_csv(
            programme=programme, data="email\nbaru@example.com\n", role="mentee", by=manager
        )
    message = mail.outbox[-1]
    assert message.to == ["baru@example.com"] and "Undangan" in message.subject
    token = re.search(r"/programmes/invitations/link/([^/\s]+)/", message.body).group(1)
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    url = reverse("programs:invitation_link", args=[token])
    # Someone else holding the link cannot use it.
    assert _logged_in(outsider).get(url).status_code == 404
    newcomer = make_person("baru@example.com", language="id")
    client = _logged_in(newcomer)
    assert programme.name in client.get(url).content.decode()
    client.post(reverse("programs:invitation_accept", args=[invitation.pk]))
    assert Membership.objects.filter(
        programme=programme, user=newcomer, role=Role.MENTEE, source="invitation"
    ).exists()


# --- bad files -----------------------------------------------------------------------------


def test_a_bad_file_is_a_422_naming_every_bad_row_and_writes_nothing(
    manager, csrf_client_for, settings
):
    programme = make_programme(manager)
    client = csrf_client_for(manager)
    data = (
        "email,language,role\n"
        "not-an-email,en,mentee\n"
        "ok@example.com,xx,mentee\n"
        "fine@example.com,en,boss\n"
        "good@example.com,en,mentor\n" + "x" * 250 + "@example.com,en,mentee\n"
    )
    response = _post_json(client, f"{API}/{programme.pk}/enrol-csv", {"csv": data})
    assert response.status_code == 422
    errors = response.json()["errors"]["file"]
    assert [e.split(":")[0] for e in errors] == ["Line 2", "Line 3", "Line 4", "Line 6"]
    assert not EnrolmentImport.objects.exists() and not Invitation.objects.exists()
    # Not CSV at all, or unknown columns: the same, with the reason.
    for bad in ("\x00\x01binary", "first_name,last_name\nA,B\n", "email,headline\na@b.co,x\n"):
        response = _post_json(client, f"{API}/{programme.pk}/enrol-csv", {"csv": bad})
        assert response.status_code == 422, bad
    # The page answers with the form, every error on it, status 422.
    upload = SimpleUploadedFile("people.csv", data.encode())
    page = client.post(
        reverse("programs:enrol_csv", args=[programme.pk]), {"file": upload, "role": "auto"}
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert "Line 2" in html and "Line 3" in html and "Line 4" in html
    assert not Invitation.objects.exists()
    # Over the row limit: refused before any work.
    settings.TANDEM_PROGRAM_ENROL_MAX_ROWS = 3
    many = "email\n" + "".join(f"p{i}@example.com\n" for i in range(4))
    response = _post_json(
        client, f"{API}/{programme.pk}/enrol-csv", {"csv": many, "role": "mentee"}
    )
    assert response.status_code == 422 and "more than 3" in response.json()["errors"]["file"][0]
    # Over the size limit: 413.
    settings.TANDEM_PROGRAM_ENROL_MAX_BYTES = 100
    big = "email\n" + "".join(f"person{i}@example.com\n" for i in range(10))
    response = _post_json(client, f"{API}/{programme.pk}/enrol-csv", {"csv": big, "role": "mentee"})
    assert response.status_code == 413
    upload = SimpleUploadedFile("people.csv", big.encode())
    page = client.post(
        reverse("programs:enrol_csv", args=[programme.pk]), {"file": upload, "role": "mentee"}
    )
    assert page.status_code == 413
    assert not EnrolmentImport.objects.exists() and not Invitation.objects.exists()


def test_the_page_upload_queues_invitations_with_progress(
    manager, csrf_client_for, outsider, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    client = csrf_client_for(manager)
    upload = SimpleUploadedFile("people.csv", b"email,name\nann@example.com,Ann\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programs:enrol_csv", args=[programme.pk]), {"file": upload, "role": "mentee"}
        )
    assert response.status_code == 302
    job = EnrolmentImport.objects.get()
    assert (job.status, job.invited) == ("done", 1)
    assert Invitation.objects.get().email == "ann@example.com"
    assert not Membership.objects.filter(programme=programme, role=Role.MENTEE).exists()
    detail = client.get(reverse("programs:detail", args=[programme.pk])).content.decode()
    assert "1 invited" in detail
    fragment = client.get(reverse("programs:import_progress", args=[job.pk]))
    assert fragment.status_code == 200
    assert (
        _logged_in(outsider).get(reverse("programs:import_progress", args=[job.pk])).status_code
        == 404
    )
    assert csrf_client_for(outsider).get(f"{API}/imports/{job.pk}").status_code == 404
    upload = SimpleUploadedFile("people.csv", b"email\nx@example.com\n")
    outsider_post = csrf_client_for(outsider).post(
        reverse("programs:enrol_csv", args=[programme.pk]), {"file": upload, "role": "mentee"}
    )
    assert outsider_post.status_code == 404


# --- publishing needs consent ----------------------------------------------------------------


def _run_and_publish(programme, manager, capture):
    with capture(execute=True):
        run = services.run_start(programme=programme, by=manager)
    run.refresh_from_db()
    with capture(execute=True):
        return services.run_publish(run=run, by=manager)


def test_publishing_with_approval_nobody_asks_people_who_did_not_join_themselves(
    manager, django_capture_on_commit_callbacks
):
    """The attack: people put in the programme by someone else (as the old CSV enrolment
    did) never find a mentorship started for them; they get a request to answer."""
    programme = make_programme(manager, approval=Programme.Approval.NOBODY)
    victim = _victim()
    attacker_mentee = make_person("attacker@example.com")
    services.enrol(programme=programme, user=victim, role=Role.MENTOR, source="csv")
    services.enrol(programme=programme, user=attacker_mentee, role=Role.MENTEE, source="invite")
    result = _run_and_publish(programme, manager, django_capture_on_commit_callbacks)
    assert result.matches == 1
    assert not Mentorship.objects.exists()
    req = MentorshipRequest.objects.get()
    assert (req.mentor_id, req.status) == (victim.pk, "pending")
    assert req.initiated_by_id == attacker_mentee.pk  # the victim is the one who answers


def test_publishing_with_approval_nobody_starts_self_joined_pairs_in_the_managers_name(
    manager, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, approval=Programme.Approval.NOBODY)
    mentee = make_person("joined-mentee@example.com")
    mentor = make_person("joined-mentor@example.com", mentor_capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol_csv(
            programme=programme,
            data=f"email,role\n{mentee.email},mentee\n{mentor.email},mentor\n",
            role="auto",
            by=manager,
        )
    for invitation in Invitation.objects.all():
        services.invitation_accept(invitation=invitation, user=invitation.user)
    result = _run_and_publish(programme, manager, django_capture_on_commit_callbacks)
    assert result.matches == 1
    mentorship = Mentorship.objects.get()
    history = list(StatusChange.objects.filter(mentorship=mentorship))
    assert [h.by_id for h in history] == [manager.pk]


def test_publishing_with_the_mentors_approval_makes_requests(
    manager, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, approval=Programme.Approval.MENTOR)
    make_cohort(programme, mentees=2, mentors=1)
    _run_and_publish(programme, manager, django_capture_on_commit_callbacks)
    assert not Mentorship.objects.exists()
    assert all(r.initiated_by_id == r.mentee_id for r in MentorshipRequest.objects.all())


# --- co-managers ---------------------------------------------------------------------------


def test_adding_a_manager_answers_the_same_whether_or_not_the_account_exists(
    manager, mentor, outsider, csrf_client_for, token_client_for, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    client = csrf_client_for(manager)
    answers = []
    for email in ("mentor@example.com", "nobody-here@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            response = _post_json(client, f"{API}/{programme.pk}/managers", {"email": email})
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1] and answers[0][0] == 202
    page = csrf_client_for(manager)
    texts = []
    for email in ("MENTOR@example.com", "someone-else@example.com"):
        response = page.post(
            reverse("programs:manager_add", args=[programme.pk]), {"email": email}, follow=True
        )
        texts.append(re.findall(r'class="message[^"]*"[^>]*>([^<]+)<', response.content.decode()))
    assert texts[0] == texts[1] and texts[0]
    # Nobody became a manager; the account holder has one invitation to answer.
    assert not selectors.is_manager(mentor, programme)
    invitation = Invitation.objects.get(email="mentor@example.com")
    assert invitation.role == Role.MANAGER and invitation.user_id == mentor.pk
    assert Invitation.objects.filter(email="nobody-here@example.com", user=None).exists()
    assert any(m.to == ["nobody-here@example.com"] for m in mail.outbox)
    # They accept; now they manage it.
    accepted = csrf_client_for(mentor).post(
        reverse("programs:invitation_accept", args=[invitation.pk])
    )
    assert accepted.status_code == 302
    assert selectors.is_manager(mentor, programme)
    # An outsider cannot invite managers.
    assert (
        _post_json(
            csrf_client_for(outsider), f"{API}/{programme.pk}/managers", {"email": "x@example.com"}
        ).status_code
        == 404
    )


# --- circle agendas --------------------------------------------------------------------------


def test_a_manager_outside_a_circle_gets_404_on_its_agenda(
    manager, csrf_client_for, token_client_for, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, kind=Programme.Kind.GROUP, mentor_capacity=3)
    mentees, mentors = make_cohort(programme, mentees=2, mentors=1)
    _run_and_publish(programme, manager, django_capture_on_commit_callbacks)
    circle = programme.circles.get()
    url = f"{API}/circles/{circle.pk}/agenda"
    added = _post_json(csrf_client_for(mentees[0]), url, {"text": "Salary talks"})
    assert added.status_code == 201, added.content
    assert [i["text"] for i in token_client_for(mentors[0]).get(url).json()] == ["Salary talks"]
    assert token_client_for(manager).get(url).status_code == 404
    client = csrf_client_for(manager)
    assert client.get(url).status_code == 404
    assert _post_json(client, url, {"text": "Manager note"}).status_code == 404
    item = circle.agenda.get()
    page = csrf_client_for(manager)
    assert (
        "Salary talks"
        not in page.get(reverse("programs:circle", args=[circle.pk])).content.decode()
    )
    toggled = page.post(reverse("programs:agenda_toggle", args=[circle.pk, item.pk]))
    assert toggled.status_code == 404
    item.refresh_from_db()
    assert not item.done
