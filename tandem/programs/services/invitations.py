"""The invitee's side of an invitation: accept or decline; leaving a programme."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.audit.models import Action
from tandem.audit.services import audit_record
from tandem.programs import selectors
from tandem.programs.models import Invitation, Membership, Role


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
    if invitation.role == Role.MANAGER:
        audit_record(
            actor=user,
            action=Action.ROLE_CHANGE,
            subject_user=user,
            target=f"programme:{invitation.programme_id}",
            detail={"manager": "accepted"},
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
    if membership.role == Role.MANAGER:
        audit_record(
            actor=None,
            action=Action.ROLE_CHANGE,
            subject_user=membership.user_id,
            target=f"programme:{membership.programme_id}",
            detail={"manager": "removed"},
        )
    membership.delete()
