"""Staff create and revoke SCIM tokens here; the raw token is shown once, on the page that
follows the creation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.provisioning import services
from tandem.provisioning.models import ScimAccount, ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    fields = [
        "organisation",
        "name",
        "hint",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["hint", "created_by", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["organisation"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: ScimToken | None = None) -> Any:
        if obj is not None:  # a token's organisation never changes
            return [*self.readonly_fields, "organisation"]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ScimToken, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        token, raw = services.scim_token_create(
            organisation=obj.organisation,
            name=obj.name,
            created_by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        request._scim_raw_token = raw  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ScimToken, post_url_continue: Any = None
    ) -> Any:
        """The raw token, on this one page (never in a message, a cookie or the session)."""
        response = TemplateResponse(
            request,
            "provisioning/admin/token_created.html",
            {
                **self.admin_site.each_context(request),
                "token": obj,
                "raw": request._scim_raw_token,  # type: ignore[attr-defined]
                "back": reverse("admin:provisioning_scimtoken_changelist"),
                "opts": self.opts,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected SCIM tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ScimToken]) -> None:
        count = sum(services.scim_token_revoke(token=token) for token in queryset)
        self.message_user(request, gettext("Revoked: %(count)d.") % {"count": count})


@admin.register(ScimAccount)
class ScimAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "external_id", "created_at", "updated_at"]
    list_filter = ["organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__full_name", "external_id"]
    autocomplete_fields = ["user", "organisation"]
