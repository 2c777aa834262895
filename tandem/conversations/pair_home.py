"""The mentorship page's conversation section (registered with
`tandem.mentorships.pair_home`): how many messages, the latest, how many are new to the
reader, and the way in. One query. Never a message's text: the page shows that on its own."""

from __future__ import annotations

from typing import Any

from tandem.conversations import selectors
from tandem.conversations.models import Subject


def pair_conversation(mentorship: Any, viewer: Any) -> dict[str, Any] | None:
    conversation = selectors.pair_summary(kind=Subject.MENTORSHIP, subject=mentorship, user=viewer)
    is_open = selectors.thread_is_open(Subject.MENTORSHIP, mentorship)
    if conversation is None and not is_open:
        return None
    return {
        "conversation": conversation,
        "is_open": is_open,
        "url": selectors.url_for(Subject.MENTORSHIP, mentorship.pk),
    }
