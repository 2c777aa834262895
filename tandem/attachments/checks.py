"""What a file must be to be attached: not empty, not too large, a name of sane length, and
a type Tandem takes, recognised from the content (the `filetype` library reads the first
bytes' signature), with a name that matches it. The browser's Content-Type is never trusted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from tandem.attachments.models import NAME_MAX_LENGTH

TEXT = "text/plain"
# Sniffed type -> the file-name extensions it may have.
ALLOWED: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({"pdf"}),
    "image/png": frozenset({"png"}),
    "image/jpeg": frozenset({"jpg", "jpeg"}),
    "image/gif": frozenset({"gif"}),
    "image/webp": frozenset({"webp"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": frozenset({"docx"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": frozenset({"xlsx"}),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": frozenset(
        {"pptx"}
    ),
    "application/vnd.oasis.opendocument.text": frozenset({"odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": frozenset({"ods"}),
    "application/vnd.oasis.opendocument.presentation": frozenset({"odp"}),
    TEXT: frozenset({"txt", "md", "csv"}),
}
SNIFF_BYTES = 8192
CHUNK = 64 * 1024
# Control characters other than tab, newline, form feed and carriage return: not text.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Checked:
    name: str
    size: int
    content_type: str


def _refused(message: str, code: str) -> ValidationError:
    return ValidationError({"file": [ValidationError(message, code=code)]})


def max_bytes() -> int:
    return int(settings.TANDEM_ATTACHMENT_MAX_BYTES)


def too_large_message() -> str:
    return _("The file is too large: attach at most %(size)s.") % {
        "size": filesizeformat(max_bytes())
    }


def clean_name(raw: str) -> str:
    """The file name without any folder, control character or surrounding space."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = _UNSAFE_NAME.sub("", name).strip().strip(".")
    if not name:
        raise _refused(_("The file has no name."), "name")
    if len(name) > NAME_MAX_LENGTH:
        raise _refused(
            _("Keep the file name under %(max)s characters.") % {"max": NAME_MAX_LENGTH}, "name"
        )
    return name


def _is_text(upload: Any) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        while chunk := upload.read(CHUNK):
            if _BINARY.search(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sniff(upload: Any) -> str | None:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    return TEXT if _is_text(upload) else None


def wrong_type_message() -> str:
    return _(
        "Tandem takes PDF files, images (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint and "
        "OpenDocument files and plain text, with a name that matches what the file is."
    )


def check_upload(upload: Any) -> Checked:
    """Raise ValidationError (code "too_large", "empty", "name" or "type") for a file Tandem
    does not take; otherwise its clean name, size and real type."""
    size = int(upload.size or 0)
    if size > max_bytes():
        raise _refused(too_large_message(), "too_large")
    if size == 0:
        raise _refused(_("The file is empty."), "empty")
    name = clean_name(getattr(upload, "name", "") or "")
    content_type = _sniff(upload)
    upload.seek(0)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type not in ALLOWED or extension not in ALLOWED[content_type]:
        raise _refused(wrong_type_message(), "type")
    return Checked(name=name, size=size, content_type=content_type)


def error_status(exc: ValidationError) -> int:
    """The API's status for a refused file: 413 too large, 415 a type Tandem does not take,
    422 anything else."""
    codes = {e.code for errors in getattr(exc, "error_dict", {}).values() for e in errors}
    codes |= {e.code for e in getattr(exc, "error_list", [])}
    if "too_large" in codes:
        return 413
    if "type" in codes:
        return 415
    return 422
