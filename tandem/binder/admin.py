"""Admin for the mentorship's shared material. Binder entries are private notes and are
deliberately not registered: not even staff read someone's binder."""

from __future__ import annotations

from django.contrib import admin

from tandem.binder.models import Appreciation, Assignment, CritiqueRequest, SharedResource


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "mentorship", "due_date", "submitted_at", "feedback_at"]
    readonly_fields = ["submitted_at", "submitted_on", "feedback_at"]


@admin.register(CritiqueRequest)
class CritiqueRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "mentorship", "created_at", "critiqued_at"]


@admin.register(SharedResource)
class SharedResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "mentorship", "shared_by", "created_at"]
    list_filter = ["kind"]


@admin.register(Appreciation)
class AppreciationAdmin(admin.ModelAdmin):
    list_display = ["kind", "mentorship", "author", "created_at"]
    list_filter = ["kind"]
