"""Writes for accounts: preferences, API tokens, account invitations, deactivation, personal
data (export and deletion)."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import personal_data
from tandem.accounts.models import (
    AccountClosure,
    AccountInvitation,
    ApiToken,
    PersonalDataExport,
    User,
    hash_token,
)
from tandem.accounts.rules import has_joined
from tandem.accounts.signals import account_deactivated


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


@transaction.atomic
def account_deactivate(*, user: User, reason: str = AccountClosure.DEACTIVATED) -> bool:
    """The one way an account stops: sign-in and API tokens stop working, no more email goes
    to it, and every app ends that person's relationships in this transaction (through
    `signals.account_deactivated`). Idempotent: an inactive account is left alone and nobody is
    told twice. Returns whether it changed anything."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    account_deactivated.send(sender=User, user=user, reason=AccountClosure(reason))
    return True


@transaction.atomic
def invitation_create(*, user: User, by: User | None = None) -> tuple[AccountInvitation, str]:
    """A new invitation for `user` and its raw token (never stored): every earlier one still
    open stops working. The caller emails it (people.services.account_invitation_send, which
    also marks it sent)."""
    now = timezone.now()
    AccountInvitation.objects.filter(
        user=user, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    raw = AccountInvitation.new_raw_token()
    invitation = AccountInvitation.objects.create(
        user=user,
        token_hash=hash_token(raw),
        invited_by=by,
        expires_at=now + datetime.timedelta(days=int(settings.TANDEM_INVITATION_DAYS)),
    )
    return invitation, raw


@transaction.atomic
def invitation_mark_sent(*, invitation: AccountInvitation) -> None:
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


class InvitationNotValid(Exception):
    """The invitation was accepted, replaced by a newer one, or has expired."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


@transaction.atomic
def invitation_accept(*, invitation: AccountInvitation, password: str) -> User:
    """Set the person's password (already checked by the password validators) and mark the
    invitation accepted; their address is verified (the invitation reached it), so allauth
    lets them sign in. Raises InvitationNotValid for an invitation no longer valid (checked
    again under a lock: two submissions accept it once)."""
    locked = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    state = locked.state()
    if state != "valid":
        raise InvitationNotValid(state)
    user = User.objects.select_for_update().get(pk=locked.user_id)
    if not user.is_active:
        raise InvitationNotValid("expired")
    if has_joined(user):  # joined since (a password reset): the link sets nothing
        raise InvitationNotValid("accepted")
    user.set_password(password)
    user.save(update_fields=["password"])
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return user


def account_delete_check(*, user: User, email: str, password: str) -> None:
    """The confirmation "Delete my account" asks for: the account's email address typed again
    and, where the account has one, its password. Raises ValidationError otherwise."""
    if not user.is_active or email.strip().lower() != user.email.lower():
        raise ValidationError(_("Type the email address of your account to confirm."))
    if user.has_usable_password() and not user.check_password(password):
        raise ValidationError(_("The password is not right."))


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete an account (the person themself, or staff on their request): it stops
    (`account_deactivate`: tokens revoked, sessions end, mentorships end with a notice to the
    other person), then every app erases what it keeps about the person
    (`personal_data.erase`). The user row stays, anonymised, so the other person's records and
    the programmes' counts keep their shape; what others wrote stays theirs."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        account_deactivate(user=user, reason=AccountClosure.DELETED)
        user.refresh_from_db()
    personal_data.erase(user)


def export_zip(user: User) -> bytes:
    """The zip of "Download my data": `personal-data.json` (everything every app keeps about
    the person) and Markdown files (binder, notes, goals)."""
    data, files = personal_data.collect(user)
    document = {
        "generated_at": timezone.now().isoformat(),
        "site": settings.SITE_URL,
        "user_id": user.pk,
        "data": data,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "personal-data.json", json.dumps(document, indent=2, ensure_ascii=False, default=str)
        )
        for path, text in sorted(files.items()):
            archive.writestr(path, text)
    return buffer.getvalue()


@transaction.atomic
def personal_data_export_request(*, user: User) -> PersonalDataExport:
    """Ask for "Download my data": the worker builds it. One at a time: an export still being
    prepared is returned instead of starting another."""
    User.objects.select_for_update().get(pk=user.pk)
    job = PersonalDataExport.objects.filter(
        user=user,
        state__in=[PersonalDataExport.State.PENDING, PersonalDataExport.State.RUNNING],
    ).first()
    if job is not None:
        return job
    job = PersonalDataExport.objects.create(user=user)
    from tandem.accounts.tasks import build_personal_data_export

    transaction.on_commit(lambda: build_personal_data_export.enqueue(job.pk))
    return job


def personal_data_export_build(*, export_id: int) -> str:
    """Build one export (the worker). Idempotent: a finished one is left alone."""
    with transaction.atomic():
        job = (
            PersonalDataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id)
            .first()
        )
        if job is None or not job.in_progress:
            return "nothing to do"
        job.state = PersonalDataExport.State.RUNNING
        job.save(update_fields=["state"])
    try:
        content = export_zip(job.user)
    except Exception:
        PersonalDataExport.objects.filter(pk=job.pk).update(
            state=PersonalDataExport.State.FAILED, finished=timezone.now()
        )
        raise
    with transaction.atomic():
        job = PersonalDataExport.objects.select_for_update().get(pk=job.pk)
        if job.state != PersonalDataExport.State.RUNNING:
            return "nothing to do"
        job.file.save("personal-data.zip", ContentFile(content), save=False)
        now = timezone.now()
        job.state = PersonalDataExport.State.READY
        job.finished = now
        job.expires = now + datetime.timedelta(days=settings.TANDEM_DATA_EXPORT_DAYS)
        job.save(update_fields=["file", "state", "finished", "expires"])
    return "ready"


def personal_data_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their `expires` (periodic). Returns how many."""
    now = now or timezone.now()
    count = 0
    for job in PersonalDataExport.objects.filter(
        state=PersonalDataExport.State.READY, expires__lte=now
    ):
        with transaction.atomic():
            if job.file:
                job.file.delete(save=False)
            job.state = PersonalDataExport.State.EXPIRED
            job.save(update_fields=["file", "state"])
            count += 1
    return count


def account_reactivate(*, user: User) -> bool:
    """Sign-in works again for a deactivated account (SCIM `active: true`). Nothing else comes
    back: relationships that ended stay ended, and revoked API tokens stay revoked. Returns
    whether it changed anything. An erased account ("Delete my account") never comes back."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active or user.is_erased:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True
