from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "tandem.programs"
    label = "programs"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from tandem.people import hooks
        from tandem.programs import selectors

        hooks.register_relation(hooks.PROGRAMME, selectors.users_share_programme)

        from tandem.core.home import register_home_panel

        register_home_panel(
            "checkins", 40, "programs/_home_panel.html", selectors.checkins_home_panel
        )
