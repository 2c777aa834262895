from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tandem.accounts import services
from tandem.accounts.models import AccountInvitation, ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "timezone", "is_staff", "is_active"]
    list_filter = ["language", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "language", "timezone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "password1", "password2")}),)
    actions = ["export_personal_data", "erase_personal_data"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Never a plain delete: it would take the other person's mentorships, meetings and
        notes with it. "Delete accounts on request" erases the person and keeps those."""
        return False

    @admin.action(description=_("Download personal data (one person, on their request)"))
    def export_personal_data(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        users = list(queryset[:2])
        if len(users) != 1:
            self.message_user(request, _("Select exactly one person."), messages.WARNING)
            return None
        response = HttpResponse(services.export_zip(users[0]), content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="tandem-personal-data-{users[0].pk}.zip"'
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description=_("Delete accounts on request (erase personal data)"))
    def erase_personal_data(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        """As "Delete my account": asks for confirmation first, then ends each person's
        mentorships with a notice to the other person and erases what is theirs."""
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "accounts/admin_erase_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Delete accounts on request"),
                    "people": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "opts": self.model._meta,
                },
            )
        count = 0
        for user in queryset:
            services.account_delete(user=user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d account deleted; its personal data is erased.",
                "%(count)d accounts deleted; their personal data is erased.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return None


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "hint"]


@admin.register(AccountInvitation)
class AccountInvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "sent_at", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["token_hash"]
    raw_id_fields = ["user", "invited_by"]
