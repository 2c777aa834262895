from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisioningConfig(AppConfig):
    name = "tandem.provisioning"
    label = "provisioning"
    verbose_name = _("Provisioning")

    def ready(self) -> None:
        from tandem.accounts.personal_data import register_personal_data
        from tandem.provisioning import privacy

        register_personal_data(
            "provisioning", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
