"""Conversation pages: the list, a conversation, and the fragment its page polls."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tandem.attachments import checks as attachment_checks
from tandem.conversations import selectors, services
from tandem.conversations.forms import MessageForm
from tandem.core.forms import apply_service_errors

# Seconds between two looks for new messages on an open conversation's page.
POLL_SECONDS = 5


@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = list(selectors.conversations_for_user(user=request.user)[:100])
    rows = [
        {"conversation": c, "thread": selectors.thread_of(c), "unread": c.unread}  # type: ignore[attr-defined]
        for c in conversations
    ]
    return render(request, "conversations/list.html", {"rows": rows})


@login_required
@never_cache
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The navigation's unread-messages badge (the `unread_messages` badge registered in
    apps.py), which every page loads after itself and refreshes every minute."""
    return render(request, "conversations/_badge.html")


def _read(request: HttpRequest, thread: selectors.Thread) -> list[Any]:
    """The messages a page shows, marked read up to the last of them (not up to whatever
    arrived since they were fetched)."""
    shown = selectors.messages_for(thread=thread)
    if shown:
        services.conversation_mark_read(thread=thread, user=request.user, up_to=shown[-1].pk)
    return shown


def _context(
    request: HttpRequest,
    thread: selectors.Thread,
    form: MessageForm,
    shown: list[Any] | None = None,
) -> dict[str, Any]:
    return {
        "thread": thread,
        "other": thread.other(request.user),
        "messages_shown": selectors.messages_for(thread=thread) if shown is None else shown,
        "form": form,
        "is_open": thread.is_open,
        "closed_reason": selectors.closed_reason(thread.kind),
        "poll_seconds": POLL_SECONDS,
        "max_bytes": settings.TANDEM_ATTACHMENT_MAX_BYTES,
    }


@login_required
@never_cache
def thread_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """GET: the conversation (marked read). POST: a message (HTMX gets the refreshed
    conversation back; a plain form is redirected to the page)."""
    thread = selectors.get_thread_for_user(request.user, kind, pk)
    form = MessageForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.message_post(
                    thread=thread,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    upload=form.cleaned_data.get("file"),
                )
            except services.ConversationClosed as exc:
                form.add_error(None, exc.messages)
                status = 409
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = attachment_checks.error_status(exc)
            else:
                if not request.htmx:  # type: ignore[attr-defined]
                    messages.success(request, _("Your message is sent."))
                    return redirect(thread.url)
                form = MessageForm()
        else:
            status = 422
    shown = _read(request, thread) if request.method != "POST" else None
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx answers: the refusal is shown in the fragment it gets back.
        return render(request, "conversations/_thread.html", _context(request, thread, form, shown))
    return render(
        request, "conversations/thread.html", _context(request, thread, form, shown), status=status
    )


@login_required
@never_cache
@require_GET
def thread_messages(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The messages alone, which the open page fetches every few seconds; seeing them marks
    them read."""
    thread = selectors.get_thread_for_user(request.user, kind, pk)
    return render(
        request,
        "conversations/_messages.html",
        {
            "thread": thread,
            "messages_shown": _read(request, thread),
            "is_open": thread.is_open,
            "poll_seconds": POLL_SECONDS,
        },
    )
