"""Account invitations: the one way in for someone an organisation brings without a password."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from tandem.accounts import services as accounts_services
from tandem.accounts.models import AccountInvitation, User
from tandem.accounts.rules import INVITATION_EMAIL_TEMPLATE, has_joined
from tandem.notifications.services import email_send_templated


def account_invitation_send(
    *,
    user: User,
    by: User | None = None,
    programme_name: str = "",
    organisation_name: str = "",
) -> AccountInvitation | None:
    """Email `user` a new account invitation (the earlier ones stop working), in their
    language; None when they have joined already or left (nothing to do). Under the caller's
    transaction: the invitation and its email commit together."""
    if has_joined(user) or not user.is_active:
        return None
    with transaction.atomic():
        invitation, raw = accounts_services.invitation_create(user=user, by=by)
        email = email_send_templated(
            user=user,
            template=INVITATION_EMAIL_TEMPLATE,
            context={
                "url": settings.SITE_URL + reverse("account_invitation", args=[raw]),
                "login_url": settings.SITE_URL + reverse("account_login"),
                "expires_at": invitation.expires_at,
                "programme_name": programme_name,
                "organisation_name": organisation_name,
                "inviter": by,
            },
        )
        if email is not None:
            accounts_services.invitation_mark_sent(invitation=invitation)
    return invitation


def account_invitations_send_new(*, user_ids: list[int]) -> int:
    """Invite each of these accounts that has not joined and was never invited (the CSV
    import's new accounts), one transaction each; returns how many were invited."""
    sent = 0
    users = (
        User.objects.filter(pk__in=user_ids, account_invitations__isnull=True)
        .select_related("profile__organisation")
        .order_by("pk")
    )
    for user in users:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            if AccountInvitation.objects.filter(user=locked).exists():
                continue
            profile = getattr(user, "profile", None)
            org = profile.organisation if profile is not None else None
            if account_invitation_send(user=locked, organisation_name=org.name if org else ""):
                sent += 1
    return sent
