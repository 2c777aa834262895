"""URL map. Each domain app mounts its pages under its own prefix."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from tandem.accounts import views as accounts_views
from tandem.api.api import api
from tandem.core import inbox as core_inbox
from tandem.core import views as core_views

# The admin signs in through allauth's login page, so its rate limits protect it too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("inbox/", core_inbox.inbox, name="inbox"),
    path("inbox/<str:name>", core_inbox.inbox_file, name="inbox_file"),
    path(
        "accounts/invitation/<str:token>/",
        accounts_views.invitation_accept_view,
        name="account_invitation",
    ),
    # allauth.mfa's security-key pages, with Tandem's owner check first (same paths and names).
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        accounts_views.webauthn_remove_view,
        name="mfa_remove_webauthn",
    ),
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/edit/",
        accounts_views.webauthn_edit_view,
        name="mfa_edit_webauthn",
    ),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("tandem.accounts.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("people/", include("tandem.people.urls")),
    path("find/", include("tandem.suggestions.urls")),
    path("mentorships/", include("tandem.mentorships.urls")),
    path("conversations/", include("tandem.conversations.urls")),
    path("meetings/", include("tandem.meetings.urls")),
    path("binder/", include("tandem.binder.urls")),
    path("growth/", include("tandem.growth.urls")),
    path("programmes/", include("tandem.programs.urls")),
    path("notifications/", include("tandem.notifications.urls")),
    path("files/", include("tandem.attachments.urls")),
    path("organisations/", include("tandem.people.organisation_urls")),
    path("scim/v2/", include("tandem.provisioning.urls")),
    path("audit/", include("tandem.audit.urls")),
]
