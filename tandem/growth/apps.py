from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    name = "tandem.growth"
    label = "growth"
    verbose_name = _("Growth and network")

    def ready(self) -> None:
        from tandem.accounts.personal_data import register_personal_data
        from tandem.growth import privacy

        register_personal_data(
            "growth", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
        from tandem.growth.pair_home import pair_goals
        from tandem.mentorships.pair_home import register_pair_section

        register_pair_section("goals", 50, "growth/_pair_home.html", pair_goals)
