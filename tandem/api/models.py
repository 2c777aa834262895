"""What the API keeps: the first response to each idempotency key (see idempotency.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentResponse(models.Model):
    """The response a person's write with an `Idempotency-Key` got, replayed to a retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    # The method, path and body the key was first used with: a key reused for another
    # request is refused rather than answered with the wrong response.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=255, blank=True)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_response_per_key")]
        verbose_name = _("idempotent response")
        verbose_name_plural = _("idempotent responses")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key} -> {self.status}"
