from django.contrib import admin
from django.http import HttpRequest

from tandem.people.models import (
    Association,
    CareerRole,
    ListItem,
    Organisation,
    OrganisationAdmin,
    OrganisationDomain,
    Profile,
)


@admin.register(ListItem)
class ListItemAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_id", "kind", "slug", "level", "position", "active"]
    list_filter = ["kind", "active"]
    list_editable = ["name_id", "position", "active"]
    search_fields = ["name_en", "name_id", "slug"]

    def get_readonly_fields(self, request: HttpRequest, obj: ListItem | None = None) -> list[str]:
        # Slugs are stable identifiers (CSV files, matching): fixed once created.
        return ["kind", "slug"] if obj else []


class OrganisationAdminInline(admin.TabularInline):
    """Staff appoint an organisation's administrators here (or on its administration page)."""

    model = OrganisationAdmin
    extra = 0
    raw_id_fields = ["user"]


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 0


@admin.register(Organisation)
class OrganisationModelAdmin(admin.ModelAdmin):
    list_display = ["name", "industry"]
    list_filter = ["industry"]
    search_fields = ["name"]
    filter_horizontal = ["competitors", "partners"]
    inlines = [OrganisationAdminInline, OrganisationDomainInline]


@admin.register(OrganisationAdmin)
class OrganisationAdminAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "created_at"]
    list_select_related = ["organisation", "user"]
    search_fields = ["organisation__name", "user__email", "user__full_name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]


@admin.register(OrganisationDomain)
class OrganisationDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "organisation", "verified"]
    list_filter = ["verified"]
    search_fields = ["domain", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class CareerRoleInline(admin.TabularInline):
    model = CareerRole
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "organisation", "is_mentee", "is_mentor", "paused"]
    list_filter = ["is_mentor", "is_mentee", "paused", "function", "seniority"]
    search_fields = ["user__email", "user__full_name", "headline"]
    raw_id_fields = ["user", "manager"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["associations", "values", "humour", "guidance_wanted", "guidance_offered"]
    inlines = [CareerRoleInline]
