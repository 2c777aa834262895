from django.contrib import admin

from tandem.suggestions.models import MentorMark


@admin.register(MentorMark)
class MentorMarkAdmin(admin.ModelAdmin[MentorMark]):
    list_display = ("user", "mentor", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__email", "mentor__email")
    raw_id_fields = ("user", "mentor")
