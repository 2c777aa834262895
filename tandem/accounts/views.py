"""Settings pages: preferences and personal API tokens."""

from __future__ import annotations

from allauth.mfa.webauthn import views as allauth_webauthn_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import selectors, services
from tandem.accounts.forms import ApiTokenForm, PreferencesForm
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
