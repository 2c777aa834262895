from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """`migrate` creates the shared cache's table (settings.CACHES, where the login rate
    limits are counted) when that cache is the database, as Django's own apps create their
    permissions: a new install, a test database and a switch back from Redis all get it
    without a separate `createcachetable`. Nothing happens when the table exists."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="tandem-cache-table")

        from tandem.accounts.hooks import register_mfa_role

        register_mfa_role("staff", lambda user: bool(user.is_staff))
        from tandem.accounts import privacy
        from tandem.accounts.personal_data import register_personal_data

        register_personal_data(
            "accounts", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
