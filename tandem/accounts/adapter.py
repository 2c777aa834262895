"""allauth adapter: every account email is rendered in the recipient's language and goes out
through the sender notifications registers (`tandem.accounts.hooks`): the outbox, delivered
by the task worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils import translation

from tandem.accounts.hooks import email_sender
from tandem.accounts.models import User


@dataclass(frozen=True)
class SiteInfo:
    """What allauth's emails call `current_site`: Tandem's name and the host of SITE_URL
    (the address people know, not the host a proxy forwarded to)."""

    name: str
    domain: str


def current_site() -> SiteInfo:
    return SiteInfo(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address for rate limits: the X-Forwarded-For entry added by the
        outermost trusted proxy (ALLAUTH_TRUSTED_PROXY_COUNT). A request with fewer entries
        than trusted proxies did not come through them all: its peer address is the client
        (allauth would answer 500)."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            return str(request.META.get("REMOTE_ADDR", ""))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = User.objects.filter(email__iexact=email).first()
        language = user.language if user else translation.get_language() or "en"
        ctx = {
            "request": allauth_context.request,
            "email": email,
            "current_site": current_site(),
            **context,
        }
        with translation.override(language):
            msg = self.render_mail(template_prefix, email, ctx)
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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on (SOCIALACCOUNT_ADAPTER): a first login creates the account just in
    time, named from the identity provider, in the language of the page it came from."""

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = (
            str(data.get("name") or "").strip()
            or " ".join(
                str(data.get(key) or "").strip() for key in ("first_name", "last_name")
            ).strip()
        )
        user.full_name = name[: User._meta.get_field("full_name").max_length]
        user.language = translation.get_language() or "en"
        if user.language not in dict(settings.LANGUAGES):
            user.language = settings.LANGUAGE_CODE
        return user
