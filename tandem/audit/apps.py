from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tandem.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from tandem.audit import recorders

        recorders.connect()

        from tandem.accounts.personal_data import register_personal_data
        from tandem.audit import privacy

        register_personal_data(
            "audit", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
