"""Writes for programmes: set-up, enrolment, staged cohort matching, publishing, circles,
check-ins and the daily health sweep. Every function is keyword-only and atomic.

Concurrency: one run in progress and one published run per programme are partial unique
constraints; publishing locks the programme row so two publishes run one after the other and
the second finds the run already published. A mentor's places in a programme are guarded by
locking their membership row before counting: a mentee's request within the programme locks
its mentor's (and the mentee's own, for `mentors_per_mentee`), publishing locks every
mentor's, always in pk order so that none of them can deadlock; the programme's limits hold
under concurrent requests (see `self_match_request_send` and `run_publish`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.accounts.models import User, hash_token
from tandem.matching.types import COMPONENTS, Weights
from tandem.mentorships.rules import relationship_refusal
from tandem.notifications.services import (
    email_queue_message,
    email_send_templated,
    render_plain,
)
from tandem.programs import adapters, health, selectors
from tandem.programs.models import (
    CheckIn,
    Circle,
    CircleAgendaItem,
    CircleMember,
    EnrolmentImport,
    HealthSnapshot,
    Invitation,
    Match,
    MatchRun,
    Membership,
    PairRule,
    Programme,
    ProposedPair,
    Question,
    Role,
    Unmatched,
    new_invite_token,
)

PROGRAMME_FIELDS = (
    "name",
    "description",
    "kind",
    "matching_mode",
    "approval",
    "mentor_capacity",
    "mentors_per_mentee",
    "duration_months",
    "meetings_per_month",
    "checkin_first_days",
    "checkin_every_days",
    "language",
)


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _notify(user: User, template: str, **context: Any) -> None:
    email_send_templated(user=user, template=f"programs/{template}", context=context)


def clean_weights(weights: dict[str, Any] | None) -> dict[str, float]:
    """Only the engine's components, each between 0 and 1, not all zero."""
    if not weights:
        return {}
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        raise ValidationError(
            {"weights": [_("Unknown weight: %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    out: dict[str, float] = {}
    for name in COMPONENTS:
        value = weights.get(name, getattr(Weights(), name))
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError({"weights": [_("Each weight must be a number.")]}) from None
        if not 0 <= number <= 1:
            raise ValidationError({"weights": [_("Each weight is between 0 and 1.")]})
        out[name] = number
    if sum(out.values()) <= 0:
        raise ValidationError({"weights": [_("At least one weight must be above zero.")]})
    return out


def _check_programme(programme: Programme) -> None:
    try:
        programme.full_clean(exclude=["created_by", "invite_token_hash"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    if not 1 <= programme.mentor_capacity <= 50:
        raise ValidationError({"mentor_capacity": [_("Between 1 and 50 mentees per mentor.")]})
    if not 1 <= programme.mentors_per_mentee <= 5:
        raise ValidationError({"mentors_per_mentee": [_("Between 1 and 5 mentors per mentee.")]})
    if not 1 <= programme.duration_months <= 36:
        raise ValidationError({"duration_months": [_("Between 1 and 36 months.")]})
    if not 1 <= programme.meetings_per_month <= 8:
        raise ValidationError({"meetings_per_month": [_("Between 1 and 8 meetings a month.")]})
    if not (1 <= programme.checkin_first_days <= 365 and 1 <= programme.checkin_every_days <= 365):
        raise ValidationError(
            {"checkin_every_days": [_("Check-ins are between 1 and 365 days apart.")]}
        )


# --- programmes -----------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *, user: User, weights: dict[str, Any] | None = None, **fields: Any
) -> Programme:
    """Create a programme; its creator becomes its first manager. Only someone granted the
    right may (`selectors.can_create_programme`); its join link is made with
    `invite_link_regenerate`, whose raw token is shown once."""
    if not selectors.can_create_programme(user):
        raise PermissionDenied(selectors.CANNOT_CREATE_MESSAGE)
    programme = Programme(created_by=user, weights=clean_weights(weights))
    for name, value in fields.items():
        if name not in PROGRAMME_FIELDS:
            raise TypeError(name)
        setattr(programme, name, value.strip() if isinstance(value, str) else value)
    _check_programme(programme)
    programme.save()
    Membership.objects.create(
        programme=programme, user=user, role=Role.MANAGER, source=Membership.Source.MANAGER
    )
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, weights: dict[str, Any] | None = None, **fields: Any
) -> Programme:
    for name, value in fields.items():
        if name not in PROGRAMME_FIELDS:
            raise TypeError(name)
        setattr(programme, name, value.strip() if isinstance(value, str) else value)
    if weights is not None:
        programme.weights = clean_weights(weights)
    _check_programme(programme)
    programme.save()
    return programme


@transaction.atomic
def invite_link_regenerate(*, programme: Programme) -> str:
    """A new join link token; the old link stops working. Only its hash is stored: the raw
    token returned here is shown once, to the manager who asked for it."""
    raw = new_invite_token()
    programme.invite_token_hash = hash_token(raw)
    programme.save(update_fields=["invite_token_hash"])
    return raw


@transaction.atomic
def programme_grant_creation(*, user: User) -> None:
    """Give `user` the right to create programmes (what staff do in the admin; the demo
    manager has it)."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="programs", codename="add_programme")
    )


MANAGER_INVITED = gettext_lazy(
    "If this address is not already one of the managers, an invitation to co-manage the "
    "programme is on its way. They become a manager once they accept it."
)


def manager_add(*, programme: Programme, email: str, by: User) -> None:
    """Invite someone to co-manage the programme. Nobody becomes a manager without accepting;
    the answer is the same whether or not an account has this email (a person not on Tandem
    gets an invitation to join first), so the form tells nothing about who is on Tandem."""
    try:
        if len(email.strip()) > 254:
            raise ValidationError("too long")
        validate_email(email.strip())
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid email address.")]}) from None
    with transaction.atomic():
        _invite(
            programme=programme,
            row=EnrolRow(email=email.strip().lower(), name="", language="", role=Role.MANAGER),
            by=by,
        )


@transaction.atomic
def question_add(*, programme: Programme, role: str, text: str) -> Question:
    text = text.strip()
    if role not in (Role.MENTOR, Role.MENTEE):
        raise ValidationError({"role": [_("Ask mentors or mentees.")]})
    if not text:
        raise ValidationError({"text": [_("Write the question.")]})
    position = (programme.questions.filter(role=role).aggregate(m=Max("position"))["m"] or 0) + 1
    return Question.objects.create(
        programme=programme, role=role, text=text[:300], position=position
    )


@transaction.atomic
def question_delete(*, question: Question) -> None:
    question.delete()


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
    return int(getattr(settings, "TANDEM_PROGRAM_ENROL_MAX_ROWS", 5000))


def enrol_max_bytes() -> int:
    return int(getattr(settings, "TANDEM_PROGRAM_ENROL_MAX_BYTES", 2 * 1024 * 1024))


class UploadTooLarge(Exception):
    """A file over the size limit: refused (413) before anything is read."""


@dataclass(frozen=True)
class EnrolRow:
    email: str
    name: str
    language: str  # "" when the row gives none
    role: str


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


def _invite(
    *, programme: Programme, row: EnrolRow, by: User | None, job: EnrolmentImport | None = None
) -> bool:
    """Invite one person (under the caller's transaction); False when there is nothing to do
    (already in the programme in this role, or an invitation is waiting for their answer).
    An account gets the invitation in its own language; someone not on Tandem gets one in the
    row's language (else the programme's), with a link to sign up and then join."""
    user = User.objects.filter(email__iexact=row.email).first()
    if (
        user is not None
        and Membership.objects.filter(programme=programme, user=user, role=row.role).exists()
    ):
        return False
    if Invitation.objects.filter(
        programme=programme,
        email__iexact=row.email,
        role=row.role,
        status=Invitation.Status.PENDING,
    ).exists():
        return False
    raw = new_invite_token()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                programme=programme,
                email=row.email,
                name=row.name,
                language=user.language if user else (row.language or programme.language),
                role=row.role,
                user=user,
                token_hash=hash_token(raw),
                invited_by=by,
                enrolment_import=job,
            )
    except IntegrityError:  # the same invitation made at the same moment
        return False
    url = _url("programs:invitation_link", raw)
    context = {
        "programme": programme,
        "invitation": invitation,
        "inviter": by,
        "url": url,
        "invitations_url": _url("programs:invitations"),
    }
    if user is not None:
        _notify(user, "invitation", **context)
    else:
        _email_newcomer(invitation, context)
    return True


def _email_newcomer(invitation: Invitation, context: dict[str, Any]) -> None:
    """The invitation for someone not on Tandem, in the invitation's language."""
    from django.template.loader import render_to_string

    ctx = {
        **context,
        "site_url": settings.SITE_URL,
        "signup_url": settings.SITE_URL + reverse("account_signup"),
    }
    template = "emails/programs/invitation_newcomer"
    with translation.override(invitation.language):
        subject = " ".join(render_plain(f"{template}/subject.txt", ctx).split())
        body_text = render_plain(f"{template}/body.txt", ctx).strip() + "\n"
        body_html = render_to_string(f"{template}/body.html", ctx)
    email_queue_message(
        to=invitation.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind="programs/invitation_newcomer",
    )


def _lock_invitation(invitation: Invitation, user: User) -> Invitation:
    locked = (
        Invitation.objects.select_for_update().select_related("programme").get(pk=invitation.pk)
    )
    if not selectors.invitation_is_for(locked, user):
        raise ValidationError({"__all__": [_("This invitation is someone else's.")]})
    if locked.status != Invitation.Status.PENDING:
        raise ValidationError({"__all__": [_("This invitation has already been answered.")]})
    return locked


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Accept: only now does the person become a member (as mentor, mentee or co-manager).
    Having accepted, they count as having joined the programme themselves."""
    invitation = _lock_invitation(invitation, user)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.user = user
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "user", "answered_at"])
    membership, _created = Membership.objects.get_or_create(
        programme=invitation.programme,
        user=user,
        role=invitation.role,
        defaults={"source": Membership.Source.INVITATION},
    )
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> Invitation:
    invitation = _lock_invitation(invitation, user)
    invitation.status = Invitation.Status.DECLINED
    invitation.user = user
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "user", "answered_at"])
    return invitation


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    membership.delete()


# --- pair rules -----------------------------------------------------------------------------


def _member_ids(programme: Programme, role: str) -> set[int]:
    return set(
        Membership.objects.filter(programme=programme, role=role).values_list("user_id", flat=True)
    )


@transaction.atomic
def pair_rule_set(
    *, programme: Programme, by: User, mentee_id: int, mentor_id: int, kind: str
) -> PairRule | None:
    """Pin or forbid a pair for the next runs; kind "clear" removes the rule."""
    if kind not in (PairRule.Kind.PIN, PairRule.Kind.FORBID, "clear"):
        raise ValidationError({"kind": [_("Pin, forbid or clear.")]})
    if mentee_id not in _member_ids(programme, Role.MENTEE):
        raise ValidationError({"mentee_id": [_("This person is not a mentee here.")]})
    if mentor_id not in _member_ids(programme, Role.MENTOR):
        raise ValidationError({"mentor_id": [_("This person is not a mentor here.")]})
    if mentee_id == mentor_id:
        raise ValidationError({"mentor_id": [_("A pair needs two different people.")]})
    PairRule.objects.filter(programme=programme, mentee_id=mentee_id, mentor_id=mentor_id).delete()
    if kind == "clear":
        return None
    if kind == PairRule.Kind.PIN:
        # Never one's own manager, never a competitor: the one rule check every path asks.
        refusal = relationship_refusal(
            User.objects.get(pk=mentee_id), User.objects.get(pk=mentor_id)
        )
        if refusal:
            raise ValidationError({"mentor_id": [refusal]})
        pins = PairRule.objects.filter(programme=programme, kind=PairRule.Kind.PIN)
        if pins.filter(mentee_id=mentee_id).count() >= programme.mentors_per_mentee:
            raise ValidationError(
                {"__all__": [_("This mentee already has as many pinned mentors as allowed.")]}
            )
        # The places the next run gives this mentor (their limit here less their live
        # mentorships and waiting requests in the programme), so that a run never fails
        # later because its pins cannot hold.
        places = selectors.mentor_places(programme=programme, mentor_ids=[mentor_id])
        left = places.get(mentor_id, 0)
        name = User.objects.filter(pk=mentor_id).values_list("full_name", "email").first()
        context = {"name": (name[0] or name[1]) if name else "", "places": left}
        if left <= 0:
            raise ValidationError(
                {
                    "mentor_id": [
                        _(
                            "%(name)s has no place left in this programme: their mentorships "
                            "and requests waiting for an answer here fill their limit. Choose "
                            "another mentor."
                        )
                        % context
                    ]
                }
            )
        if pins.filter(mentor_id=mentor_id).count() >= left:
            raise ValidationError(
                {
                    "mentor_id": [
                        ngettext(
                            "%(name)s has %(places)s place left in this programme, and pinned "
                            "pairs already fill it.",
                            "%(name)s has %(places)s places left in this programme, and pinned "
                            "pairs already fill them.",
                            left,
                        )
                        % context
                    ]
                }
            )
    return PairRule.objects.create(
        programme=programme, mentee_id=mentee_id, mentor_id=mentor_id, kind=kind, created_by=by
    )


# --- matching runs --------------------------------------------------------------------------


@transaction.atomic
def run_start(
    *,
    programme: Programme,
    by: User,
    weights: dict[str, Any] | None = None,
    objective: str = "coverage",
) -> MatchRun:
    """Stage a new run; the worker computes it. The weights given become the programme's."""
    from tandem.programs.tasks import run_matching

    if objective not in ("coverage", "score"):
        raise ValidationError({"objective": [_("Coverage or score.")]})
    if weights is not None:
        programme.weights = clean_weights(weights)
        programme.save(update_fields=["weights"])
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if selectors.published_run(programme=programme) is not None:
        raise ValidationError({"__all__": [_("This cohort is already published.")]})
    if not Membership.objects.filter(programme=programme, role=Role.MENTEE).exists():
        raise ValidationError({"__all__": [_("Enrol some mentees first.")]})
    if not Membership.objects.filter(programme=programme, role=Role.MENTOR).exists():
        raise ValidationError({"__all__": [_("Enrol some mentors first.")]})
    number = (programme.runs.aggregate(m=Max("number"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                programme=programme,
                number=number,
                weights=programme.weights,
                objective=objective,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            {"__all__": [_("A run is already in progress. Wait for it to finish.")]}
        ) from None
    transaction.on_commit(lambda: run_matching.enqueue(run.pk))
    return run


def _set_progress(run_id: int, progress: int, stage: str = "") -> None:
    MatchRun.objects.filter(pk=run_id).update(progress=min(100, max(0, progress)), stage=stage)


def run_execute(*, run_id: int) -> str:
    """Compute a queued run. Idempotent: a run already started or finished is left alone."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != MatchRun.Status.QUEUED:
            return "skipped"
        run.status = MatchRun.Status.RUNNING
        run.started_at = timezone.now()
        run.stage = "loading"
        run.save(update_fields=["status", "started_at", "stage"])
    programme = run.programme
    try:
        members = list(
            Membership.objects.filter(programme=programme, role__in=[Role.MENTEE, Role.MENTOR])
            .select_related("user", "user__profile")
            .order_by("pk")
        )
        mentees = [m.user for m in members if m.role == Role.MENTEE]
        mentors = [m.user for m in members if m.role == Role.MENTOR]
        # Places in this run: the programme's capacity for each mentor less their live
        # mentorships in this programme; the engine also caps them at their free places.
        capacities = selectors.mentor_places(programme=programme)
        rules = selectors.rules_for(programme=programme)
        _set_progress(run.pk, 10, "scoring")
        result = adapters.run_engine(
            mentees=mentees,
            mentors=mentors,
            capacities=capacities,
            weights=run.weights,
            per_mentee=programme.mentors_per_mentee,
            pinned=[p for p, k in rules.items() if k == PairRule.Kind.PIN],
            forbidden=[p for p, k in rules.items() if k == PairRule.Kind.FORBID],
            progress=lambda pct: _set_progress(run.pk, 10 + int(pct * 0.8), "matching"),
            objective=run.objective,
        )
    except Exception as exc:  # the run fails visibly; the page shows why
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return "failed"
    pins = {p for p, k in rules.items() if k == PairRule.Kind.PIN}
    with transaction.atomic():
        ProposedPair.objects.filter(run=run).delete()
        Unmatched.objects.filter(run=run).delete()
        ProposedPair.objects.bulk_create(
            [
                ProposedPair(
                    run=run,
                    mentee_id=p.mentee_id,
                    mentor_id=p.mentor_id,
                    score=round(p.score, 6),
                    reasons=p.reasons,
                    pinned=(p.mentee_id, p.mentor_id) in pins,
                )
                for p in result.pairs
            ],
            batch_size=1000,
        )
        Unmatched.objects.bulk_create(
            [Unmatched(run=run, mentee_id=m, why=why) for m, why in result.unmatched],
            batch_size=1000,
        )
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.DONE,
            progress=100,
            stage="",
            mentees_total=len(mentees),
            matched=len({p.mentee_id for p in result.pairs}),
            total_score=round(sum(p.score for p in result.pairs), 6),
            objective=result.objective,
            certificate=result.certificate,
            finished_at=timezone.now(),
        )
    return "done"


@dataclass
class PublishResult:
    matches: int = 0
    failed: int = 0
    circles: int = 0
    skipped: list[ProposedPair] = field(default_factory=list)  # each with its `skipped` reason


def _keep_within_limits(programme: Programme, pairs: list[ProposedPair]) -> list[ProposedPair]:
    """Check the programme's limits again at publishing, under the caller's transaction: lock
    every mentor's membership row in pk order (a self-match request locks its mentor's and
    its mentee's rows in pk order too, so the two cannot deadlock and run one after the
    other), then count what a self-match request counts: each mentor's places
    (`selectors.mentor_places`: live mentorships and waiting requests in the programme) and
    each mentee's open matches (`selectors.open_pairs`) against `mentors_per_mentee`. A pair
    whose own match is still open (a request or mentorship they started themselves) is left
    as it is. Pinned pairs, then the best scores, keep the places there are; the others are
    marked skipped with the reason. Returns the pairs to publish, in the proposal's order."""
    list(
        Membership.objects.select_for_update()
        .filter(programme=programme, role=Role.MENTOR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    places = selectors.mentor_places(programme=programme)
    mentees = _member_ids(programme, Role.MENTEE)
    held = selectors.open_pairs(programme=programme)
    mentors_of: dict[int, int] = {}
    for mentee_id, _mentor_id in held:
        mentors_of[mentee_id] = mentors_of.get(mentee_id, 0) + 1
    keep: set[int] = set()
    skipped: list[ProposedPair] = []
    for p in sorted(pairs, key=lambda p: (not p.pinned, -p.score, p.pk)):
        if p.mentee_id not in mentees:
            p.skipped = ProposedPair.Skipped.MENTEE_LEFT
        elif p.mentor_id not in places:
            p.skipped = ProposedPair.Skipped.MENTOR_LEFT
        elif (p.mentee_id, p.mentor_id) in held:
            p.skipped = ProposedPair.Skipped.ALREADY_MATCHED
        elif mentors_of.get(p.mentee_id, 0) >= programme.mentors_per_mentee:
            p.skipped = ProposedPair.Skipped.MENTEE_FULL
        elif places[p.mentor_id] <= 0:
            p.skipped = ProposedPair.Skipped.NO_PLACE
        else:
            places[p.mentor_id] -= 1
            mentors_of[p.mentee_id] = mentors_of.get(p.mentee_id, 0) + 1
            keep.add(p.pk)
            continue
        skipped.append(p)
    if skipped:
        ProposedPair.objects.bulk_update(skipped, ["skipped"], batch_size=1000)
    return [p for p in pairs if p.pk in keep]


def run_publish(*, run: MatchRun, by: User) -> PublishResult:
    """Turn the proposal into requests or mentorships (group circles for a circle
    programme) and tell everyone, each in their own language.

    Consent: a mentorship starts at publishing only when the approval rule says matches
    start then (nobody, or the manager by publishing) and both people joined the programme
    themselves (the invite link, or an invitation they accepted); its history names `by`,
    the manager who published. Every other pair becomes a request that the person who has
    not agreed answers (`adapters.publish_pair`).

    A mentorship or a request may have started in the programme between the run and now, so
    its limits are checked again first (`_keep_within_limits`, under the same lock as a
    self-match request): a pair that no longer fits is not published but reported in
    `skipped`, with its reason stored on the pair for the run page; everything else
    publishes. A mentee left with no published pair is told, like those the run did not
    match. All in one transaction: nothing is half-published."""
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=run.programme_id)
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.status != MatchRun.Status.DONE:
            raise ValidationError({"__all__": [_("Only a finished run can be published.")]})
        if programme.runs.filter(published_at__isnull=False).exists():
            raise ValidationError({"__all__": [_("This cohort is already published.")]})
        now = timezone.now()
        first_checkin = selectors.server_localdate(now) + dt.timedelta(
            days=programme.checkin_first_days
        )
        out = PublishResult()
        proposed = list(run.pairs.select_related("mentee", "mentor"))
        pairs = _keep_within_limits(programme, proposed)
        kept = {p.pk for p in pairs}
        out.skipped = [p for p in proposed if p.pk not in kept]
        # A pair matched in this programme before (a self-match request since declined)
        # starts again on its existing match, as a self-match request does. Only a match
        # that holds nothing any more: one still open (a waiting request, a live mentorship)
        # was skipped above, so it keeps its request and stays counted and swept.
        earlier = {
            (mentee_id, mentor_id): pk
            for pk, mentee_id, mentor_id in Match.objects.filter(programme=programme).values_list(
                "pk", "mentee_id", "mentor_id"
            )
        }

        def match_for(p: ProposedPair, **fields: Any) -> Match:
            values = {
                "run": run,
                "circle": None,
                "matched_at": now,
                "next_checkin_on": first_checkin,
                "inactive_alerted_at": None,
                "close_warned_at": None,
                "closed_at": None,
                **fields,
            }
            pk = earlier.get((p.mentee_id, p.mentor_id))
            if pk is None:
                return Match.objects.create(
                    programme=programme, mentee=p.mentee, mentor=p.mentor, **values
                )
            Match.objects.filter(pk=pk).update(**values)
            return Match.objects.select_related("mentee", "mentor").get(pk=pk)

        published: list[Match] = []
        if programme.kind == Programme.Kind.GROUP:
            by_mentor: dict[int, list[ProposedPair]] = {}
            for p in pairs:
                by_mentor.setdefault(p.mentor_id, []).append(p)
            for group in by_mentor.values():
                mentor = group[0].mentor
                circle = Circle.objects.create(
                    programme=programme,
                    mentor=mentor,
                    name=_("%(name)s's circle") % {"name": mentor.get_full_name()},
                    time=dt.time(17, 0),
                )
                CircleMember.objects.bulk_create(
                    [CircleMember(circle=circle, mentee=p.mentee) for p in group]
                )
                out.circles += 1
                for p in group:
                    published.append(match_for(p, circle=circle, request=None, mentorship=None))
        else:
            joined = selectors.self_joined(programme=programme)
            for p in pairs:
                result = adapters.publish_pair(
                    mentee=p.mentee,
                    mentor=p.mentor,
                    approval=programme.approval,
                    programme_name=programme.name,
                    goal=programme.description or programme.name,
                    months=programme.duration_months,
                    mentee_consented=(p.mentee_id, Role.MENTEE) in joined,
                    mentor_consented=(p.mentor_id, Role.MENTOR) in joined,
                    published_by=by,
                )
                if result.error:
                    p.publish_error = result.error
                    p.save(update_fields=["publish_error"])
                    out.failed += 1
                    continue
                published.append(match_for(p, request=result.request, mentorship=result.mentorship))
        out.matches = len(published)
        run.published_at = now
        run.save(update_fields=["published_at"])
        url = _url("programs:detail", programme.pk)
        for match in published:
            _notify(
                match.mentee, "matched", programme=programme, other=match.mentor, side="mentee",
                match=match, url=url,
            )  # fmt: skip
            _notify(
                match.mentor, "matched", programme=programme, other=match.mentee, side="mentor",
                match=match, url=url,
            )  # fmt: skip
        for u in run.unmatched.select_related("mentee"):
            _notify(u.mentee, "not_matched", programme=programme, url=url)
        matched = {m.mentee_id for m in published}
        left_out = {
            p.mentee_id: p.mentee
            for p in out.skipped
            if p.skipped != ProposedPair.Skipped.MENTEE_LEFT and p.mentee_id not in matched
        }
        for mentee in left_out.values():
            _notify(mentee, "not_matched", programme=programme, url=url)
        return out


# --- choosing from suggestions -------------------------------------------------------------


def programme_full_message(programme: Programme, mentor: User, limit: int) -> str:
    return _(
        "%(name)s has no free place left in the programme “%(programme)s” (%(limit)s "
        "mentees at a time there). Nothing is wrong with your plan: choose another of the "
        "programme's mentors, or ask again when a place frees up."
    ) % {"name": mentor.get_full_name(), "programme": programme.name, "limit": limit}


def mentee_full_message(programme: Programme, limit: int) -> str:
    return ngettext(
        "You already have %(limit)s mentor in the programme “%(programme)s”, as many as it "
        "allows at a time. You can ask again once that match has ended.",
        "You already have %(limit)s mentors in the programme “%(programme)s”, as many as it "
        "allows at a time. You can ask again once one of those matches has ended.",
        limit,
    ) % {"programme": programme.name, "limit": limit}


def _mentee_full_refusal(programme: Programme, mentee: User, mentor: User) -> str:
    """The refusal when the mentee's open matches in the programme with other mentors fill
    its `mentors_per_mentee` ('' when they do not)."""
    others = {
        m
        for _e, m in selectors.open_pairs(programme=programme, mentee_id=mentee.pk)
        if m != mentor.pk
    }
    limit = programme.mentors_per_mentee
    return mentee_full_message(programme, limit) if len(others) >= limit else ""


def self_match_refusal(*, programme: Programme, mentee: User, mentor: User) -> str:
    """Why `mentee` cannot ask `mentor` within the programme now because of the programme's
    limits, the mentor's places or the mentee's `mentors_per_mentee` ('' when they can), for
    the request form to say before it is filled in. A read: `self_match_request_send` checks
    again under the lock."""
    row = (
        Membership.objects.filter(programme=programme, user_id=mentor.pk, role=Role.MENTOR)
        .values("capacity")
        .first()
    )
    if row is None:
        return ""  # not one of its mentors: sending says so on the field
    cap = selectors.mentor_limit(programme=programme, capacity=row["capacity"])
    taken = selectors.places_taken(
        programme=programme, mentor_ids=[mentor.pk], exclude_mentee_id=mentee.pk
    ).get(mentor.pk, 0)
    if taken >= cap:
        return programme_full_message(programme, mentor, cap)
    return _mentee_full_refusal(programme, mentee, mentor)


@transaction.atomic
def self_match_request_send(
    *, programme: Programme, mentee: User, mentor: User, **plan: Any
) -> Any:
    """A mentee of a programme that lets people choose from suggestions asks one of its
    mentors (Find a mentor, filtered to the programme). The request is mentorships' own (its
    rules, its emails); the programme match that holds it is what ties it to the programme,
    as publishing with the mentor's approval does: the request and the match are written
    together, and the daily sweep links the mentorship once the mentor accepts (or closes
    the match quietly if they decline). A pair that was matched in this programme before
    starts again on its existing match.

    The programme's limit for the mentor holds as well as their global one: their places here
    (the membership's override, else the programme's default) are taken by their live
    mentorships in the programme and by its requests still waiting for their answer, since
    the mentor may accept a waiting request at any time (`selectors.places_taken`). So does
    the programme's `mentors_per_mentee` for the mentee: their other open matches here
    (`selectors.open_pairs`) count against it. The mentee's own pair with this mentor is
    left out of both counts, so asking twice gets mentorships' "already open" answer rather
    than "full". A group-circle programme is refused: its circles come from publishing.

    Concurrency: the mentor's and the mentee's membership rows are locked, in pk order, before
    counting, so requests for the same mentor or by the same mentee in the same programme
    (and publishing, which locks every mentor's row in pk order) run one after the other and
    the last place goes to one of them only; taking the locks in one global order means
    none of them can deadlock."""
    if programme.matching_mode not in selectors.SELF_MATCH_MODES:
        raise ValidationError(
            {"__all__": [_("In this programme the manager matches people; ask them.")]}
        )
    if programme.kind == Programme.Kind.GROUP:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "This programme meets in group circles, which the manager puts "
                        "together; mentees do not choose a mentor here."
                    )
                ]
            }
        )
    locked = list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("programme")
        .filter(
            Q(user_id=mentor.pk, role=Role.MENTOR) | Q(user_id=mentee.pk, role=Role.MENTEE),
            programme=programme,
        )
        .order_by("pk")
    )
    if not any(m.role == Role.MENTEE and m.user_id == mentee.pk for m in locked):
        raise ValidationError({"__all__": [_("Only the programme's mentees choose here.")]})
    membership = next((m for m in locked if m.role == Role.MENTOR and m.user_id == mentor.pk), None)
    if membership is None:
        raise ValidationError(
            {"mentor_id": [_("This person is not one of the programme's mentors.")]}
        )
    limit = selectors.mentor_limit(programme=membership.programme, capacity=membership.capacity)
    taken = selectors.places_taken(
        programme=programme, mentor_ids=[mentor.pk], exclude_mentee_id=mentee.pk
    ).get(mentor.pk, 0)
    if taken >= limit:
        raise ValidationError({"__all__": [programme_full_message(programme, mentor, limit)]})
    refusal = _mentee_full_refusal(programme, mentee, mentor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    req = adapters.request_send(mentee=mentee, mentor=mentor, **plan)
    now = timezone.now()
    fresh = {
        "run": None,
        "request": req,
        "mentorship": None,
        "circle": None,
        "matched_at": now,
        "next_checkin_on": selectors.server_localdate(now)
        + dt.timedelta(days=programme.checkin_first_days),
        "inactive_alerted_at": None,
        "close_warned_at": None,
        "closed_at": None,
    }
    match = (
        Match.objects.select_for_update()
        .filter(programme=programme, mentee=mentee, mentor=mentor)
        .first()
    )
    if match is None:
        Match.objects.create(programme=programme, mentee=mentee, mentor=mentor, **fresh)
    else:
        for name, value in fresh.items():
            setattr(match, name, value)
        match.save(update_fields=list(fresh))
    return req


# --- circles --------------------------------------------------------------------------------


@transaction.atomic
def circle_update(
    *, circle: Circle, name: str, weekday: int, time: dt.time, frequency: str
) -> Circle:
    circle.name = name.strip()[:120] or circle.name
    circle.weekday = weekday
    circle.time = time
    circle.frequency = frequency
    try:
        circle.full_clean(exclude=["programme", "mentor"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    circle.save()
    return circle


@transaction.atomic
def circle_agenda_add(*, circle: Circle, user: User, text: str) -> CircleAgendaItem:
    """Anyone in the circle (never a manager who is not in it) adds to the shared agenda."""
    if not selectors.in_circle(circle, user):
        raise ValidationError({"__all__": [_("Only the circle's members add to its agenda.")]})
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the item.")]})
    return CircleAgendaItem.objects.create(circle=circle, author=user, text=text[:300])


@transaction.atomic
def circle_agenda_done(*, item: CircleAgendaItem, user: User) -> CircleAgendaItem:
    if not selectors.in_circle(item.circle, user):
        raise ValidationError({"__all__": [_("Only the circle's members change its agenda.")]})
    item.done = not item.done
    item.save(update_fields=["done"])
    return item


# --- check-ins ------------------------------------------------------------------------------


@transaction.atomic
def checkin_answer(
    *,
    checkin: CheckIn,
    user: User,
    satisfaction: int,
    meets_as_agreed: bool,
    comment: str = "",
) -> CheckIn:
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.user_id != user.pk:
        raise ValidationError({"__all__": [_("This check-in is someone else's.")]})
    if checkin.answered_at is not None:
        raise ValidationError({"__all__": [_("You have already answered this check-in.")]})
    if not 1 <= int(satisfaction) <= 5:
        raise ValidationError({"satisfaction": [_("Choose from 1 to 5.")]})
    checkin.satisfaction = int(satisfaction)
    checkin.meets_as_agreed = bool(meets_as_agreed)
    checkin.comment = comment.strip()[:2000]
    checkin.answered_at = timezone.now()
    checkin.save(update_fields=["satisfaction", "meets_as_agreed", "comment", "answered_at"])
    return checkin


def _send_checkins_for(match_id: int, now: dt.datetime) -> int:
    today = selectors.server_localdate(now)
    with transaction.atomic():
        match = (
            Match.objects.select_for_update()
            .select_related("programme", "mentee", "mentor")
            .filter(pk=match_id, closed_at__isnull=True, next_checkin_on__lte=today)
            .first()
        )
        if match is None:
            return 0
        due = match.next_checkin_on
        assert due is not None
        sent = 0
        for user in (match.mentee, match.mentor):
            checkin, created = CheckIn.objects.get_or_create(
                match=match, user=user, due_on=due, defaults={"sent_at": now}
            )
            if created:
                _notify(
                    user,
                    "checkin",
                    programme=match.programme,
                    other=match.mentor if user.pk == match.mentee_id else match.mentee,
                    url=_url("programs:checkin", checkin.pk),
                )
                sent += 1
        match.next_checkin_on = due + dt.timedelta(days=match.programme.checkin_every_days)
        match.save(update_fields=["next_checkin_on"])
        return sent


def checkins_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every check-in that is due (30 days after matching, then every 60 by default).
    Idempotent: a due date's check-in exists once per person, and a match moves to its next
    date in the same transaction."""
    now = now or timezone.now()
    ids = list(
        Match.objects.filter(
            closed_at__isnull=True, next_checkin_on__lte=selectors.server_localdate(now)
        ).values_list("pk", flat=True)
    )
    return sum(_send_checkins_for(pk, now) for pk in ids)


@dataclass
class SweepResult:
    snapshots: int = 0
    alerts: int = 0
    warnings: int = 0
    closed: int = 0
    linked: int = 0
    unanswered: int = 0


def _link_mentorships(programme: Programme) -> int:
    """Record the mentorship each accepted programme request became."""
    pending = list(
        Match.objects.filter(
            programme=programme, mentorship__isnull=True, request__isnull=False
        ).values_list("pk", "request_id")
    )
    found = adapters.mentorships_for_requests([r for _pk, r in pending])
    n = 0
    for pk, request_id in pending:
        if request_id in found:
            Match.objects.filter(pk=pk).update(mentorship_id=found[request_id])
            n += 1
    return n


def _close_unanswered(programme: Programme, now: dt.datetime) -> int:
    """Close, quietly, the open matches whose request ended without a mentorship (declined,
    expired or withdrawn): no relationship to follow, so no alerts, warnings or check-ins."""
    pending = dict(
        Match.objects.filter(
            programme=programme,
            closed_at__isnull=True,
            mentorship__isnull=True,
            request__isnull=False,
        ).values_list("pk", "request_id")
    )
    ended = adapters.requests_ended_unanswered(pending.values())
    ids = [pk for pk, request_id in pending.items() if request_id in ended]
    if not ids:
        return 0
    # Still holding the ended request: a match started again since is left open.
    return Match.objects.filter(pk__in=ids, closed_at__isnull=True, request_id__in=ended).update(
        closed_at=now
    )


def _close_for_inactivity(
    match: Match, *, programme: Programme, days: int, now: dt.datetime
) -> None:
    """Close the match and, in the same transaction, its mentorship (mentorships' own ending,
    which tells both people). When there is no live mentorship to end (a circle, a request
    never accepted, or one they already ended), the programme tells them itself: either
    way each person gets one email."""
    match.closed_at = now
    match.save(update_fields=["closed_at"])
    ended = match.mentorship_id is not None and adapters.mentorship_close_inactive(
        mentorship_id=match.mentorship_id, days=days, programme_name=programme.name, now=now
    )
    if not ended:
        for user, other in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
            _notify(user, "closed", programme=programme, other=other)


def health_sweep(*, programme: Programme, now: dt.datetime | None = None) -> SweepResult:
    """Snapshot every open match's health; alert the managers about relationships inactive
    for 21 days; warn both sides 7 days before closing; close after 90 days (settings),
    the match and its mentorship together. Matches whose request was never accepted are
    closed quietly first."""
    now = now or timezone.now()
    out = SweepResult(linked=_link_mentorships(programme))
    out.unanswered = _close_unanswered(programme, now)
    today = selectors.server_localdate(now)
    matches = list(selectors.matches_of(programme=programme, open_only=True))
    rows = selectors.relationship_rows(matches=matches, programme=programme, now=now)
    HealthSnapshot.objects.bulk_create(
        [
            HealthSnapshot(match=r.match, programme=programme, on=today, health=r.health.status)
            for r in rows
        ],
        ignore_conflicts=True,
    )
    out.snapshots = len(rows)
    newly_inactive = []
    url = _url("programs:relationships", programme.pk)
    for r in rows:
        m, inactive = r.match, r.health.days_inactive
        with transaction.atomic():
            locked = (
                Match.objects.select_for_update(of=("self",))
                .select_related("mentee", "mentor")
                .get(pk=m.pk)
            )
            if locked.closed_at is not None or locked.matched_at != m.matched_at:
                continue  # closed, or started again since its health was read
            if inactive < health.alert_days():
                if locked.inactive_alerted_at or locked.close_warned_at:
                    locked.inactive_alerted_at = locked.close_warned_at = None
                    locked.save(update_fields=["inactive_alerted_at", "close_warned_at"])
                continue
            if locked.inactive_alerted_at is None:
                locked.inactive_alerted_at = now
                locked.save(update_fields=["inactive_alerted_at"])
                newly_inactive.append((m, inactive))
            warn_at = health.close_days() - health.close_warning_days()
            if inactive >= warn_at and locked.close_warned_at is None:
                locked.close_warned_at = now
                locked.save(update_fields=["close_warned_at"])
                for user, other in ((m.mentee, m.mentor), (m.mentor, m.mentee)):
                    _notify(
                        user, "closing_warning", programme=programme, other=other,
                        days=health.close_warning_days(), url=_url("programs:detail", programme.pk),
                    )  # fmt: skip
                out.warnings += 1
            elif (
                inactive >= health.close_days()
                and locked.close_warned_at is not None
                and (now - locked.close_warned_at).days >= health.close_warning_days()
            ):
                _close_for_inactivity(locked, programme=programme, days=inactive, now=now)
                out.closed += 1
    if newly_inactive:
        with transaction.atomic():
            for manager in selectors.managers_of(programme=programme):
                _notify(
                    manager, "inactive_alert", programme=programme,
                    count=len(newly_inactive), days=health.alert_days(), url=url,
                    pairs=[(m.mentee.get_full_name(), m.mentor.get_full_name(), d)
                           for m, d in newly_inactive],
                )  # fmt: skip
                out.alerts += 1
    return out


def daily(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: due check-ins, then every programme's health sweep."""
    now = now or timezone.now()
    totals = {"checkins": checkins_send_due(now=now), "alerts": 0, "warnings": 0, "closed": 0}
    programmes = Programme.objects.filter(matches__closed_at__isnull=True).distinct()
    for programme in programmes:
        result = health_sweep(programme=programme, now=now)
        totals["alerts"] += result.alerts
        totals["warnings"] += result.warnings
        totals["closed"] += result.closed
    return totals
