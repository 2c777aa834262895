"""What accounts needs from the apps above it, registered in their `AppConfig.ready()`.

Accounts sits below notifications, so it never imports it: the allauth adapter hands its
rendered emails to the sender notifications registers here (the outbox, delivered once by
the task worker). With no sender registered, sending fails loudly rather than dropping
mail.

It also holds the single sign-on domain lookup (people: an organisation's email domains) and
the MFA roles (staff here; programme managers from programs), registered the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

EmailSender = Callable[..., Any]
_sender: list[EmailSender] = []


def register_email_sender(sender: EmailSender) -> None:
    """`sender(to=, subject=, body_text=, body_html=, kind=)` queues one email."""
    _sender[:] = [sender]


def email_sender() -> EmailSender:
    if not _sender:
        raise ImproperlyConfigured(
            "No email sender is registered: tandem.notifications must be installed."
        )
    return _sender[0]


# --- Single sign-on: what an email's domain says (people registers it) ---------------------


@dataclass(frozen=True)
class EmailDomainPolicy:
    """An organisation's claim on an email domain: its name, and whether its people must
    sign in through single sign-on (then password login is refused for their addresses)."""

    organisation: str
    sso_required: bool


EmailDomainLookup = Callable[[str], EmailDomainPolicy | None]
_domain_lookup: list[EmailDomainLookup] = []


def register_email_domain_policy(lookup: EmailDomainLookup) -> None:
    """`lookup(email)` gives the policy of the organisation owning the email's domain."""
    _domain_lookup[:] = [lookup]


def email_domain_policy(email: str) -> EmailDomainPolicy | None:
    """No lookup registered means no organisation claims a domain: password login only."""
    return _domain_lookup[0](email) if _domain_lookup else None


# --- MFA: roles that may be required to use a second factor ----------------------------------

MFARolePredicate = Callable[[Any], bool]
_mfa_roles: dict[str, MFARolePredicate] = {}


def register_mfa_role(name: str, predicate: MFARolePredicate) -> None:
    """`predicate(user)` says whether the user holds the role named in
    TANDEM_MFA_REQUIRED_FOR (accounts registers "staff", people "org_admins", programs
    "programme_managers")."""
    _mfa_roles[name] = predicate


def mfa_role_predicates(names: list[str]) -> list[MFARolePredicate]:
    """The predicates of the named roles that are registered (an app not installed has no
    such people)."""
    return [_mfa_roles[name] for name in names if name in _mfa_roles]
