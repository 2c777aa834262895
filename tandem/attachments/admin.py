from django.contrib import admin

from tandem.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """What was attached, by whom, how large: never the file itself (it is the pair's)."""

    list_display = ("pk", "kind", "object_id", "uploaded_by", "size", "content_type", "created_at")
    list_filter = ("kind",)
    fields = ("kind", "object_id", "uploaded_by", "size", "content_type", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
