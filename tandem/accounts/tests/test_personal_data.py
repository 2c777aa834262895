"""Personal data rights: "Download my data" (a zip built by the worker, kept privately,
downloadable by its owner until it expires) and "Delete my account" (relationships end with a
notice, everything only the person's is erased, what others wrote stays, counts still count)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tandem.accounts import services
from tandem.accounts.models import ApiToken, PersonalDataExport, User
from tandem.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tandem.api.tests.outsider_world import ONLY, PAIR, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_dir(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def world() -> World:
    return build_world()


def _zip(content: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        document = json.loads(archive.read("personal-data.json"))
        files = {name: archive.read(name).decode() for name in names if name.endswith(".md")}
    return document, files


def _ending_notices(outbox: list[Any]) -> list[list[str]]:
    """Who was told that a mentorship ended, leaving out the calendar cancellations that come
    with a future meeting (meetings' own email, with .ics files)."""
    return [
        m.to
        for m in outbox
        if not any(part[2].startswith("text/calendar") for part in m.attachments)
    ]


def _export(client: Any, django_capture_on_commit_callbacks: Any) -> PersonalDataExport:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:personal_data_export"))
    assert response.status_code == 302
    return PersonalDataExport.objects.latest("pk")


# --- coverage --------------------------------------------------------------------------------


def test_every_model_that_points_at_a_person_is_covered_by_a_registered_part() -> None:
    """A model with a foreign key or one-to-one to the user model, in any Tandem app, must be
    named by some app's `privacy.MODELS` (registered with `register_personal_data`): a new
    model without export and erase fails here."""
    from tandem.accounts.personal_data import covered_models

    user_model = apps.get_model("accounts", "User")
    pointing = {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("tandem.")
        and any(
            f.is_relation and f.concrete and f.related_model is user_model
            for f in model._meta.get_fields()
        )
    }
    missing = pointing - covered_models()
    assert not missing, f"no personal-data part covers {sorted(missing)}: add them to privacy.py"
    assert "accounts.User" in covered_models()


# --- download my data ------------------------------------------------------------------------


def test_export_has_everything_as_json_and_binder_notes_goals_as_markdown(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    mentee = world.users["mentee"]
    job = _export(world.personas["mentee"].form, django_capture_on_commit_callbacks)
    assert job.user == mentee and job.state == PersonalDataExport.State.READY
    assert job.expires is not None and job.finished is not None
    assert job.expires - job.finished == dt.timedelta(days=7)
    assert job.file.name.startswith(f"exports/{mentee.pk}/")

    response = world.personas["mentee"].page.get(
        reverse("accounts:personal_data_download", args=[job.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    document, files = _zip(b"".join(response.streaming_content))

    data = document["data"]
    assert data["accounts"]["user"]["email"] == mentee.email
    assert "password" not in data["accounts"]["user"]
    assert all("key_hash" not in token for token in data["accounts"]["api_tokens"])
    assert data["people"]["profile"][0]["goals"].startswith(PAIR)
    assert {row["title"] for row in data["binder"]["entries"]} >= {
        f"{ONLY['mentee']} private entry"
    }
    assert data["mentorships"]["mentorships"][0]["mentor_id"] == world.users["mentor"].pk
    assert data["programs"]["check_ins"][0]["comment"] == f"{ONLY['mentee']} check-in comment"
    assert data["growth"]["contacts"][0]["notes"] == f"{ONLY['mentee']} contact notes"
    text = json.dumps(document)
    # Never the partner's private words: their meeting note is theirs.
    assert ONLY["mentor"] not in text

    assert set(files) == {"binder.md", "notes.md", "goals.md"}
    assert f"## {ONLY['mentee']} private entry" in files["binder.md"]
    assert f"{ONLY['mentee']} meeting note" in files["notes.md"]
    assert ONLY["mentor"] not in files["notes.md"]
    assert f"## {ONLY['mentee']} private goal" in files["goals.md"]
    assert f"{PAIR} mentor comment" in files["goals.md"]


def test_only_the_owner_downloads_and_sees_the_state(
    mentee_client: Any, outsider_client: Any, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = _export(mentee_client, django_capture_on_commit_callbacks)
    for name in ("accounts:personal_data_export_state", "accounts:personal_data_download"):
        url = reverse(name, args=[job.pk])
        assert outsider_client.get(url).status_code == 404
        assert mentee_client.get(url).status_code == 200
    page = mentee_client.get(reverse("accounts:personal_data"))
    assert page.status_code == 200
    assert reverse("accounts:personal_data_download", args=[job.pk]) in page.content.decode()


def test_the_page_polls_while_the_worker_builds(
    mentee_client: Any, mentee: User, settings: Any
) -> None:
    # A real queue: nothing runs until the worker picks it up.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = mentee_client.post(reverse("accounts:personal_data_export"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = PersonalDataExport.objects.get(user=mentee)
    assert job.state == PersonalDataExport.State.PENDING
    state_url = reverse("accounts:personal_data_export_state", args=[job.pk])
    assert f'hx-get="{state_url}"' in response.content.decode()
    # Asking again while it is prepared does not start a second one.
    mentee_client.post(reverse("accounts:personal_data_export"))
    assert PersonalDataExport.objects.filter(user=mentee).count() == 1
    download = reverse("accounts:personal_data_download", args=[job.pk])
    assert mentee_client.get(download).status_code == 404

    services.personal_data_export_build(export_id=job.pk)
    body = mentee_client.get(state_url).content.decode()
    assert "hx-get" not in body and download in body
    # Idempotent: building again changes nothing.
    assert services.personal_data_export_build(export_id=job.pk) == "nothing to do"


def test_an_expired_export_is_gone(
    mentee_client: Any, mentee: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TANDEM_DATA_EXPORT_DAYS = 2
    job = _export(mentee_client, django_capture_on_commit_callbacks)
    path = job.file.path
    url = reverse("accounts:personal_data_download", args=[job.pk])
    assert mentee_client.get(url).status_code == 200
    later = timezone.now() + dt.timedelta(days=2, minutes=1)
    assert services.personal_data_exports_expire(now=timezone.now()) == 0
    assert services.personal_data_exports_expire(now=later) == 1
    job.refresh_from_db()
    assert job.state == PersonalDataExport.State.EXPIRED and not job.file
    import os

    assert not os.path.exists(path)
    assert mentee_client.get(url).status_code == 404


def test_an_export_past_its_date_is_refused_before_the_periodic_clean_up(
    mentee_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _export(mentee_client, django_capture_on_commit_callbacks)
    PersonalDataExport.objects.filter(pk=job.pk).update(expires=timezone.now())
    url = reverse("accounts:personal_data_download", args=[job.pk])
    assert mentee_client.get(url).status_code == 404


def test_the_file_has_no_public_url(
    mentee_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _export(mentee_client, django_capture_on_commit_callbacks)
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018


def test_export_post_needs_csrf(csrf_client_for: Any, mentee: User) -> None:
    client = csrf_client_for(mentee)
    url = reverse("accounts:personal_data_export")
    assert client.post(url, without_csrf=True).status_code == 403
    assert client.post(url).status_code == 302


def test_api_export_state_and_download_by_token(
    token_client_for: Any, mentee: User, outsider: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = token_client_for(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/accounts/export")
    assert response.status_code == 202, response.content
    export_id = response.json()["id"]
    state = client.get(f"/api/v1/accounts/export/{export_id}").json()
    assert state["state"] == "ready"
    assert state["download_url"] == f"/api/v1/accounts/export/{export_id}/download"
    download = client.get(state["download_url"])
    assert download.status_code == 200
    document, _files = _zip(b"".join(download.streaming_content))
    assert document["user_id"] == mentee.pk

    stranger = token_client_for(outsider)
    assert stranger.get(f"/api/v1/accounts/export/{export_id}").status_code == 404
    assert stranger.get(state["download_url"]).status_code == 404


def test_api_export_with_a_session_needs_csrf(csrf_client_for: Any, mentee: User) -> None:
    client = csrf_client_for(mentee)
    assert client.post("/api/v1/accounts/export", without_csrf=True).status_code == 403
    assert client.post("/api/v1/accounts/export").status_code == 202


# --- delete my account ----------------------------------------------------------------------


def _text_values(exclude: set[str]) -> list[tuple[str, str]]:
    """Every text in every Tandem table, but the models named."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("tandem.") or model._meta.label in exclude:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list(*fields):
            found += [(model._meta.label, str(value)) for value in row]
    return found


def test_deleting_erases_the_person_and_keeps_the_partners_records(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tandem.binder.models import Assignment, BinderEntry
    from tandem.growth.models import Goal
    from tandem.meetings.models import AgendaItem, MeetingNote
    from tandem.mentorships.models import Mentorship
    from tandem.programs.models import CheckIn, Programme
    from tandem.programs.selectors.reports import dashboard_counts

    mentee, mentor = world.users["mentee"], world.users["mentor"]
    programme = Programme.objects.get(pk=world.ids["programme"])
    counts = dashboard_counts(programme=programme)
    client = world.personas["mentee"].form
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:delete"), {"email": mentee.email.upper(), "password": TEST_PASSWORD}
        )
    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()

    # Anonymised: the row stays for others' records, with nothing of the person.
    mentee.refresh_from_db()
    assert mentee.is_active is False and mentee.is_erased
    assert mentee.email == f"deleted-{mentee.pk}@deleted.invalid"
    assert mentee.full_name == "" and str(mentee) == "Deleted user"
    assert not mentee.has_usable_password()
    assert not ApiToken.objects.filter(user=mentee).exists()
    from django.utils import translation

    with translation.override("id"):
        assert str(mentee) == "Pengguna yang dihapus"

    # Nothing the person wrote is left: the organisation's CSV import record aside, and the
    # notifications and emails that went to others (theirs, naming who did what).
    from tandem.notifications.models import Notification, OutgoingEmail

    assert not Notification.objects.filter(user=mentee).exists()
    assert not OutgoingEmail.objects.filter(to__icontains="matrix-mentee").exists()
    # The audit log keeps its evidence until its retention ends (README: Personal data).
    theirs = {
        "people.PeopleImport",
        "notifications.Notification",
        "notifications.OutgoingEmail",
        "audit.AuditEvent",
    }
    leftovers = [
        (label, value)
        for label, value in _text_values(exclude=theirs)
        if ONLY["mentee"] in value or "Mira" in value or "matrix-mentee" in value
    ]
    assert leftovers == [], "\n".join(f"{a}: {b[:80]}" for a, b in leftovers)
    assert not BinderEntry.objects.filter(owner=mentee).exists()
    assert not Goal.objects.filter(owner=mentee).exists()
    assert not MeetingNote.objects.filter(author=mentee).exists()
    assert AgendaItem.objects.get(pk=world.ids["agenda_item"]).title == "—"

    # The mentor keeps everything of theirs.
    assert MeetingNote.objects.filter(author=mentor, body__contains=ONLY["mentor"]).exists()
    assignment = Assignment.objects.get(pk=world.ids["assignment"])
    assert assignment.instructions == f"{PAIR} instructions"
    assert Goal.objects.filter(owner=mentor).exists()
    mentorship = Mentorship.objects.get(pk=world.ids["mentorship"])
    assert mentorship.status == Mentorship.Status.ENDED and mentorship.mentee_id == mentee.pk

    # ...and is told, once, in their own language.
    assert _ending_notices(mail.outbox) == [[mentor.email]]
    assert "Mira Mentee" in mail.outbox[0].subject
    # The meeting they had planned is cancelled in the mentor's calendar (and the erased
    # person is emailed nothing).
    assert all(m.to == [mentor.email] for m in mail.outbox)

    # The programme's counts still count the person, without their name or words.
    assert dashboard_counts(programme=programme) == counts
    check_in = CheckIn.objects.get(pk=world.ids["checkin"])
    assert check_in.satisfaction == 2 and check_in.comment == ""

    # Signed out, and the account cannot sign in again.
    assert client.get(reverse("accounts:personal_data")).status_code == 302
    token_client = world.personas["mentee"].api[1][1]
    assert token_client.get("/api/v1/accounts/me").status_code == 401


def test_deleting_needs_the_right_email_and_password(csrf_client_for: Any, mentee: User) -> None:
    client = csrf_client_for(mentee)
    url = reverse("accounts:delete")
    assert client.get(url).status_code == 200
    for data in (
        {"email": "someone@example.com", "password": TEST_PASSWORD},
        {"email": mentee.email, "password": "wrong"},
        {"email": mentee.email},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Your account is deleted" not in response.content.decode()
    assert (
        client.post(
            url, {"email": mentee.email, "password": TEST_PASSWORD}, without_csrf=True
        ).status_code
        == 403
    )
    mentee.refresh_from_db()
    assert mentee.is_active and mentee.email == "mentee@example.com"


def test_api_delete_by_token(
    token_client_for: Any, mentee: User, mentor: User, django_capture_on_commit_callbacks: Any
) -> None:
    from tandem.mentorships.tests.factories import make_active

    make_active(mentee, mentor)
    mail.outbox.clear()
    client = token_client_for(mentee)
    wrong = client.post(
        "/api/v1/accounts/delete",
        {"email": mentee.email, "password": "nope"},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/accounts/delete",
            {"email": mentee.email, "password": TEST_PASSWORD},
            content_type="application/json",
        )
    assert response.status_code == 204
    mentee.refresh_from_db()
    assert mentee.is_erased
    assert _ending_notices(mail.outbox) == [[mentor.email]]
    # The token died with the account.
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_api_delete_with_a_session_needs_csrf(csrf_client_for: Any, mentee: User) -> None:
    client = csrf_client_for(mentee)
    body = {"email": mentee.email, "password": TEST_PASSWORD}
    response = client.post(
        "/api/v1/accounts/delete", body, content_type="application/json", without_csrf=True
    )
    assert response.status_code == 403
    mentee.refresh_from_db()
    assert mentee.is_active


# --- the staff tool --------------------------------------------------------------------------


def test_command_exports_and_erases(
    world: World, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mentee, mentor = world.users["mentee"], world.users["mentor"]
    out = tmp_path / "data.zip"
    call_command("personal_data", "--export", mentee.email.upper(), "--output", str(out))
    document, files = _zip(out.read_bytes())
    assert document["user_id"] == mentee.pk and "binder.md" in files

    mail.outbox.clear()
    with pytest.raises(CommandError):
        call_command("personal_data", "--erase", "nobody@example.com", "--yes")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("personal_data", "--erase", mentee.email, "--yes")
    mentee.refresh_from_db()
    assert mentee.is_erased and not mentee.is_active
    assert _ending_notices(mail.outbox) == [[mentor.email]]
    # Erasing an erased account again changes nothing and tells nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("personal_data", "--erase", mentee.email, "--yes")
    assert mail.outbox == []


def test_an_account_deactivated_earlier_can_still_be_erased(mentee: User) -> None:
    from tandem.accounts.services import account_deactivate

    account_deactivate(user=mentee)
    UserFactory(email="other@example.com")
    services.account_delete(user=mentee)
    mentee.refresh_from_db()
    assert mentee.is_erased


@pytest.fixture
def staff(db: Any) -> User:
    return UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)  # type: ignore[return-value]


def test_staff_export_and_erase_in_the_admin(
    staff: User,
    mentee: User,
    mentor: User,
    outsider_client: Any,
    csrf_client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tandem.mentorships.tests.factories import make_active

    make_active(mentee, mentor)
    url = reverse("admin:accounts_user_changelist")
    client = csrf_client_for(staff)
    export = client.post(url, {"action": "export_personal_data", "_selected_action": [mentee.pk]})
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    document, files = _zip(export.content)
    assert document["user_id"] == mentee.pk and "goals.md" in files

    asked = {"action": "erase_personal_data", "_selected_action": [mentee.pk]}
    confirm = client.post(url, asked)
    assert confirm.status_code == 200 and mentee.email in confirm.content.decode()
    mentee.refresh_from_db()
    assert mentee.is_active
    assert client.post(url, {**asked, "confirm": "yes"}, without_csrf=True).status_code == 403
    # Not staff: the admin sends them to its login, and nothing happens.
    assert outsider_client.post(url, {**asked, "confirm": "yes"}).status_code == 302
    mentee.refresh_from_db()
    assert mentee.is_active

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**asked, "confirm": "yes"})
    assert done.status_code == 302
    mentee.refresh_from_db()
    assert mentee.is_erased
    assert _ending_notices(mail.outbox) == [[mentor.email]]
    # A plain delete, which would take the partner's records with it, is not offered.
    assert client.get(reverse("admin:accounts_user_delete", args=[mentor.pk])).status_code == 403


def test_the_data_page_lists_exports_in_a_fixed_number_of_queries(
    mentee_client: Any, mentee: User, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        PersonalDataExport.objects.create(user=mentee, state=PersonalDataExport.State.EXPIRED)
    url = reverse("accounts:personal_data")
    mentee_client.get(url)
    with django_assert_num_queries(QUERIES_DATA_PAGE):
        response = mentee_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('id="export-') == 3


# Session, user, the exports, the unread-notifications badge.
QUERIES_DATA_PAGE = 4


@pytest.mark.parametrize(
    "name", ["accounts:personal_data", "accounts:delete", "accounts:personal_data_export"]
)
def test_pages_send_the_anonymous_to_log_in(client: Any, name: str) -> None:
    response = client.post(reverse(name)) if name.endswith("export") else client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_when_the_mentor_leaves_the_mentee_keeps_hers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tandem.binder.models import Assignment, BinderEntry
    from tandem.growth.models import Goal, GoalUpdate
    from tandem.meetings.models import MeetingNote
    from tandem.programs.models import Invitation

    mentee, mentor = world.users["mentee"], world.users["mentor"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.account_delete(user=mentor)
    assert _ending_notices(mail.outbox) == [[mentee.email]]
    assert not MeetingNote.objects.filter(author=mentor).exists()
    assert MeetingNote.objects.filter(author=mentee).exists()
    assert BinderEntry.objects.filter(owner=mentee).count() == 2
    assert Goal.objects.filter(owner=mentee).count() == 2
    # The mentor's words on her goal and in the assignment he set are gone; the rows stay.
    assert GoalUpdate.objects.get(author=mentor).text == ""
    assert Assignment.objects.get(pk=world.ids["assignment"]).instructions == ""
    invitation = Invitation.objects.get(pk=world.ids["invitation"])
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.email == f"deleted-{mentor.pk}@deleted.invalid"


def test_the_pages_speak_indonesian(mentor_client: Any) -> None:
    """The mentor persona reads Indonesian."""
    page = mentor_client.get(reverse("accounts:personal_data")).content.decode()
    assert "Unduh data saya" in page and "Hapus akun saya" in page
    confirm = mentor_client.get(reverse("accounts:delete")).content.decode()
    assert "Tindakan ini tidak dapat dibatalkan" in confirm and "Kata sandi Anda" in confirm


def test_a_failed_build_says_so_and_the_tick_expires_exports(
    mentee: User, monkeypatch: Any
) -> None:
    from tandem.accounts import personal_data
    from tandem.accounts.tasks import expire_personal_data_exports
    from tandem.core.periodic import periodic_tasks

    assert expire_personal_data_exports in periodic_tasks()

    def broken(user: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(personal_data, "collect", broken)
    job = PersonalDataExport.objects.create(user=mentee)
    with pytest.raises(RuntimeError):
        services.personal_data_export_build(export_id=job.pk)
    job.refresh_from_db()
    assert job.state == PersonalDataExport.State.FAILED and not job.file


@pytest.mark.django_db
def test_an_erased_account_is_never_reactivated(django_capture_on_commit_callbacks) -> None:
    """SCIM's `active: true` (account_reactivate) brings back a deactivated account, never
    one its owner deleted."""
    from tandem.accounts.services import account_delete, account_reactivate

    person = UserFactory(email="gone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=person)
    person.refresh_from_db()
    assert person.is_erased and not person.is_active
    assert account_reactivate(user=person) is False
    person.refresh_from_db()
    assert not person.is_active
