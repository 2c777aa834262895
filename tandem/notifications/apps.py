from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tandem.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tandem.accounts.personal_data import register_personal_data
        from tandem.notifications import privacy

        register_personal_data(
            "notifications", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
        from tandem.accounts.hooks import register_email_sender
        from tandem.core.navigation import register_badge
        from tandem.notifications.selectors import unread_count
        from tandem.notifications.services import email_queue_message

        register_badge("unread_notifications", unread_count)
        register_email_sender(email_queue_message)

        from django_tasks.signals import task_finished, task_started

        task_started.connect(_bulk_task_started, dispatch_uid="notifications.bulk_started")
        task_finished.connect(_bulk_task_finished, dispatch_uid="notifications.bulk_finished")


# A task on the bulk queue (reminder runs, digests) queues its emails for bulk delivery:
# batches on the bulk queue sharing an SMTP connection, never one task each on default.
_open_batches: dict[str, Any] = {}


def _bulk_task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from tandem.core.periodic import BULK_QUEUE
    from tandem.notifications.services import bulk_emails

    if task_result.task.queue_name == BULK_QUEUE:
        batch = bulk_emails()
        batch.__enter__()
        _open_batches[task_result.id] = batch


def _bulk_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    batch = _open_batches.pop(task_result.id, None)
    if batch is not None:
        batch.__exit__(None, None, None)
