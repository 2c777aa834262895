"""Writes for provisioning: SCIM tokens, and the accounts an organisation's HR system creates,
changes and deactivates. Deactivation is `accounts.services.account_deactivate` (which ends the
person's relationships gracefully); reactivation is `account_reactivate` (sign-in only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import AccountClosure, User, hash_token
from tandem.accounts.services import account_deactivate, account_reactivate
from tandem.people.models import Organisation, Profile
from tandem.people.services import account_invitation_send, profile_get_or_create
from tandem.provisioning.models import ScimAccount, ScimToken


@dataclass(frozen=True)
class ScimUserData:
    """One SCIM User, parsed and validated at the edge (`tandem.provisioning.scim`). `None`
    leaves a field as it is."""

    email: str
    user_name: str = ""  # the client's userName where it is not the email address
    email_type: str = "work"
    full_name: str = ""
    external_id: str = ""
    active: bool | None = None
    language: str | None = None
    timezone: str | None = None


# --- Tokens ---------------------------------------------------------------------------------


@transaction.atomic
def scim_token_create(
    *, organisation: Organisation, name: str, created_by: User | None = None
) -> tuple[ScimToken, str]:
    """A new token of `organisation` and its raw value, which is never stored."""
    raw = ScimToken.new_raw_key()
    token = ScimToken(
        organisation=organisation,
        name=name,
        key_hash=hash_token(raw),
        hint=raw[: len(ScimToken.PREFIX) + 4],
        created_by=created_by,
    )
    token.full_clean(exclude=["key_hash", "hint"])
    token.save()
    return token, raw


@transaction.atomic
def scim_token_revoke(*, token: ScimToken) -> bool:
    """The token stops working at once. Returns whether it changed anything."""
    return bool(
        ScimToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def scim_token_touch(*, token: ScimToken) -> None:
    """Record a use, at most once per `LAST_USED_RESOLUTION`, so reads are rarely writes."""
    token.touch()


# --- Accounts -------------------------------------------------------------------------------


def _conflict() -> ValidationError:
    return ValidationError(
        _("An account with this email address already exists."), code="uniqueness"
    )


def _check_user_name(
    organisation: Organisation, user_name: str, account: ScimAccount | None
) -> None:
    if not user_name:
        return
    taken = ScimAccount.objects.filter(organisation=organisation, user_name=user_name)
    if account is not None:
        taken = taken.exclude(pk=account.pk)
    if taken.exists():
        raise ValidationError(_("This userName is taken."), code="uniqueness")


def _set_email(user: User, email: str) -> None:
    """The address the HR system gives is verified: it is the organisation's own."""
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


def _apply_active(user: User, active: bool | None) -> None:
    if active is False:
        account_deactivate(user=user, reason=AccountClosure.DEACTIVATED)
    elif active is True:
        account_reactivate(user=user)


@transaction.atomic
def scim_user_create(*, organisation: Organisation, data: ScimUserData) -> User:
    """A new account, provisioned by `organisation`: it works there (its profile says so) and
    its email address is verified. It has no password: the account invitation (in the language
    the HR system gave) lets the person set one, or sign in with single sign-on, as for anyone
    an organisation brings in (people.services.account_invitation_send)."""
    if User.objects.filter(email__iexact=data.email).exists():
        raise _conflict()
    fields: dict[str, str] = {"full_name": data.full_name}
    if data.language:
        fields["language"] = data.language
    if data.timezone:
        fields["timezone"] = data.timezone
    user = User.objects.create_user(data.email, password=None, **fields)
    _set_email(user, user.email)
    profile = profile_get_or_create(user=user)
    profile.organisation = organisation
    profile.save(update_fields=["organisation"])
    _check_user_name(organisation, data.user_name, None)
    ScimAccount.objects.create(
        user=user,
        organisation=organisation,
        external_id=data.external_id,
        user_name=data.user_name,
        email_type=data.email_type,
    )
    _apply_active(user, data.active)
    if data.active is not False:
        account_invitation_send(user=user, organisation_name=organisation.name)
    return user


@transaction.atomic
def scim_user_update(*, account: ScimAccount, data: ScimUserData) -> User:
    """Replace what SCIM manages of a provisioned account. `active: false` deactivates it
    (ending its relationships); `active: true` lets the person sign in again."""
    user = User.objects.select_for_update().get(pk=account.user_id)
    fields = ["full_name"]
    if data.email != user.email:
        if User.objects.filter(email__iexact=data.email).exclude(pk=user.pk).exists():
            raise _conflict()
        user.email = data.email
        fields.append("email")
        _set_email(user, data.email)
    user.full_name = data.full_name
    if data.language:
        user.language = data.language
        fields.append("language")
    if data.timezone:
        user.timezone = data.timezone
        fields.append("timezone")
    user.save(update_fields=fields)
    _check_user_name(account.organisation, data.user_name, account)
    account.external_id = data.external_id
    account.user_name = data.user_name
    account.email_type = data.email_type
    account.save(update_fields=["external_id", "user_name", "email_type", "updated_at"])
    _apply_active(user, data.active)
    user.refresh_from_db()
    return user


@transaction.atomic
def scim_user_remove(*, account: ScimAccount) -> None:
    """SCIM DELETE: the account is deactivated (never deleted: the people it worked with keep
    their records) and leaves the organisation's SCIM scope, so it is gone for the client."""
    account_deactivate(user=account.user, reason=AccountClosure.DEACTIVATED)
    account.delete()


@transaction.atomic
def scim_group_set_members(
    *,
    organisation: Organisation,
    add: Sequence[User] = (),
    remove: Sequence[User] = (),
) -> None:
    """Group membership is where a provisioned person works: their profile's organisation."""
    for user in add:
        profile = profile_get_or_create(user=user)
        if profile.organisation_id != organisation.pk:
            profile.organisation = organisation
            profile.save(update_fields=["organisation"])
    # One save each, not a bulk update: suggestions follows profile saves.
    for profile in Profile.objects.filter(user__in=remove, organisation=organisation):
        profile.organisation = None
        profile.save(update_fields=["organisation"])
    ScimAccount.objects.filter(user__in=[*add, *remove]).update(updated_at=timezone.now())
