from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from django_tasks_db.models import DBTaskResult

        from tandem.core.periodic import reconnect_if_broken

        pre_save.connect(
            reconnect_if_broken, sender=DBTaskResult, dispatch_uid="core-task-reconnect"
        )
