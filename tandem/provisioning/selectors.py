"""Reads for provisioning: what a SCIM token reaches."""

from __future__ import annotations

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from tandem.accounts.models import User, hash_token
from tandem.people.models import Organisation
from tandem.provisioning.models import ScimAccount, ScimToken


def scim_token_for_raw(raw: str) -> ScimToken | None:
    """The live token with this raw value, or None (unknown, revoked, or not a SCIM token)."""
    if not raw.startswith(ScimToken.PREFIX) or len(raw) > 200:
        return None
    return (
        ScimToken.objects.select_related("organisation")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )


def scim_users_for_token(token: ScimToken) -> QuerySet[User]:
    """The accounts a token reaches: those its organisation provisions, and no others."""
    return (
        User.objects.filter(scim_account__organisation_id=token.organisation_id)
        .select_related("scim_account__organisation", "profile")
        .annotate(
            # SCIM's userName: the client's own where it gave one, else the email address.
            scim_user_name=Coalesce(
                NullIf(F("scim_account__user_name"), Value("")),
                F("email"),
                output_field=CharField(),
            )
        )
        .order_by("pk")
    )


def scim_account_for_token(token: ScimToken, user_id: str) -> ScimAccount | None:
    """The provisioned account `user_id` names, if the token reaches it."""
    if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 18:
        return None
    return (
        ScimAccount.objects.select_related("user", "organisation")
        .filter(user_id=int(user_id), organisation_id=token.organisation_id)
        .first()
    )


def scim_groups_for_token(token: ScimToken) -> QuerySet[Organisation]:
    """A token's only group is its own organisation."""
    return Organisation.objects.filter(pk=token.organisation_id)


def scim_group_members(token: ScimToken) -> QuerySet[User]:
    """The group's members: the organisation's provisioned people who work there."""
    return scim_users_for_token(token).filter(profile__organisation_id=token.organisation_id)
