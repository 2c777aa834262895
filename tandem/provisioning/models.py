"""SCIM provisioning: the bearer tokens an organisation's HR system uses, and which accounts
each organisation provisions.

A `ScimToken` belongs to one organisation and reaches only the accounts linked to that
organisation by a `ScimAccount`: those its HR system created (or that staff linked in the
admin). Naming an organisation in one's own profile links nothing: an HR system never sees
nor deactivates an account it was not given."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import BearerToken
from tandem.people.models import Organisation

# The lengths SCIM input is held to (the columns below and accounts.User's).
EXTERNAL_ID_MAX_LENGTH = 255
USER_NAME_MAX_LENGTH = 254
EMAIL_TYPE_MAX_LENGTH = 20


class ScimToken(BearerToken, models.Model):  # noqa: DJ008 (__str__ is BearerToken's)
    """A SCIM bearer token of one organisation. Only its SHA-256 is stored; the raw value is
    shown once. Not an API token: it opens /scim/v2/ only, and the API refuses it."""

    PREFIX = "tdscim_"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="scim_tokens",
    )
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=16, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")


class ScimAccount(models.Model):
    """An account provisioned by an organisation's HR system: the SCIM scope of that
    organisation's tokens, and the client's `externalId` for it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="scim_account",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="scim_accounts",
    )
    external_id = models.CharField(
        _("external id"), max_length=EXTERNAL_ID_MAX_LENGTH, blank=True, db_index=True
    )
    # The client's `userName` where it is not the email address (an employee number, say);
    # empty where it is, as usual.
    user_name = models.CharField(_("SCIM user name"), max_length=USER_NAME_MAX_LENGTH, blank=True)
    email_type = models.CharField(
        _("email type"), max_length=EMAIL_TYPE_MAX_LENGTH, blank=True, default="work"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user_name"],
                condition=~models.Q(user_name=""),
                name="scimaccount_unique_user_name",
            )
        ]
        verbose_name = _("provisioned account")
        verbose_name_plural = _("provisioned accounts")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"
