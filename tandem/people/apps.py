from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _link_manager_on_confirmation(email_address: Any, **kwargs: Any) -> None:
    """An address is confirmed: whoever gave it as their manager's is linked now."""
    from tandem.people.services import profiles_link_manager

    profiles_link_manager(user=email_address.user)


def _join_organisation(user: Any, **kwargs: Any) -> None:
    """A new account (single sign-on: just in time) or a newly confirmed address: a verified
    email at an organisation's domain joins that organisation."""
    from tandem.people.services import profile_join_organisation_by_email

    profile_join_organisation_by_email(user=user)


def _join_organisation_on_confirmation(email_address: Any, **kwargs: Any) -> None:
    _join_organisation(email_address.user)


class PeopleConfig(AppConfig):
    name = "tandem.people"
    label = "people"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        from tandem.accounts.personal_data import register_personal_data
        from tandem.people import privacy

        register_personal_data(
            "people", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
        from allauth.account.signals import email_confirmed, user_signed_up

        from tandem.accounts.hooks import register_email_domain_policy, register_mfa_role
        from tandem.core.home import register_home_panel
        from tandem.people.selectors import (
            administers_any_organisation,
            email_domain_policy,
            home_panel,
        )

        register_home_panel("profile", 90, "people/_home_panel.html", home_panel)

        email_confirmed.connect(
            _link_manager_on_confirmation, dispatch_uid="people-link-manager-on-confirmation"
        )
        email_confirmed.connect(
            _join_organisation_on_confirmation, dispatch_uid="people-join-organisation-confirmed"
        )
        user_signed_up.connect(_join_organisation, dispatch_uid="people-join-organisation-signup")
        register_email_domain_policy(email_domain_policy)
        register_mfa_role("org_admins", administers_any_organisation)

        from django.contrib.auth.signals import user_logged_in

        from tandem.core.navigation import register_nav_item
        from tandem.people import organisation_nav

        register_nav_item(organisation_nav.NAV_ITEM)
        user_logged_in.connect(
            organisation_nav.remember_on_login, dispatch_uid="people-organisations-nav"
        )
