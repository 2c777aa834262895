from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BinderConfig(AppConfig):
    name = "tandem.binder"
    label = "binder"
    verbose_name = _("Binder")
