"""Who counts as having joined Tandem: the one rule, used by every app.

Someone a people CSV import or a programme enrolment brought in has an account but no
password yet; they join by accepting their account invitation (setting a password), by
resetting their password, or by signing in any other way (single sign-on). Until then Tandem
emails them nothing but that invitation (`may_email`, called by
`tandem.notifications.services.email_send_templated`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q

# The template name (`emails/<name>/...`) of the account invitation: the one email a person
# who has not joined may get.
INVITATION_EMAIL_TEMPLATE = "accounts/invitation"


def has_joined(user: Any) -> bool:
    """An active account with a usable password, or one that has signed in at least once."""
    return bool(user.is_active and (user.has_usable_password() or user.last_login is not None))


def joined_q(prefix: str = "") -> Q:
    """`has_joined` as a query filter on users (`prefix`: the path to the user, e.g.
    "user__")."""
    return Q(**{f"{prefix}is_active": True}) & (
        ~Q(**{f"{prefix}password__startswith": UNUSABLE_PASSWORD_PREFIX})
        | Q(**{f"{prefix}last_login__isnull": False})
    )


def may_email(user: Any, template: str) -> bool:
    """Whether a notification email `template` may go to `user`: nobody who left, and nobody
    who has not joined yet, except their invitation."""
    if not user.is_active:
        return False
    return template == INVITATION_EMAIL_TEMPLATE or has_joined(user)
