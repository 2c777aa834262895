"""Accounts' part of a person's data: the account, its email addresses, API tokens and data
exports. Registered in `AccountsConfig.ready()`; erased last (see `personal_data.erase`)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from tandem.accounts.models import AccountInvitation, ApiToken, PersonalDataExport, User
from tandem.accounts.personal_data import placeholder_email, rows

MODELS = (
    "accounts.User",
    "accounts.ApiToken",
    "accounts.PersonalDataExport",
    "accounts.AccountInvitation",
)


def export(user: User) -> dict[str, Any]:
    return {
        "user": rows([user], exclude=("password", "groups", "user_permissions"))[0],
        "email_addresses": rows(EmailAddress.objects.filter(user=user), exclude=("user",)),
        "api_tokens": rows(ApiToken.objects.filter(user=user), exclude=("key_hash",)),
        "data_exports": rows(PersonalDataExport.objects.filter(user=user), exclude=("file",)),
        "account_invitations": rows(
            AccountInvitation.objects.filter(user=user), exclude=("token_hash",)
        ),
    }


def erase(user: User) -> None:
    """The row stays (others' records point at it), anonymised: a placeholder address that
    receives nothing, no name (everyone sees "Deleted user" in their own language), no usable
    password, no tokens, no files."""
    ApiToken.objects.filter(user=user).delete()
    AccountInvitation.objects.filter(user=user).delete()
    AccountInvitation.objects.filter(invited_by=user).update(invited_by=None)
    for job in PersonalDataExport.objects.filter(user=user):
        if job.file:
            job.file.delete(save=False)
        job.delete()
    EmailAddress.objects.filter(user=user).delete()
    user.email = placeholder_email(user)
    user.full_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["email", "full_name", "password", "is_active"])
    user.groups.clear()
    user.user_permissions.clear()
