"""The demo gives the personas' mentorship a conversation with one message the mentee has
not read yet; running it twice adds nothing."""

from __future__ import annotations

import random

import pytest

from tandem.conversations import selectors
from tandem.conversations.models import Message
from tandem.core.demo import DemoContext, tandem_modules

pytestmark = pytest.mark.django_db


def load_demo() -> DemoContext:
    """The demo loaders up to and including the conversations' (later apps are not needed)."""
    ctx = DemoContext(rng=random.Random(2026), password="demo")
    for module in tandem_modules("demo"):
        if module.__name__ != "tandem.core.demo":
            module.load(ctx)
        if module.__name__ == "tandem.conversations.demo":
            break
    return ctx


def test_demo_conversation_idempotently():
    ctx = load_demo()
    mentee, mentor = ctx.data["personas"]["mentee"], ctx.data["personas"]["mentor"]
    assert selectors.unread_message_count(user=mentee) == 1
    assert selectors.unread_message_count(user=mentor) == 0
    count = Message.objects.count()
    assert count >= 4
    load_demo()
    assert Message.objects.count() == count
