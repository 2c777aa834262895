"""Writes for accounts: preferences, API tokens, account invitations, and deactivation."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import AccountClosure, AccountInvitation, ApiToken, User, hash_token
from tandem.accounts.rules import has_joined
from tandem.accounts.signals import account_deactivated


@transaction.atomic
def user_update_preferences(
    *, user: User, full_name: str, language: str, timezone_name: str
) -> User:
    user.full_name = full_name
    user.language = language
    user.timezone = timezone_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "language", "timezone"])
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw key, which is never stored."""
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_token(raw), hint=raw[: len(ApiToken.PREFIX) + 4]
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


@transaction.atomic
def account_deactivate(*, user: User, reason: str = AccountClosure.DEACTIVATED) -> bool:
    """The one way an account stops: sign-in and API tokens stop working, no more email goes
    to it, and every app ends that person's relationships in this transaction (through
    `signals.account_deactivated`). Idempotent: an inactive account is left alone and nobody is
    told twice. Returns whether it changed anything."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    account_deactivated.send(sender=User, user=user, reason=AccountClosure(reason))
    return True


@transaction.atomic
def invitation_create(*, user: User, by: User | None = None) -> tuple[AccountInvitation, str]:
    """A new invitation for `user` and its raw token (never stored): every earlier one still
    open stops working. The caller emails it (people.services.account_invitation_send, which
    also marks it sent)."""
    now = timezone.now()
    AccountInvitation.objects.filter(
        user=user, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    raw = AccountInvitation.new_raw_token()
    invitation = AccountInvitation.objects.create(
        user=user,
        token_hash=hash_token(raw),
        invited_by=by,
        expires_at=now + datetime.timedelta(days=int(settings.TANDEM_INVITATION_DAYS)),
    )
    return invitation, raw


@transaction.atomic
def invitation_mark_sent(*, invitation: AccountInvitation) -> None:
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


class InvitationNotValid(Exception):
    """The invitation was accepted, replaced by a newer one, or has expired."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


@transaction.atomic
def invitation_accept(*, invitation: AccountInvitation, password: str) -> User:
    """Set the person's password (already checked by the password validators) and mark the
    invitation accepted; their address is verified (the invitation reached it), so allauth
    lets them sign in. Raises InvitationNotValid for an invitation no longer valid (checked
    again under a lock: two submissions accept it once)."""
    locked = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    state = locked.state()
    if state != "valid":
        raise InvitationNotValid(state)
    user = User.objects.select_for_update().get(pk=locked.user_id)
    if not user.is_active:
        raise InvitationNotValid("expired")
    if has_joined(user):  # joined since (a password reset): the link sets nothing
        raise InvitationNotValid("accepted")
    user.set_password(password)
    user.save(update_fields=["password"])
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return user
