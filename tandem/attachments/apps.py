from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "tandem.attachments"
    label = "attachments"
    verbose_name = _("Attachments")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        import tandem.attachments.system_checks  # noqa: F401  (registers the check)
        from tandem.attachments.models import Attachment
        from tandem.attachments.services import _remove_file_on_commit

        post_delete.connect(
            _remove_file_on_commit, sender=Attachment, dispatch_uid="attachments_remove_file"
        )
