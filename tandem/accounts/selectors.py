"""Reads for accounts."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import AccountInvitation, ApiToken, User, hash_token
from tandem.accounts.rules import has_joined


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


def invitation_for_token(raw: str) -> AccountInvitation | None:
    """The invitation a raw token names (whatever its state), or None for an unknown one."""
    if not raw or len(raw) > 100 or "\x00" in raw:
        return None
    return (
        AccountInvitation.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    )


def invitation_state(invitation: AccountInvitation | None) -> str:
    """ "valid", or why a link no longer works: "unknown", "accepted" (also when the person
    has joined since, e.g. by resetting their password), "replaced" or "expired"."""
    if invitation is None:
        return "unknown"
    state = invitation.state()
    if state == "valid" and has_joined(invitation.user):
        return "accepted"
    return state


def latest_invitations(user_ids: list[int]) -> dict[int, AccountInvitation]:
    """Each user's newest invitation, by user id (one query)."""
    out: dict[int, AccountInvitation] = {}
    for invitation in AccountInvitation.objects.filter(user_id__in=user_ids).order_by(
        "user_id", "-created_at", "-pk"
    ):
        out.setdefault(invitation.user_id, invitation)
    return out
