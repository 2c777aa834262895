"""Programme set-up: create, edit, the join link, managers and questions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import User, hash_token
from tandem.audit.models import Action
from tandem.audit.services import audit_record
from tandem.mentorships.models import meetings_per_month_error
from tandem.programs import selectors
from tandem.programs.models import Membership, Programme, Question, Role, new_invite_token
from tandem.programs.services._common import EnrolRow, _invite, clean_weights

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
    if (problem := meetings_per_month_error(programme.meetings_per_month)) is not None:
        raise ValidationError({"meetings_per_month": [problem]})
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
    _changed(programme.pk, "created", actor=user, fields=sorted(fields))
    return programme


def _changed(programme_id: int, change: str, *, actor: User | None = None, **detail: Any) -> None:
    """Record a change to the programme's set-up in the audit log (the actor, when not
    given, is the signed-in user of the request being served)."""
    audit_record(
        actor=actor,
        action=Action.PROGRAMME_CHANGE,
        target=f"programme:{programme_id}",
        detail={"change": change, **detail},
    )


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
    _changed(
        programme.pk,
        "edited",
        fields=sorted([*fields, *(["weights"] if weights is not None else [])]),
    )
    return programme


@transaction.atomic
def invite_link_regenerate(*, programme: Programme) -> str:
    """A new join link token; the old link stops working. Only its hash is stored: the raw
    token returned here is shown once, to the manager who asked for it."""
    raw = new_invite_token()
    programme.invite_token_hash = hash_token(raw)
    programme.save(update_fields=["invite_token_hash"])
    _changed(programme.pk, "join link replaced")
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
        invited = _invite(
            programme=programme,
            row=EnrolRow(email=email.strip().lower(), name="", language="", role=Role.MANAGER),
            by=by,
        )
        audit_record(
            actor=by,
            action=Action.ROLE_CHANGE,
            target=f"programme:{programme.pk}",
            detail={"manager_invited": email.strip().lower(), "new_invitation": invited},
        )


@transaction.atomic
def question_add(*, programme: Programme, role: str, text: str) -> Question:
    text = text.strip()
    if role not in (Role.MENTOR, Role.MENTEE):
        raise ValidationError({"role": [_("Ask mentors or mentees.")]})
    if not text:
        raise ValidationError({"text": [_("Write the question.")]})
    position = (programme.questions.filter(role=role).aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question.objects.create(
        programme=programme, role=role, text=text[:300], position=position
    )
    _changed(programme.pk, "question added", question=question.pk)
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _changed(question.programme_id, "question deleted", question=question.pk)
    question.delete()
