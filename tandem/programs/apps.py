from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _follow_request(sender: Any, *, request: Any, mentorship: Any = None, **kwargs: Any) -> None:
    """Mentorships' `request_answered`: a programme match follows its request's answer."""
    from tandem.programs.services import match_follow_request

    match_follow_request(
        request_id=request.pk, mentorship_id=mentorship.pk if mentorship is not None else None
    )


class ProgramsConfig(AppConfig):
    name = "tandem.programs"
    label = "programs"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from tandem.mentorships.signals import request_answered
        from tandem.people import hooks
        from tandem.programs import selectors

        hooks.register_relation(hooks.PROGRAMME, selectors.users_share_programme)
        request_answered.connect(_follow_request, dispatch_uid="programs.follow_request")

        from tandem.meetings.sources import register_feed_source, register_reminder_source
        from tandem.programs.circle_feed import circle_events, send_circle_reminders

        register_feed_source("circles", circle_events)
        register_reminder_source("circles", send_circle_reminders)

        from tandem.core.home import register_home_panel

        register_home_panel(
            "checkins", 40, "programs/_home_panel.html", selectors.checkins_home_panel
        )
