"""Account forms: the extra sign-up fields and the preferences form."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import TIME_ZONE_CHOICES, User, canonical_time_zone
from tandem.accounts.selectors import sso_required_for_email


class LoginForm(AllauthLoginForm):
    """allauth's login form (ACCOUNT_FORMS), refusing a password for an address whose
    organisation requires single sign-on, before the password is even checked."""

    def clean(self) -> dict[str, Any]:
        email = str(self.cleaned_data.get("login") or "")
        policy = sso_required_for_email(email) if email else None
        if policy is not None:
            raise forms.ValidationError(
                _(
                    "%(organisation)s signs its people in through single sign-on: use the "
                    "single sign-on button below instead of a password."
                ),
                code="sso_required",
                params={"organisation": policy.organisation},
            )
        return super().clean()


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form gains (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES, initial="UTC")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language() or "en"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean(self) -> dict[str, Any]:
        """An address whose organisation requires single sign-on gets its account through
        SSO (just in time), not a password: else confirming the address would sign in
        around the IdP."""
        cleaned = super().clean() or {}
        if getattr(self, "sociallogin", None) is not None:
            return cleaned  # allauth's SSO sign-up form (SocialSignupForm) is the SSO way in
        policy = sso_required_for_email(str(cleaned.get("email") or ""))
        if policy is not None:
            self.add_error(
                "email",
                forms.ValidationError(
                    _(
                        "%(organisation)s signs its people in through single sign-on: your "
                        "account is created when you first sign in with the single sign-on "
                        "button on the login page."
                    ),
                    code="sso_required",
                    params={"organisation": policy.organisation},
                ),
            )
        return cleaned

    def signup(self, request: HttpRequest, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.language = self.cleaned_data["language"]
        user.timezone = self.cleaned_data["timezone"]
        user.save(update_fields=["full_name", "language", "timezone"])


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "timezone"]
        labels = {
            "full_name": _("Full name"),
            "language": _("Language"),
            "timezone": _("Time zone"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["timezone"] = canonical_time_zone(self.initial.get("timezone") or "UTC")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What will use it, so you recognise it later (e.g. 'HR reporting script')."),
    )


class AccountDeleteForm(forms.Form):
    """ "Delete my account": the person types their email address again, and their password
    where the account has one (`services.account_delete_check`)."""

    email = forms.EmailField(label=_("Your email address"), max_length=254)
    password = forms.CharField(
        label=_("Your password"), max_length=4096, required=False, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        if user.has_usable_password():
            self.fields["password"].required = True
            self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        else:
            del self.fields["password"]

    def clean(self) -> dict[str, Any]:
        from django.core.exceptions import ValidationError

        from tandem.accounts.services import account_delete_check

        data = super().clean() or {}
        if "email" in data and not self.errors:
            try:
                account_delete_check(
                    user=self.user, email=data["email"], password=data.get("password", "")
                )
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return data
