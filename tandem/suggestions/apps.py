from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "tandem.suggestions"
    label = "suggestions"
    verbose_name = _("Find a mentor")

    def ready(self) -> None:
        from tandem.accounts.personal_data import register_personal_data
        from tandem.suggestions import privacy

        register_personal_data(
            "suggestions", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
        from tandem.core.warmup import register_warm_up
        from tandem.suggestions import checks, index, vectors

        checks.register_all()
        index.connect_signals()
        vectors.connect_signals()
        register_warm_up("mentor_index", index.warm_up)

        from tandem.mentorships.fit import register_fit_explainer
        from tandem.suggestions.pair import pair_reasons

        register_fit_explainer(pair_reasons)
