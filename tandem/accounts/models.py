"""Users (email login, language, time zone) and their personal API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import zoneinfo
from typing import Any, ClassVar

from babel.core import get_global
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def canonical_time_zones() -> list[str]:
    """The IANA zones a person picks from: the canonical ones only. CLDR's alias table drops
    the old names ("Asia/Calcutta", "US/Eastern", "Zulu"); "Etc/" offsets, POSIX-style names
    ("EST5EDT") and "localtime" go too; "UTC" stays."""
    aliases = get_global("zone_aliases")
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if name == "UTC" or (name not in aliases and "/" in name and not name.startswith("Etc/"))
    )


TIME_ZONE_CHOICES = [(name, name) for name in canonical_time_zones()]


def canonical_time_zone(name: str) -> str:
    """The canonical zone for an old alias a person may have saved ("Asia/Calcutta" →
    "Asia/Kolkata"), so forms show it selected among the canonical choices."""
    canonical = get_global("zone_aliases").get(name, name)
    return "UTC" if canonical in {"Etc/UTC", "Etc/GMT", "Zulu"} else canonical


class AccountClosure(models.TextChoices):
    """Why an account stopped (`services.account_deactivate`)."""

    DEACTIVATED = "deactivated", _("The account was deactivated")
    DELETED = "deleted", _("The person deleted their account")


# An erased account's address is `deleted-<id>@` this domain, which can receive nothing
# (".invalid" is reserved, RFC 2606).
ERASED_EMAIL_DOMAIN = "deleted.invalid"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Profiles (people app) hang off this one-to-one."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=dj_timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # How a person is named to others, everywhere (str(user), templates, emails, API
    # "name" fields, exports): the full name, or a neutral phrase when they gave none. Never
    # the email address, which would tell others how to reach someone who did not choose to
    # be known by it. The person themself sees their own email: `name_for(viewer)`.

    def __str__(self) -> str:
        return self.get_full_name()

    @property
    def is_erased(self) -> bool:
        """The person deleted their account: the row stays, anonymised (`accounts.privacy`)."""
        return self.email.endswith("@" + ERASED_EMAIL_DOMAIN)

    def get_full_name(self) -> str:
        if self.is_erased:
            return gettext("Deleted user")
        return self.full_name.strip() or gettext("A Tandem member")

    def get_short_name(self) -> str:
        if self.is_erased:
            return gettext("Deleted user")
        return (self.full_name.split()[0] if self.full_name.strip() else "") or gettext(
            "A Tandem member"
        )

    def name_for(self, viewer: Any) -> str:
        """The name to show `viewer`: their own email when it is them and they gave no name."""
        if not self.full_name.strip() and getattr(viewer, "pk", None) == self.pk:
            return self.email
        return self.get_full_name()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class BearerToken:
    """What every bearer-token model shares (API tokens, SCIM tokens): only the SHA-256 of
    the raw value is stored, `hint` is its first characters, and a use is recorded at most
    once per `LAST_USED_RESOLUTION`, so that token reads are not writes."""

    PREFIX: ClassVar[str]
    LAST_USED_RESOLUTION: ClassVar[datetime.timedelta] = datetime.timedelta(minutes=1)
    pk: Any
    name: str
    hint: str
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def touch(self) -> None:
        """Record a use now, unless one was recorded within `LAST_USED_RESOLUTION`. The
        condition is repeated in SQL so that concurrent requests write it once."""
        now = dj_timezone.now()
        stale = now - self.LAST_USED_RESOLUTION
        if self.last_used_at is None or self.last_used_at <= stale:
            type(self)._default_manager.filter(  # type: ignore[attr-defined]
                models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lte=stale),
                pk=self.pk,
            ).update(last_used_at=now)
            self.last_used_at = now


class ApiToken(BearerToken, models.Model):
    """A personal API token. Only its SHA-256 is stored; the raw value is shown once."""

    PREFIX = "tdm_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class AccountInvitation(models.Model):
    """An email that lets someone brought in without a password (a people CSV import, a
    programme enrolment) set one and join. Only the SHA-256 of its token is stored; sending
    it again makes a new token and ends the earlier ones (`revoked_at`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_invitations",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        indexes = [models.Index(fields=["user", "-created_at"], name="acct_invitation_user_idx")]

    def __str__(self) -> str:
        return f"invitation {self.pk} for user {self.user_id}"

    @staticmethod
    def new_raw_token() -> str:
        return secrets.token_urlsafe(32)

    def state(self, now: datetime.datetime | None = None) -> str:
        """ "valid", "accepted", "replaced" or "expired"."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "replaced"
        if self.expires_at <= (now or dj_timezone.now()):
            return "expired"
        return "valid"


class PrivateStorage(FileSystemStorage):
    """Files only Tandem's own views hand out, after an access check: kept under
    `TANDEM_DATA_DIR/private/` (read when used, so tests can point it elsewhere), never given a
    public URL."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.DATA_DIR / "private")

    @property
    def location(self) -> str:
        import os

        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; a view hands them to their owner.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def _export_path(instance: PersonalDataExport, filename: str) -> str:
    return f"exports/{instance.user_id}/{secrets.token_hex(16)}.zip"


class PersonalDataExport(models.Model):
    """A person's "Download my data": built by the worker, kept privately, downloadable by
    them alone until `expires` (settings.TANDEM_DATA_EXPORT_DAYS after it is ready)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_data_exports"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    file = models.FileField(storage=private_storage, upload_to=_export_path, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created:%Y-%m-%d} {self.state}"

    @property
    def in_progress(self) -> bool:
        return self.state in {self.State.PENDING, self.State.RUNNING}

    def is_downloadable(self, now: datetime.datetime | None = None) -> bool:
        now = now or dj_timezone.now()
        return (
            self.state == self.State.READY
            and bool(self.file)
            and self.expires is not None
            and self.expires > now
        )
