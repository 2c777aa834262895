"""Demo: the mentee persona has two mentors saved for later and one marked "not for me".

Idempotent: once the persona has any mark, nothing more is added."""

from __future__ import annotations

from tandem.core.demo import DemoContext
from tandem.suggestions import index, selectors, services
from tandem.suggestions.models import MentorMark


def load(ctx: DemoContext) -> None:
    personas = ctx.data.get("personas") or {}
    mentee = personas.get("mentee")
    if mentee is None or MentorMark.objects.filter(user=mentee).exists():
        return
    index.invalidate()  # profiles were just written in this transaction
    keep_free = {u.pk for u in personas.values()}  # the mentor persona stays unmarked
    found = [
        s.mentor
        for s in selectors.suggestions_for_user(user=mentee, limit=10)
        if s.mentor.pk not in keep_free
    ]
    for mentor in found[:2]:
        services.mentor_save(user=mentee, mentor=mentor)
    for mentor in found[2:3]:
        services.mentor_dismiss(user=mentee, mentor=mentor)
    index.invalidate()
