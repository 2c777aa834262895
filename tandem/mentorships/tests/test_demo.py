from __future__ import annotations

import pytest

from tandem.core.demo import load_demo
from tandem.mentorships.models import Mentorship, MentorshipRequest, TryOut

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_is_idempotent(settings):
    ctx = load_demo(password="demo")
    counts = (Mentorship.objects.count(), MentorshipRequest.objects.count(), TryOut.objects.count())
    assert set(Mentorship.objects.values_list("status", flat=True)) == set(Mentorship.Status.values)
    assert set(MentorshipRequest.objects.values_list("status", flat=True)) == set(
        MentorshipRequest.Status.values
    )
    personas = ctx.data["personas"]
    mentor, mentee = personas["mentor"], personas["mentee"]
    assert (
        MentorshipRequest.objects.filter(mentor=mentor, status__in=["pending", "thinking"]).count()
        == 2
    )
    assert TryOut.objects.filter(mentor=mentor, status="open").exists()
    ours = Mentorship.objects.get(mentee=mentee, mentor=mentor, status="active")
    assert ours.current_agreement().is_signed
    # Nobody is over capacity.
    from tandem.mentorships import adapters, selectors

    for m in {m.mentor for m in Mentorship.objects.filter(status__in=Mentorship.LIVE_STATUSES)}:
        assert selectors.active_mentee_count(mentor=m) <= adapters.mentor_limits(m).capacity
    load_demo(password="demo")
    assert counts == (
        Mentorship.objects.count(),
        MentorshipRequest.objects.count(),
        TryOut.objects.count(),
    )
