"""allauth adapter: every account email is rendered in the recipient's language and goes out
through the sender notifications registers (`tandem.accounts.hooks`): the outbox, delivered
by the task worker."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from tandem.accounts.hooks import email_sender
from tandem.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = User.objects.filter(email__iexact=email).first()
        language = user.language if user else translation.get_language() or "en"
        with translation.override(language):
            msg = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(msg, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        email_sender()(
            to=email,
            subject=str(msg.subject),
            body_text=str(msg.body),
            body_html=html,
            kind=template_prefix.rsplit("/", 1)[-1],
        )
