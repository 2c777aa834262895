"""Provisioning's part of a person's data: how their organisation's HR system knows them
(exported; erased with the account, so the HR system finds them no more and cannot bring an
erased account back) and the SCIM tokens they created as staff (the token stays the
organisation's; only the link to them goes)."""

from __future__ import annotations

from typing import Any

from tandem.accounts.personal_data import rows
from tandem.provisioning.models import ScimAccount, ScimToken

MODELS = ("provisioning.ScimAccount", "provisioning.ScimToken")


def export(user: Any) -> dict[str, Any]:
    return {
        "provisioned_by": rows(ScimAccount.objects.filter(user=user)),
        "scim_tokens_created": rows(
            ScimToken.objects.filter(created_by=user), exclude=("key_hash",)
        ),
    }


def erase(user: Any) -> None:
    ScimAccount.objects.filter(user=user).delete()
    ScimToken.objects.filter(created_by=user).update(created_by=None)
