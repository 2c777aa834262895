"""Writes for accounts: preferences, API tokens, and deactivation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import AccountClosure, ApiToken, User, hash_token
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
def account_reactivate(*, user: User) -> bool:
    """Sign-in works again for a deactivated account (SCIM `active: true`). Nothing else comes
    back: relationships that ended stay ended, and revoked API tokens stay revoked. Returns
    whether it changed anything."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True
