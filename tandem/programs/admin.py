from django.contrib import admin

from tandem.programs.models import Invitation, MatchRun, Membership, Programme


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "capacity", "source"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "matching_mode", "approval", "created_at"]
    exclude = ["invite_token_hash"]  # only a hash; managers make a new link on the page
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["programme", "email", "role", "status", "created_at"]
    list_filter = ["status", "role"]
    search_fields = ["email"]
    raw_id_fields = ["user", "invited_by"]
    exclude = ["token_hash"]
    readonly_fields = ["enrolment_import"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "status", "matched", "mentees_total", "published_at"]
    list_filter = ["status"]
