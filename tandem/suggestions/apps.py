from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "tandem.suggestions"
    label = "suggestions"
    verbose_name = _("Find a mentor")

    def ready(self) -> None:
        from tandem.suggestions import checks, index, vectors

        checks.register_all()
        index.connect_signals()
        vectors.connect_signals()
