from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "tandem.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from tandem.conversations.pair_home import pair_conversation
        from tandem.conversations.selectors import unread_message_count, url_for
        from tandem.core.navigation import register_badge
        from tandem.mentorships.pair_home import register_conversation_url, register_pair_section

        register_badge("unread_messages", unread_message_count)
        register_pair_section("conversation", 5, "conversations/_pair_home.html", pair_conversation)
        register_conversation_url(url_for)

        from tandem.conversations.files import register as register_file_kind

        register_file_kind()

        from tandem.accounts.personal_data import register_personal_data
        from tandem.conversations import privacy

        register_personal_data(
            "conversations", export=privacy.export, erase=privacy.erase, models=privacy.MODELS
        )
