"""Signals the accounts app sends; higher apps connect to them in `AppConfig.ready()`."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that deactivates an account (SCIM, a staff tool, or the person
# deleting their own account), with `user` and `reason` (an `AccountClosure` value). Each app
# that keeps relationships ends them there, so they end in the same transaction: mentorships
# end with a notice to the other person, open requests and questions close. What the other
# person wrote stays theirs.
account_deactivated = Signal()
