"""The log only grows: Python refuses changes and deletions, and so does PostgreSQL's
trigger, except the retention purge of rows past TANDEM_AUDIT_RETENTION_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tandem.audit.models import Action, AppendOnlyError, AuditEvent
from tandem.audit.services import audit_purge, audit_record
from tandem.audit.tasks import PERIODIC_TASKS, purge_audit_log
from tandem.core.periodic import periodic_tasks

pytestmark = pytest.mark.django_db


def _event(actor, *, days_ago: float = 0, target: str = "x") -> AuditEvent:
    """An event dated `days_ago` (created with its date: never changed afterwards)."""
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.email,
        action=Action.VIEW,
        target=target,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_a_stored_event_cannot_be_saved_again_or_deleted(manager):
    event = audit_record(actor=manager, action=Action.VIEW, target="programme:1")
    event.target = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(target="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["target"])
    assert AuditEvent.objects.get(pk=event.pk).target == "programme:1"


def test_deleting_an_account_keeps_its_trail(outsider, manager):
    audit_record(actor=outsider, action=Action.EXPORT, subject_user=manager, target="people")
    audit_record(actor=manager, action=Action.VIEW, subject_user=outsider, target="people")
    outsider_pk, email = outsider.pk, outsider.email
    outsider.delete()
    first, second = AuditEvent.objects.filter(target="people").order_by("pk")
    assert (first.actor_id, first.actor_label) == (outsider_pk, email)
    assert (second.subject_user_id, second.subject_label) == (outsider_pk, email)


def test_the_purge_deletes_only_events_past_the_retention(settings, manager):
    settings.TANDEM_AUDIT_RETENTION_DAYS = 30
    old = _event(manager, days_ago=31, target="old")
    kept = _event(manager, days_ago=29, target="kept")
    assert audit_purge() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert audit_purge() == 0  # idempotent


def test_the_purge_works_in_batches(settings, manager, monkeypatch):
    from tandem.audit import services

    monkeypatch.setattr(services, "PURGE_BATCH", 2)
    settings.TANDEM_AUDIT_RETENTION_DAYS = 1
    for i in range(5):
        _event(manager, days_ago=2 + i)
    _event(manager, days_ago=0)
    assert audit_purge() == 5
    assert AuditEvent.objects.count() == 1


def test_the_purge_is_a_periodic_task(settings, manager):
    assert purge_audit_log in periodic_tasks() and [purge_audit_log] == PERIODIC_TASKS
    settings.TANDEM_AUDIT_RETENTION_DAYS = 400
    _event(manager, days_ago=401)
    _event(manager, days_ago=1)
    result = purge_audit_log.enqueue()  # tasks run at once in tests
    assert result.return_value == 1
    assert AuditEvent.objects.count() == 1


@pytest.mark.postgres
def test_postgres_refuses_update_and_delete_behind_the_models_back(manager):
    event = _event(manager, days_ago=1000)
    for sql in [
        "UPDATE audit_auditevent SET target = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).target == "x"


@pytest.mark.postgres
def test_postgres_lets_the_purge_delete_only_rows_older_than_its_cut_off(settings, manager):
    settings.TANDEM_AUDIT_RETENTION_DAYS = 30
    old = _event(manager, days_ago=31)
    recent = _event(manager, days_ago=1)
    # Even with the purge's setting, a recent row stays: the trigger compares each row.
    cutoff = (timezone.now() - timedelta(days=30)).isoformat()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('tandem.audit_purge_before', %s, true)", [cutoff])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [recent.pk])
    assert audit_purge() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    # The setting does not outlive the purge's transaction.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('tandem.audit_purge_before', true)")
        assert cursor.fetchone()[0] in (None, "")
