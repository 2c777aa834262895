"""The mentorship pages, one module per sub-domain; `views.<name>` reads as before."""

from __future__ import annotations

from tandem.mentorships.views.agreements import (
    agreement_edit,
    agreement_history,
    agreement_sign,
    mentorship_detail,
)
from tandem.mentorships.views.requests import (
    invite_new,
    mentorship_url,
    request_accept,
    request_decline,
    request_detail,
    request_new,
    request_page,
    request_think,
    request_withdraw,
)
from tandem.mentorships.views.reviews import (
    checkin,
    closing_add,
    mentorship_end,
    mentorship_pause,
    mentorship_resume,
    review_start,
)
from tandem.mentorships.views.tryouts import (
    mentorship_list,
    tryout_answer,
    tryout_let_go,
    tryout_new,
    tryout_withdraw,
)

__all__ = [
    "agreement_edit",
    "agreement_history",
    "agreement_sign",
    "checkin",
    "closing_add",
    "invite_new",
    "mentorship_detail",
    "mentorship_end",
    "mentorship_list",
    "mentorship_pause",
    "mentorship_resume",
    "mentorship_url",
    "request_accept",
    "request_decline",
    "request_detail",
    "request_new",
    "request_page",
    "request_think",
    "request_withdraw",
    "review_start",
    "tryout_answer",
    "tryout_let_go",
    "tryout_new",
    "tryout_withdraw",
]
