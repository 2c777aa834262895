"""Settings pages (preferences, personal API tokens) and accepting an account invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
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
