"""Writes to the audit log: `audit_record` (every app above accounts calls it), `audit_scope`
(a service's context for the events recorded by themselves inside it), and the retention
purge (`audit_purge`, the periodic task in tasks.py)."""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from tandem.accounts.models import User
from tandem.audit.models import Action, AuditEvent

# The request being served, so that a change recorded from a signal (a right granted in the
# admin, say) knows who made it. Set by `middleware.AuditMiddleware`.
_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "tandem_audit_request", default=None
)


@dataclass(frozen=True)
class _Scope:
    actor: User | None
    target: str
    detail: dict[str, Any] = field(default_factory=dict)


_scope: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "tandem_audit_scope", default=None
)

PURGE_BATCH = 5000
PURGE_SETTING = "tandem.audit_purge_before"


@contextmanager
def current_request(request: HttpRequest) -> Iterator[None]:
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


@contextmanager
def audit_scope(*, actor: User | None, target: str = "", **detail: Any) -> Iterator[None]:
    """The context of a change whose event is recorded by itself (`recorders`: a right given
    through `user.user_permissions.add`, say). Inside the block, an event that names no
    actor names `actor`, and `target` and `detail` come before the event's own: the service
    that made the change is on record once, with what it knows ("organisation:3 user:9"),
    even without a request (a command, a task, a test)."""
    token = _scope.set(_Scope(actor=actor, target=target, detail=dict(detail)))
    try:
        yield
    finally:
        _scope.reset(token)


def _client_ip(request: HttpRequest) -> str | None:
    from allauth.account.adapter import get_adapter

    try:  # allauth refuses a request with no address at all (PermissionDenied)
        return str(ipaddress.ip_address(get_adapter(request).get_client_ip(request)))
    except (PermissionDenied, ValueError):
        return None


def _label(user: Any) -> str:
    return (getattr(user, "email", "") or "")[:254]


def _request_user(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None) if request is not None else None
    return user if isinstance(user, User) and user.is_authenticated else None


def audit_record(
    *,
    actor: User | None,
    action: str,
    subject_user: User | int | None = None,
    target: str = "",
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: `actor` did `action` (an `Action`) to `subject_user`'s data or to
    `target` ("programme:12", "run:3", ...). The request, if given (else the one being
    served), gives the address, method and path; an actor left out is its signed-in user
    (none for the command line or a task). One INSERT (a subject given by id costs one more
    query, for its label), under the caller's transaction when there is one, with no
    savepoint of its own: the event of a change that rolls back goes with it."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    with transaction.atomic(savepoint=False):
        return _record(
            actor=actor,
            action=action,
            subject_user=subject_user,
            target=target,
            request=request,
            detail=detail,
        )


def _record(
    *,
    actor: User | None,
    action: str,
    subject_user: User | int | None,
    target: str,
    request: HttpRequest | None,
    detail: dict[str, Any] | None,
) -> AuditEvent:
    request = request if request is not None else _current_request.get()
    scope = _scope.get()
    if scope is not None:
        actor = actor if actor is not None else scope.actor
        target = " ".join(part for part in (scope.target, target) if part)
        detail = {**scope.detail, **(detail or {})}
    actor = actor if actor is not None else _request_user(request)
    subject: User | None
    if isinstance(subject_user, int):
        subject = User.objects.filter(pk=subject_user).only("pk", "email").first()
        subject_id: int | None = subject_user
    else:
        subject, subject_id = subject_user, getattr(subject_user, "pk", None)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=_label(actor),
        action=action,
        subject_user_id=subject_id,
        subject_label=_label(subject),
        target=target[:200],
        method=(request.method or "")[:8] if request is not None else "",
        path=request.path[:300] if request is not None else "",
        ip=_client_ip(request) if request is not None else None,
        detail=detail or {},
    )


def audit_purge(*, now: Any = None) -> int:
    """Delete the events older than TANDEM_AUDIT_RETENTION_DAYS, in batches, each in its own
    transaction. On PostgreSQL each transaction first tells the append-only trigger the
    cut-off (a transaction-local setting, cleared again right after): the trigger lets a
    DELETE through only for rows older than it, so not even the purge can remove a recent
    event. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TANDEM_AUDIT_RETENTION_DAYS)
    connection = connections[router.db_for_write(AuditEvent)]
    deleted = 0
    while True:
        with transaction.atomic(using=connection.alias):
            ids = list(
                AuditEvent.objects.filter(created_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:PURGE_BATCH]
            )
            if not ids:
                return deleted
            _purge_setting(connection, cutoff.isoformat())
            deleted += AuditEvent.objects.filter(pk__in=ids, created_at__lt=cutoff)._purge()
            _purge_setting(connection, "")  # also when called inside a longer transaction


def _purge_setting(connection: Any, value: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, value])
