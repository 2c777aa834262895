"""The development inbox: the mail Django's filebased backend wrote under EMAIL_FILE_PATH.

Each backend connection writes one `.log` file; its messages are separated by a line of 79
dashes. Staff only (anyone else gets a 404), so nobody reads other people's mail."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

SEPARATOR = "-" * 79


@dataclass(frozen=True)
class MailFile:
    name: str
    size: int
    modified: datetime


@dataclass(frozen=True)
class Message:
    subject: str
    sender: str
    to: str
    date: str
    body: str


def mail_dir() -> Path:
    return Path(getattr(settings, "EMAIL_FILE_PATH", "") or settings.DATA_DIR / "mail")


def mail_files() -> list[MailFile]:
    folder = mail_dir()
    if not folder.is_dir():
        return []
    files = [
        MailFile(p.name, p.stat().st_size, datetime.fromtimestamp(p.stat().st_mtime, tz=UTC))
        for p in folder.iterdir()
        if p.is_file() and p.suffix == ".log"
    ]
    return sorted(files, key=lambda f: (f.modified, f.name), reverse=True)


def _text_of(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def parse_messages(raw: str) -> list[Message]:
    messages = []
    for chunk in raw.split("\n" + SEPARATOR + "\n"):
        chunk = chunk.strip("\n")
        if not chunk or chunk == SEPARATOR:
            continue
        parsed = email.message_from_string(chunk, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        messages.append(
            Message(
                subject=str(parsed.get("Subject", "")),
                sender=str(parsed.get("From", "")),
                to=str(parsed.get("To", "")),
                date=str(parsed.get("Date", "")),
                body=_text_of(parsed),
            )
        )
    return messages


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return render(request, "core/inbox.html", {"files": mail_files(), "folder": mail_dir()})


@login_required
def inbox_file(request: HttpRequest, name: str) -> HttpResponse:
    _require_staff(request)
    # Only names the listing offers: no path can leave the folder.
    if name not in {f.name for f in mail_files()}:
        raise Http404
    raw = (mail_dir() / name).read_text(encoding="utf-8", errors="replace")
    return render(request, "core/inbox_file.html", {"name": name, "messages_": parse_messages(raw)})
