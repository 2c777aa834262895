from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipsConfig(AppConfig):
    name = "tandem.mentorships"
    label = "mentorships"
    verbose_name = _("Mentorships")

    def ready(self) -> None:
        from tandem.accounts.personal_data import register_personal_data
        from tandem.mentorships import privacy

        register_personal_data(
            "mentorships", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
        from tandem.accounts.signals import account_deactivated
        from tandem.mentorships import selectors, services

        account_deactivated.connect(
            lambda sender, user, **kw: services.relationships_end_for_departed(user=user),
            weak=False,
            dispatch_uid="mentorships.relationships_end_for_departed",
        )
        from tandem.people import hooks

        hooks.register_relation(hooks.MENTORSHIP, selectors.users_share_mentorship)

        from tandem.core.home import register_home_panel

        register_home_panel("requests", 10, "mentorships/_home_panel.html", selectors.home_panel)

        from tandem.mentorships.asking import profile_ask_panel

        hooks.register_profile_panel("ask", 10, "mentorships/_profile_ask.html", profile_ask_panel)
        hooks.register_mentee_counts(
            count=selectors.active_mentee_count, subquery=selectors.active_mentee_count_subquery
        )
