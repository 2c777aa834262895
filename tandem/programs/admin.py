from django.contrib import admin

from tandem.programs.models import MatchRun, Membership, Programme


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "capacity", "source"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "matching_mode", "approval", "created_at"]
    inlines = [MembershipInline]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "status", "matched", "mentees_total", "published_at"]
    list_filter = ["status"]
