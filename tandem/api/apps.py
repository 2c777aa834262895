from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tandem.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from tandem.accounts.personal_data import register_personal_data
        from tandem.api import privacy

        register_personal_data(
            "api", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
