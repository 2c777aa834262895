"""Who a matching run matches: the whole cohort at first; after a publish, whoever is left
(mentees without a mentor, late joiners included) while published pairs are kept."""

from __future__ import annotations

from tandem.programs.models import Match, Membership, PairRule, Programme, Role
from tandem.programs.selectors.access import open_pairs


def mentees_to_match(*, programme: Programme) -> dict[int, int]:
    """Each of the programme's mentees who may still get a mentor there, with how many more:
    `mentors_per_mentee` less their open pairs (`open_pairs`: a circle, a live mentorship or
    a request still waiting, published or started by themselves). A mentee whose request
    was declined or expired, or whose mentorship ended, is left to match again. Four
    queries."""
    held: dict[int, int] = {}
    for mentee_id, _mentor_id in open_pairs(programme=programme):
        held[mentee_id] = held.get(mentee_id, 0) + 1
    ids = Membership.objects.filter(programme=programme, role=Role.MENTEE).values_list(
        "user_id", flat=True
    )
    out = {uid: programme.mentors_per_mentee - held.get(uid, 0) for uid in ids}
    return {uid: n for uid, n in out.items() if n > 0}


def pairs_matched(*, programme: Programme) -> set[tuple[int, int]]:
    """Every (mentee, mentor) pair matched in the programme before, open or not: a run never
    proposes one again (a pair kept holds its place; a request declined or expired, or a
    mentorship that ended, is not put to the same two people twice)."""
    return set(Match.objects.filter(programme=programme).values_list("mentee_id", "mentor_id"))


def pins_pending(*, programme: Programme) -> list[tuple[int, int]]:
    """The pins that still ask something of the next run: a pair not matched in the
    programme yet (a pin whose pair was published is done). Two queries."""
    done = pairs_matched(programme=programme)
    return [
        pair
        for pair in PairRule.objects.filter(programme=programme, kind=PairRule.Kind.PIN)
        .order_by("pk")
        .values_list("mentee_id", "mentor_id")
        if pair not in done
    ]
