"""The secret address of a person's calendar feed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User, hash_token
from tandem.meetings.models import CalendarFeed, new_feed_token


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> tuple[CalendarFeed, str]:
    """A new secret feed address (the first one, or a replacement: the old one stops working
    at once). Returns the feed and its raw token, which is stored only as a hash: show the
    address now, it cannot be shown again."""
    raw = new_feed_token()
    feed = CalendarFeed.objects.select_for_update().filter(user_id=user.pk).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(raw))
    else:
        feed.token_hash = hash_token(raw)
        feed.regenerated_at = timezone.now()
        feed.save(update_fields=["token_hash", "regenerated_at"])
    return feed, raw
