from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the log is append-only (its page, /audit/, filters and exports it)."""

    list_display = ("created_at", "actor_label", "action", "subject_label", "target")
    list_filter = ("action",)
    search_fields = ("actor_label", "subject_label", "target")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
