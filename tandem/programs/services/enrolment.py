"""Enrolment: joining by link, and the CSV import that invites people in batches."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import AccountInvitation, User
from tandem.accounts.rules import has_joined
from tandem.people.services import account_invitation_send
from tandem.programs import selectors
from tandem.programs.models import EnrolmentImport, Invitation, Membership, Programme, Role
from tandem.programs.services._common import EnrolRow, _invite

# --- enrolment ------------------------------------------------------------------------------


@transaction.atomic
def enrol(
    *,
    programme: Programme,
    user: User,
    role: str,
    answers: dict[str, str] | None = None,
    capacity: int | None = None,
    source: str = Membership.Source.INVITE,
) -> Membership:
    """Join as mentor or mentee, answering the manager's questions for that role. Joining
    again updates the answers."""
    if role not in (Role.MENTOR, Role.MENTEE):
        raise ValidationError({"role": [_("Join as a mentor or as a mentee.")]})
    answers = answers or {}
    clean: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for q in selectors.questions_for(programme=programme, role=role):
        value = str(answers.get(str(q.pk), "")).strip()
        if not value and source == Membership.Source.INVITE:
            errors[f"q_{q.pk}"] = [_("Please answer this question.")]
        clean[str(q.pk)] = value[:2000]
    if capacity is not None and not 1 <= capacity <= 50:
        errors["capacity"] = [_("Between 1 and 50 mentees.")]
    if errors:
        raise ValidationError(errors)
    membership, created = Membership.objects.get_or_create(
        programme=programme,
        user=user,
        role=role,
        defaults={"answers": clean, "capacity": capacity, "source": source},
    )
    if not created:
        membership.answers = clean or membership.answers
        if capacity is not None:
            membership.capacity = capacity
        membership.save(update_fields=["answers", "capacity"])
    return membership


# --- invitations ----------------------------------------------------------------------------

ENROL_COLUMNS = ("email", "name", "language", "role")


def enrol_max_rows() -> int:
    return int(settings.TANDEM_PROGRAM_ENROL_MAX_ROWS)


def enrol_max_bytes() -> int:
    return int(settings.TANDEM_PROGRAM_ENROL_MAX_BYTES)


class UploadTooLarge(Exception):
    """A file over the size limit: refused (413) before anything is read."""


def enrol_rows_parse(*, data: bytes | str, role: str) -> list[EnrolRow]:
    """Read an enrolment CSV: a header naming the columns (`email`, and optionally `name`,
    `language`, `role`), one person a line. `role` is mentor, mentee, or "auto" (each row's
    role column says). Every bad row is named in one ValidationError; nothing is written.
    At most `enrol_max_rows()` rows."""
    if role not in (Role.MENTOR, Role.MENTEE, "auto"):
        raise ValidationError({"role": [_("Enrol as mentors, mentees, or by the role column.")]})
    if len(data) > enrol_max_bytes():
        raise UploadTooLarge(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": enrol_max_bytes() // (1024 * 1024)}
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                {"file": [_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")]}
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        raise ValidationError({"file": [_("The file is not a CSV text file.")]})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error:
        header = []
    if "email" not in header:
        raise ValidationError(
            {"file": [_("The first line must name the columns, including “email”.")]}
        )
    unknown = [h for h in header if h not in ENROL_COLUMNS]
    if unknown:
        raise ValidationError(
            {
                "file": [
                    _("Unknown columns: %(columns)s. Use %(known)s.")
                    % {"columns": ", ".join(unknown), "known": ", ".join(ENROL_COLUMNS)}
                ]
            }
        )
    languages = {code for code, _name in settings.LANGUAGES}
    rows: list[EnrolRow] = []
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            line = reader.line_num
            if len(rows) + len(errors) >= enrol_max_rows():
                raise ValidationError(
                    {
                        "file": [
                            _(
                                "The file has more than %(limit)s people. Split it into "
                                "files of at most %(limit)s rows."
                            )
                            % {"limit": enrol_max_rows()}
                        ]
                    }
                )
            cells = dict(zip(header, (c.strip() for c in record), strict=False))
            problems: list[str] = []
            if len(record) > len(header):
                problems.append(_("more cells than columns"))
            email = cells.get("email", "").lower()
            try:
                if len(email) > 254:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                problems.append(_("“%(email)s” is not an email address") % {"email": email[:80]})
            name = cells.get("name", "")
            if len(name) > 150:
                problems.append(_("the name is longer than 150 characters"))
            language = cells.get("language", "").lower()
            if language and language not in languages:
                problems.append(
                    _("language must be one of %(codes)s") % {"codes": ", ".join(sorted(languages))}
                )
            row_role = cells.get("role", "").lower() if role == "auto" else role
            if row_role not in (Role.MENTOR, Role.MENTEE):
                problems.append(_("role must be mentor or mentee"))
            if (email, row_role) in seen:
                problems.append(_("this person is already on an earlier line in this role"))
            if problems:
                errors.append(
                    _("Line %(line)s: %(problems)s.")
                    % {"line": line, "problems": "; ".join(problems)}
                )
                continue
            seen.add((email, row_role))
            rows.append(EnrolRow(email=email, name=name, language=language, role=row_role))
    except csv.Error as exc:
        errors.append(
            _("Line %(line)s: %(problems)s.") % {"line": reader.line_num, "problems": exc}
        )
    if errors:
        raise ValidationError({"file": errors})
    if not rows:
        raise ValidationError({"file": [_("The file names nobody.")]})
    return rows


def enrol_csv(*, programme: Programme, data: bytes | str, role: str, by: User) -> EnrolmentImport:
    """Enrol the people in a CSV by inviting them: every row is checked first (any bad row:
    a ValidationError naming each, nothing stored), then the worker sends the invitations,
    its progress on the import. Enrolment never edits anyone's account and makes nobody a
    member: each person accepts or declines their invitation."""
    from tandem.programs.tasks import send_enrolment_invitations

    rows = enrol_rows_parse(data=data, role=role)
    with transaction.atomic():
        job = EnrolmentImport.objects.create(
            programme=programme,
            by=by,
            rows=[r.__dict__ for r in rows],
            total=len(rows),
        )
        transaction.on_commit(lambda: send_enrolment_invitations.enqueue(job.pk))
    return job


def enrolment_import_execute(*, import_id: int, batch: int = 200) -> str:
    """Send an import's invitations, a batch per transaction, its progress saved after each.
    Idempotent: a finished import is left alone, and a row already invited (or already a
    member) is counted as such rather than invited twice, so a run cut short resumes."""
    with transaction.atomic():
        job = EnrolmentImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or job.status in (
            EnrolmentImport.Status.DONE,
            EnrolmentImport.Status.FAILED,
        ):
            return "skipped"
        job.status = EnrolmentImport.Status.RUNNING
        job.save(update_fields=["status"])
    programme, by = job.programme, job.by
    rows = [EnrolRow(**r) for r in job.rows]
    try:
        for start in range(job.processed, len(rows), batch):
            invited = already = 0
            with transaction.atomic():
                for row in rows[start : start + batch]:
                    if _invite(programme=programme, row=row, by=by, job=job):
                        invited += 1
                    else:
                        already += 1
                EnrolmentImport.objects.filter(pk=job.pk).update(
                    processed=min(len(rows), start + batch),
                    invited=F("invited") + invited,
                    already=F("already") + already,
                )
    except Exception as exc:  # the import fails visibly; the page shows why
        EnrolmentImport.objects.filter(pk=job.pk).update(
            status=EnrolmentImport.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return "failed"
    EnrolmentImport.objects.filter(pk=job.pk).update(
        status=EnrolmentImport.Status.DONE, finished_at=timezone.now()
    )
    return "done"


@transaction.atomic
def account_invitation_resend(
    *, programme: Programme, invitation_pk: int, by: User
) -> AccountInvitation:
    """A manager sends the account invitation again to someone invited to the programme who
    has not joined Tandem (a new link, naming the programme; the earlier one stops working).
    404 unless `by` manages the programme and the invitation is one of its pending ones;
    ValidationError for someone not on Tandem (their programme invitation has the sign-up
    link) or who has joined."""
    if not selectors.is_manager(by, programme):
        raise Http404
    invitation = (
        Invitation.objects.select_related("user")
        .filter(pk=invitation_pk, programme=programme, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        raise Http404
    if invitation.user is None:
        raise ValidationError(
            _("This person is not on Tandem yet: the programme invitation lets them sign up.")
        )
    if has_joined(invitation.user):
        raise ValidationError(_("This person has already joined Tandem."))
    sent = account_invitation_send(user=invitation.user, by=by, programme_name=programme.name)
    if sent is None:
        raise ValidationError(_("This person has already joined Tandem."))
    return sent
