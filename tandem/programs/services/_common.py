"""Helpers shared by the programme services: links and emails, weights, membership ids and
the one invitation writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.accounts.models import User, hash_token
from tandem.accounts.rules import has_joined
from tandem.matching.types import COMPONENTS, Weights
from tandem.notifications.services import email_queue_message, email_send_templated, render_plain
from tandem.people.services import account_invitation_send
from tandem.programs.models import (
    EnrolmentImport,
    Invitation,
    Membership,
    Programme,
    new_invite_token,
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


@dataclass(frozen=True)
class EnrolRow:
    email: str
    name: str
    language: str  # "" when the row gives none
    role: str


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
        # In their list; emailed only once they have joined (accounts.rules). Someone an
        # import brought in without a password gets their account invitation, naming the
        # programme, so that they can join and then answer.
        _notify(user, "invitation", **context)
        if not has_joined(user):
            account_invitation_send(user=user, by=by, programme_name=programme.name)
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


def _member_ids(programme: Programme, role: str) -> set[int]:
    return set(
        Membership.objects.filter(programme=programme, role=role).values_list("user_id", flat=True)
    )
