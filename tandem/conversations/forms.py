from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tandem.attachments.forms import ACCEPT
from tandem.conversations.models import BODY_MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX_LENGTH,
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": BODY_MAX_LENGTH}),
    )
    # Checked by tandem.attachments (size, type by content) when the message is posted.
    file = forms.FileField(label=_("Attach a file"), required=False, allow_empty_file=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The name's length is checked (with a clear message) by the attachments service.
        self.fields["file"].max_length = None  # type: ignore[attr-defined]
        self.fields["file"].widget.attrs["accept"] = ACCEPT  # a hint: the content decides

    def clean(self) -> dict[str, Any]:
        from tandem.conversations.services import clean_body

        cleaned = super().clean() or {}
        try:
            cleaned["body"] = clean_body(
                cleaned.get("body") or "", with_file=cleaned.get("file") is not None
            )
        except ValidationError as exc:
            self.add_error("body", exc.message_dict["body"])
        return cleaned
