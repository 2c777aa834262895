"""Idempotent API writes: a client that sends `Idempotency-Key: <unique value>` with a POST,
PUT, PATCH or DELETE may retry it (after a timeout, a dropped connection, a killed worker)
and gets the first response back instead of a second write.

One middleware covers every write endpoint of the API. The key is stored per person, with
the response, for IDEMPOTENCY_KEY_HOURS. The key's row is inserted in the same transaction
as the write itself, so the two commit together or not at all, and a concurrent retry waits
on the row (PostgreSQL) and then replays the committed response. Responses that changed
nothing and may succeed on a retry (not signed in, forbidden, rate-limited, server errors)
are not kept, and a server error rolls the write back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
NOT_KEPT = {401, 403, 429}


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode() + b"\0")
    if request.content_type == "multipart/form-data":  # an upload: not read into memory here
        digest.update(request.META.get("CONTENT_LENGTH", "").encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _is_api(request: HttpRequest) -> bool:
    from tandem.api.api import api

    try:
        return resolve(request.path_info).namespace == api.urls_namespace
    except Resolver404:
        return False


def _requester(request: HttpRequest) -> Any:
    """The person making the request, as the API will authenticate them (session or token)."""
    from tandem.accounts.selectors import user_for_api_key

    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return user_for_api_key(token.strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _replay(record: Any) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status)
    if record.content_type:
        response["Content-Type"] = record.content_type
    response[REPLAYED_HEADER] = "true"
    return response


def idempotent_response_prune(*, now: Any = None) -> int:
    from tandem.api.models import IdempotentResponse

    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    deleted, _by_model = IdempotentResponse.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class IdempotencyKeyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER, "").strip()
        if not key or request.method not in WRITES or not _is_api(request):
            return self.get_response(request)
        if len(key) > 255:
            return JsonResponse({"detail": _("The Idempotency-Key is too long.")}, status=400)
        user = _requester(request)
        if user is None:  # the API refuses the request itself; nothing to remember
            return self.get_response(request)
        return self._once(request, user, key)

    def _once(self, request: HttpRequest, user: Any, key: str) -> HttpResponse:
        from tandem.api.models import IdempotentResponse

        fingerprint = _fingerprint(request)
        cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
        IdempotentResponse.objects.filter(user=user, key=key, created_at__lt=cutoff).delete()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotentResponse.objects.create(
                        user=user, key=key, fingerprint=fingerprint, status=0, body=b""
                    )
            except IntegrityError:
                first = IdempotentResponse.objects.get(user=user, key=key)
                if first.fingerprint != fingerprint:
                    message = _("This Idempotency-Key was already used for another request.")
                    return JsonResponse({"detail": message}, status=422)
                return _replay(first)
            response = self.get_response(request)
            if response.status_code >= 500 or response.status_code in NOT_KEPT:
                transaction.set_rollback(True)
                return response
            if response.streaming:  # not replayable: let a retry run again
                record.delete()
                return response
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = response.content
            record.save(update_fields=["status", "content_type", "body"])
            return response
