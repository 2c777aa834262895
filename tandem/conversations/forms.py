from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tandem.conversations.models import BODY_MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": BODY_MAX_LENGTH}),
    )

    def clean_body(self) -> str:
        from tandem.conversations.services import clean_body

        try:
            return clean_body(self.cleaned_data["body"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["body"]) from exc
