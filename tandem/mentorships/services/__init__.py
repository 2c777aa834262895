"""Writes for mentorships. Every state change goes through `states.py`'s allowed arrows.

Concurrency: the per-pair invariants are partial unique constraints (models.py). The mentor's
capacity is guarded by locking the mentor's user row (`select_for_update`) before counting
live mentorships, so two accepts for the last slot run one after the other: the first wins,
the second is refused with a clear message. Requests lock the mentee's row the same way so the
"at most N open requests" limit holds too.

One module per part of a mentorship's life: tryouts, requests, agreements, reviews, endings,
reminders; `_common` holds what they share. Callers import from this package.
"""

from __future__ import annotations

from tandem.mentorships.services._common import (
    add_months,
    expiry_reminder_days,
    max_open_requests,
    request_expiry_days,
)
from tandem.mentorships.services.agreements import agreement_propose, agreement_sign
from tandem.mentorships.services.endings import (
    closing_add,
    mentorship_close_inactive,
    mentorship_end,
    mentorship_pause,
    mentorship_resume,
    relationships_end_for_departed,
)
from tandem.mentorships.services.reminders import reminders_run
from tandem.mentorships.services.requests import (
    DECLINE_TEMPLATES,
    mentorship_start_from_contact,
    refusal_reason,
    request_accept,
    request_decline,
    request_send,
    request_think,
    request_withdraw,
)
from tandem.mentorships.services.reviews import checkin_submit, review_open
from tandem.mentorships.services.tryouts import (
    tryout_answer,
    tryout_ask,
    tryout_let_go,
    tryout_withdraw,
)

__all__ = [
    "DECLINE_TEMPLATES",
    "add_months",
    "agreement_propose",
    "agreement_sign",
    "checkin_submit",
    "closing_add",
    "expiry_reminder_days",
    "max_open_requests",
    "mentorship_close_inactive",
    "mentorship_end",
    "mentorship_pause",
    "mentorship_resume",
    "mentorship_start_from_contact",
    "refusal_reason",
    "relationships_end_for_departed",
    "reminders_run",
    "request_accept",
    "request_decline",
    "request_expiry_days",
    "request_send",
    "request_think",
    "request_withdraw",
    "review_open",
    "tryout_answer",
    "tryout_ask",
    "tryout_let_go",
    "tryout_withdraw",
]
