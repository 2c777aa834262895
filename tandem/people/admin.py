from django.contrib import admin
from django.http import HttpRequest

from tandem.people.models import (
    Association,
    CareerRole,
    ListItem,
    Organisation,
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


class OrganisationDomainInline(admin.TabularInline):
    """The organisation's email domains (single sign-on: joining, and SSO required)."""

    model = OrganisationDomain
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    inlines = [OrganisationDomainInline]
    list_display = ["name", "industry"]
    list_filter = ["industry"]
    search_fields = ["name"]
    filter_horizontal = ["competitors", "partners"]


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
