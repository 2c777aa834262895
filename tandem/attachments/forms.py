from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.attachments.checks import ALLOWED

# The extensions Tandem takes, as a hint for the browser's file picker.
ACCEPT = ",".join(sorted(f".{ext}" for exts in ALLOWED.values() for ext in exts))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attach a file"), allow_empty_file=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The name's length is checked (with a clear message) by the service.
        self.fields["file"].max_length = None  # type: ignore[attr-defined]
        # Only a hint: the service decides by the content.
        self.fields["file"].widget.attrs["accept"] = ACCEPT
