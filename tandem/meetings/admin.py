"""Admin for meetings: times and status only. Private notes are deliberately not shown."""

from __future__ import annotations

from django.contrib import admin

from tandem.meetings.models import AgendaItem, Meeting, MeetingSlot


class SlotInline(admin.TabularInline):
    model = MeetingSlot
    extra = 0
    fields = ("starts_at", "proposed_by")
    readonly_fields = ("starts_at", "proposed_by")


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("position", "kind", "title", "author", "done_at")
    readonly_fields = ("position", "kind", "title", "author", "done_at")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["pk", "mentorship", "status", "starts_at", "duration_minutes", "channel"]
    list_filter = ["status", "channel"]
    date_hierarchy = "starts_at"
    readonly_fields = fields = (
        "mentorship",
        "status",
        "proposed_by",
        "starts_at",
        "duration_minutes",
        "channel",
        "over_rhythm",
        "rhythm_approved_at",
        "sequence",
        "cancelled_at",
    )
    inlines = [SlotInline, AgendaInline]
