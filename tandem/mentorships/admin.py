from django.contrib import admin

from tandem.mentorships.models import (
    AgreementVersion,
    CheckIn,
    Closing,
    Mentorship,
    MentorshipRequest,
    Review,
    StatusChange,
    TryOut,
)


@admin.register(TryOut)
class TryOutAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["mentee", "mentor"]


@admin.register(MentorshipRequest)
class MentorshipRequestAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "initiated_by", "status", "created_at", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["mentee", "mentor", "initiated_by"]


class AgreementVersionInline(admin.StackedInline):
    model = AgreementVersion
    extra = 0
    readonly_fields = ["proposed_by"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "note", "created_at"]


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "status", "started_at", "next_review_on", "ended_at"]
    list_filter = ["status"]
    raw_id_fields = ["mentee", "mentor", "request", "ended_by"]
    inlines = [AgreementVersionInline, StatusChangeInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "due_on", "notified_at", "closed_at"]


admin.site.register(CheckIn)
admin.site.register(Closing)
