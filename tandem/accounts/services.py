"""Writes for accounts: preferences and API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import ApiToken, User, hash_token


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
