from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tandem.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tandem.accounts.hooks import register_email_sender
        from tandem.core.navigation import register_badge
        from tandem.notifications.selectors import unread_count
        from tandem.notifications.services import email_queue_message

        register_badge("unread_notifications", unread_count)
        register_email_sender(email_queue_message)
