"""The attachments tests' registered kind."""

from __future__ import annotations

import pytest

from tandem.attachments import registry

KIND = "test.thing"


@pytest.fixture
def thing_kind(monkeypatch, mentee, mentor):
    """A kind that the mentee and the mentor see and attach to (object 1 only)."""
    pair = {mentee.pk, mentor.pk}
    monkeypatch.setitem(
        registry._KINDS,
        KIND,
        registry.Kind(
            name=KIND,
            can_see=lambda user, attachment: user.pk in pair,
            can_attach=lambda user, object_id: user.pk in pair and object_id == 1,
            url=lambda object_id: "/",
        ),
    )
    return KIND
