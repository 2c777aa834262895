"""Pair rules: a manager pins or forbids a mentee-mentor pair."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import User
from tandem.mentorships.rules import relationship_refusal
from tandem.programs import selectors
from tandem.programs.models import PairRule, Programme, Role
from tandem.programs.selectors.cohort import mentees_to_match, pairs_matched, pins_pending
from tandem.programs.services._common import _member_ids

# --- pair rules -----------------------------------------------------------------------------


@transaction.atomic
def pair_rule_set(
    *, programme: Programme, by: User, mentee_id: int, mentor_id: int, kind: str
) -> PairRule | None:
    """Pin or forbid a pair for the next runs; kind "clear" removes the rule."""
    if kind not in (PairRule.Kind.PIN, PairRule.Kind.FORBID, "clear"):
        raise ValidationError({"kind": [_("Pin, forbid or clear.")]})
    if mentee_id not in _member_ids(programme, Role.MENTEE):
        raise ValidationError({"mentee_id": [_("This person is not a mentee here.")]})
    if mentor_id not in _member_ids(programme, Role.MENTOR):
        raise ValidationError({"mentor_id": [_("This person is not a mentor here.")]})
    if mentee_id == mentor_id:
        raise ValidationError({"mentor_id": [_("A pair needs two different people.")]})
    PairRule.objects.filter(programme=programme, mentee_id=mentee_id, mentor_id=mentor_id).delete()
    if kind == "clear":
        return None
    if kind == PairRule.Kind.PIN:
        # Never one's own manager, never a competitor: the one rule check every path asks.
        refusal = relationship_refusal(
            User.objects.get(pk=mentee_id), User.objects.get(pk=mentor_id)
        )
        if refusal:
            raise ValidationError({"mentor_id": [refusal]})
        # What the next run still may give: a pin whose pair is already matched is done,
        # and a mentee with their pairs kept takes no more mentors than the programme allows.
        if (mentee_id, mentor_id) in pairs_matched(programme=programme):
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "This pair has been matched in this programme before; a run does "
                            "not propose it again."
                        )
                    ]
                }
            )
        left_for_mentee = mentees_to_match(programme=programme).get(mentee_id, 0)
        if left_for_mentee <= 0:
            raise ValidationError(
                {
                    "__all__": [
                        _("This mentee already has as many mentors in this programme as it allows.")
                    ]
                }
            )
        pins = pins_pending(programme=programme)
        if sum(1 for m, _j in pins if m == mentee_id) >= left_for_mentee:
            raise ValidationError(
                {"__all__": [_("This mentee already has as many pinned mentors as allowed.")]}
            )
        # The places the next run gives this mentor (their limit here less their live
        # mentorships and waiting requests in the programme), so that a run never fails
        # later because its pins cannot hold.
        places = selectors.mentor_places(programme=programme, mentor_ids=[mentor_id])
        left = places.get(mentor_id, 0)
        name = User.objects.filter(pk=mentor_id).values_list("full_name", "email").first()
        context = {"name": (name[0] or name[1]) if name else "", "places": left}
        if left <= 0:
            raise ValidationError(
                {
                    "mentor_id": [
                        _(
                            "%(name)s has no place left in this programme: their mentorships "
                            "and requests waiting for an answer here fill their limit. Choose "
                            "another mentor."
                        )
                        % context
                    ]
                }
            )
        if sum(1 for _m, j in pins if j == mentor_id) >= left:
            raise ValidationError(
                {
                    "mentor_id": [
                        ngettext(
                            "%(name)s has %(places)s place left in this programme, and pinned "
                            "pairs already fill it.",
                            "%(name)s has %(places)s places left in this programme, and pinned "
                            "pairs already fill them.",
                            left,
                        )
                        % context
                    ]
                }
            )
    return PairRule.objects.create(
        programme=programme, mentee_id=mentee_id, mentor_id=mentor_id, kind=kind, created_by=by
    )
