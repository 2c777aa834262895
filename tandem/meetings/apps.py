from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        import tandem.meetings.system_checks  # noqa: F401  (registers the check)
        from tandem.accounts.personal_data import register_personal_data
        from tandem.meetings import privacy

        register_personal_data(
            "meetings", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
        from tandem.core.home import register_home_panel
        from tandem.meetings.selectors import home_panel

        register_home_panel("meeting", 20, "meetings/_home_panel.html", home_panel)

        from tandem.meetings.pair_home import pair_meetings
        from tandem.mentorships.pair_home import register_pair_section

        register_pair_section("meetings", 10, "meetings/_pair_home.html", pair_meetings)

        from tandem.meetings.services.endings import on_mentorship_ended, on_tryout_closed
        from tandem.mentorships.signals import mentorship_ended, tryout_closed

        mentorship_ended.connect(on_mentorship_ended, dispatch_uid="meetings.end_with_mentorship")
        tryout_closed.connect(on_tryout_closed, dispatch_uid="meetings.end_with_tryout")
