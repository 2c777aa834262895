"""Reads for accounts."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from tandem.accounts import hooks
from tandem.accounts.models import (
    AccountInvitation,
    ApiToken,
    PersonalDataExport,
    User,
    hash_token,
)
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
    token.touch()
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


def user_must_use_mfa(*, user: User) -> bool:
    """The one rule for required MFA: the user holds a role named in
    TANDEM_MFA_REQUIRED_FOR (nobody when it is empty)."""
    roles = settings.TANDEM_MFA_REQUIRED_FOR
    if not roles or not user.is_authenticated:
        return False
    return any(predicate(user) for predicate in hooks.mfa_role_predicates(roles))


def user_has_mfa(*, user: User) -> bool:
    """A second factor is set up: an authenticator app (TOTP) or a security key (recovery
    codes alone are a fallback, not a factor one signs in with day to day)."""
    return (
        Authenticator.objects.filter(user_id=user.pk)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


def sso_required_for_email(email: str) -> hooks.EmailDomainPolicy | None:
    """The policy that refuses password login for `email`, or None where it is allowed."""
    policy = hooks.email_domain_policy(email)
    return policy if policy is not None and policy.sso_required else None


def account_security(*, user: User) -> dict[str, object]:
    """The person's own sign-in security: their second factor, whether their role requires
    one, and the single sign-on providers their account is linked to."""
    return {
        "mfa_enabled": user_has_mfa(user=user),
        "mfa_required": user_must_use_mfa(user=user),
        "sso_providers": sorted(
            SocialAccount.objects.filter(user_id=user.pk).values_list("provider", flat=True)
        ),
    }


def get_webauthn_key_for_user(user: User, pk: int) -> Authenticator:
    """The one access helper for security keys: 404 unless the key is the user's own."""
    key = Authenticator.objects.filter(
        user_id=user.pk, pk=pk, type=Authenticator.Type.WEBAUTHN
    ).first()
    if key is None:
        raise Http404
    return key


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
