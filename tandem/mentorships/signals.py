"""Signals the mentorships app sends, for apps above it to connect in their
`AppConfig.ready()` (the app never imports them; see CONTRIBUTING.md, "Layers").

`request_answered`: a request or an invitation stopped waiting for its answer: accepted,
declined, withdrawn, or expired unanswered. Sent once, after the transaction that answered it
commits (`transaction.on_commit`), so a receiver reads the answer from the database and
cannot undo it; a receiver that fails is logged, and the answer stands.

Arguments:
- `sender`: the `MentorshipRequest` class;
- `request`: the request (its `status` is the new one);
- `outcome`: that status, a `MentorshipRequest.Status` value;
- `mentorship`: the mentorship an accepted request became, else None.

`mentorship_ended`: a live mentorship ended (completed, ended by one side, or ended by Tandem:
an account deleted or deactivated, a long silence). Sent inside the transaction that ends it,
so what a receiver changes (meetings cancels the meetings still ahead) commits with the end or
not at all. Arguments: `sender` (the `Mentorship` class), `mentorship` (ended), `by` (the
person who ended it, None when Tandem did), `now`.

`tryout_closed`: a try-out question was answered, let go by the mentor or withdrawn by the
mentee, or one of its two people left Tandem. Sent inside the transaction that closes it.
Arguments: `sender` (the `TryOut` class), `tryout` (its `status` is the new one), `by` (who
closed it), `now`, `departed` (True when `by` left Tandem: whatever was planned with them ends,
an answered question's meeting too).
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import transaction
from django.dispatch import Signal

from tandem.accounts.models import User
from tandem.mentorships.models import Mentorship, MentorshipRequest, TryOut

request_answered = Signal()
mentorship_ended = Signal()
tryout_closed = Signal()


def send_request_answered(req: MentorshipRequest, mentorship: Mentorship | None = None) -> None:
    """Send `request_answered` for `req` once the current transaction commits (at once
    outside one). The services that answer a request call this, and only they."""
    transaction.on_commit(
        functools.partial(
            request_answered.send,
            sender=MentorshipRequest,
            request=req,
            outcome=str(req.status),
            mentorship=mentorship,
        ),
        robust=True,
    )


def send_mentorship_ended(mentorship: Mentorship, *, by: User | None, now: dt.datetime) -> None:
    """Send `mentorship_ended` now, in the caller's transaction (`_finish` calls this, and only
    it)."""
    mentorship_ended.send(sender=Mentorship, mentorship=mentorship, by=by, now=now)


def send_tryout_closed(
    tryout: TryOut, *, by: User, now: dt.datetime, departed: bool = False
) -> None:
    """Send `tryout_closed` now, in the caller's transaction (`_close_tryout` and a departure
    call this)."""
    tryout_closed.send(sender=TryOut, tryout=tryout, by=by, now=now, departed=departed)
