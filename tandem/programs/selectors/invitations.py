"""Invitations, enrolment imports and who joined by link."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404

from tandem.accounts.models import User, hash_token
from tandem.accounts.rules import joined_q
from tandem.programs.models import EnrolmentImport, Invitation, Membership, Programme
from tandem.programs.selectors._common import _managed_by

# --- invitations ----------------------------------------------------------------------------


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    """An invitation is for its account, or, while the invitee was not on Tandem, for the
    account that now has the invited address."""
    if invitation.user_id is not None:
        return invitation.user_id == user.pk
    return bool(user.email) and invitation.email.lower() == user.email.lower()


def _invitations_for(user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        Q(user_id=user.pk) | Q(user__isnull=True, email__iexact=user.email)
    ).select_related("programme", "invited_by")


def invitations_pending_for(*, user: User) -> QuerySet[Invitation]:
    return _invitations_for(user).filter(status=Invitation.Status.PENDING)


def get_invitation_for_user(user: User, pk: int) -> Invitation:
    """The one access helper for invitations: only the invitee; 404 for anyone else."""
    invitation = _invitations_for(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def get_invitation_by_token(user: User, token: str) -> Invitation:
    """The invitation an emailed link names, for its invitee only (404 otherwise)."""
    invitation = _invitations_for(user).filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise Http404
    return invitation


def invitations_of(*, programme: Programme, not_joined: bool = False) -> QuerySet[Invitation]:
    """The programme's invitations not (yet) accepted, for its managers: pending and
    declined, newest first, each with `joined`: whether the invitee has joined Tandem (the
    accounts rule; someone not on Tandem has not). `not_joined`: only those who have not."""
    joined = Q(user__isnull=False) & joined_q("user__")
    qs = (
        programme.invitations.exclude(status=Invitation.Status.ACCEPTED)
        .annotate(
            joined=Case(
                When(joined, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .select_related("user")
        .order_by("status", "-created_at", "-pk")
    )
    if not_joined:
        qs = qs.exclude(joined)
    return qs


def imports_of(*, programme: Programme, limit: int = 5) -> list[EnrolmentImport]:
    return list(programme.imports.defer("rows")[:limit])


def get_import_for_user(user: User, pk: int) -> EnrolmentImport:
    """A CSV enrolment's progress: its programme's managers only."""
    return _managed_by(user, EnrolmentImport.objects.defer("rows"), pk)


def self_joined(*, programme: Programme) -> set[tuple[int, str]]:
    """(user id, role) of the members who joined the programme themselves: through the
    invite link or by accepting an invitation (one query)."""
    return set(
        Membership.objects.filter(
            programme=programme, source__in=Membership.SELF_JOINED
        ).values_list("user_id", "role")
    )
