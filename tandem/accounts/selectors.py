"""Reads for accounts."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import ApiToken, PersonalDataExport, User, hash_token


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_api_token_for_user(user: User, pk: int) -> ApiToken:
    """The one access helper for tokens: 404 unless the token is the user's own."""
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token


def user_for_api_key(raw: str) -> User | None:
    """The active user a raw token belongs to, or None. Reading a token writes nothing
    unless its `last_used_at` is older than `ApiToken.LAST_USED_RESOLUTION`: a client that
    polls never turns every read into a write (on SQLite a write takes the database lock)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale = now - ApiToken.LAST_USED_RESOLUTION
    if token.last_used_at is None or token.last_used_at <= stale:
        # The condition is repeated in SQL so that concurrent requests write it once.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=token.pk
        ).update(last_used_at=now)
    return token.user


def personal_data_exports_for_user(*, user: User) -> QuerySet[PersonalDataExport]:
    return PersonalDataExport.objects.filter(user=user)


def get_personal_data_export_for_user(user: User, pk: int) -> PersonalDataExport:
    """The one access helper for data exports: 404 unless the export is the user's own."""
    job = PersonalDataExport.objects.filter(user=user, pk=pk).first() if user.is_active else None
    if job is None:
        raise Http404
    return job


def get_personal_data_export_file(user: User, pk: int) -> PersonalDataExport:
    """The user's own export, ready and not expired; 404 otherwise (an expired file is gone)."""
    job = get_personal_data_export_for_user(user, pk)
    if not job.is_downloadable():
        raise Http404
    return job
