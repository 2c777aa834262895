from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BinderConfig(AppConfig):
    name = "tandem.binder"
    label = "binder"
    verbose_name = _("Binder")

    def ready(self) -> None:
        from tandem.binder.selectors import meeting_assignment_items, meeting_plan_items
        from tandem.binder.services import meeting_action_plan_add, meeting_assignment_add
        from tandem.meetings.action_items import Destination, register_destination

        register_destination(Destination.PLAN, meeting_action_plan_add, meeting_plan_items)
        register_destination(
            Destination.ASSIGNMENT, meeting_assignment_add, meeting_assignment_items
        )

        from tandem.binder.selectors import home_panel
        from tandem.core.home import register_home_panel

        register_home_panel("assignments", 30, "binder/_home_panel.html", home_panel)

        from tandem.binder.pair_home import pair_binder, pair_together
        from tandem.mentorships.pair_home import register_pair_section

        register_pair_section("binder", 30, "binder/_pair_binder.html", pair_binder)
        register_pair_section("together", 40, "binder/_pair_together.html", pair_together)

        from tandem.binder.files import register as register_file_kinds

        register_file_kinds()
