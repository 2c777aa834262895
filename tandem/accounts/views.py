"""Settings pages (preferences, personal API tokens, personal data: download, delete) and
accepting an account invitation."""

from __future__ import annotations

from allauth.mfa.webauthn import views as allauth_webauthn_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import selectors, services
from tandem.accounts.forms import AccountDeleteForm, ApiTokenForm, PreferencesForm
from tandem.accounts.models import PersonalDataExport
from tandem.accounts.types import AuthedHttpRequest


@login_required
def settings_view(request: AuthedHttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_update_preferences(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
            timezone_name=form.cleaned_data["timezone"],
        )
        translation.activate(user.language)
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
def tokens_view(request: AuthedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = selectors.api_tokens_for_user(user=request.user)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@login_required
@require_POST
def token_revoke_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    token = selectors.get_api_token_for_user(request.user, pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


_INVALID_STATUS = {"unknown": 404, "accepted": 410, "replaced": 410, "expired": 410}


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an account invitation: set a password (Django's password validators),
    then the person is signed in and has joined. A link that is unknown, used, replaced by
    a newer invitation or expired gets a page that says so and what to do."""
    invitation = selectors.invitation_for_token(token)
    state = selectors.invitation_state(invitation)
    if invitation is None or state != "valid":
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"state": state},
            status=_INVALID_STATUS[state],
        )
    user = invitation.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except services.InvitationNotValid as exc:
            return render(
                request,
                "accounts/invitation_invalid.html",
                {"state": exc.state},
                status=_INVALID_STATUS[exc.state],
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        translation.activate(user.language)
        messages.success(request, _("Welcome to Tandem. Your password is set."))
        return redirect("home")
    return render(
        request,
        "accounts/invitation.html",
        {"form": form, "invited": user, "invitation": invitation},
    )


# --- Security keys (allauth.mfa's WebAuthn pages, behind Tandem's access helper) -------------
# allauth asks for the password again before it looks the key up; Tandem answers 404 first
# to anyone whose key it is not, as for every object (tandem/api/tests/test_outsider_matrix).


@login_required
def webauthn_remove_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    selectors.get_webauthn_key_for_user(request.user, pk)
    return allauth_webauthn_views.remove_webauthn(request, pk=pk)


@login_required
def webauthn_edit_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    selectors.get_webauthn_key_for_user(request.user, pk)
    return allauth_webauthn_views.edit_webauthn(request, pk=pk)


def _recent_exports(request: AuthedHttpRequest) -> list[PersonalDataExport]:
    return list(selectors.personal_data_exports_for_user(user=request.user)[:5])


@login_required
def personal_data_view(request: AuthedHttpRequest) -> HttpResponse:
    """ "Your data": download it (exports and their state) and delete the account."""
    exports = _recent_exports(request)
    return render(
        request,
        "accounts/personal_data.html",
        {"exports": exports, "export_days": settings.TANDEM_DATA_EXPORT_DAYS},
    )


@login_required
@require_POST
def personal_data_export_view(request: AuthedHttpRequest) -> HttpResponse:
    services.personal_data_export_request(user=request.user)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "accounts/_exports.html", {"exports": _recent_exports(request)})
    messages.success(request, _("Your data is being prepared. This page shows when it is ready."))
    return redirect("accounts:personal_data")


@login_required
def personal_data_export_state_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One export's state, polled by the page (HTMX) while the worker builds it."""
    job = selectors.get_personal_data_export_for_user(request.user, pk)
    return render(request, "accounts/_export_state.html", {"job": job})


@login_required
def personal_data_download_view(request: AuthedHttpRequest, pk: int) -> FileResponse:
    job = selectors.get_personal_data_export_file(request.user, pk)
    return personal_data_file_response(job)


def personal_data_file_response(job: PersonalDataExport) -> FileResponse:
    """The zip as an attachment, never cached (the page and the API hand it out alike)."""
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"tandem-personal-data-{job.created:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete_view(request: AuthedHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        return render(request, "accounts/account_deleted.html")
    return render(request, "accounts/account_delete.html", {"form": form})
