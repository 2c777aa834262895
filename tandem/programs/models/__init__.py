"""Programmes: cohorts with managers, enrolment, staged cohort matching, group circles,
check-ins and relationship health.

Invariants held by the database: one membership per person, programme and role; one match
run in progress per programme; one pair rule (pin or forbid) per pair; one programme match
per pair; one check-in per person and due date, with a satisfaction between 1 and 5; one
health snapshot per match and day. A programme may publish several runs, one at a time
(publishing locks the programme row).

The models live in sub-modules (programmes, enrolment, runs, circles, matches); this package
imports every one of them, so Django and the migrations see the same models as before.
"""

from __future__ import annotations

from tandem.programs.models.circles import (
    Circle,
    CircleAgendaItem,
    CircleMember,
    CircleSessionChange,
)
from tandem.programs.models.enrolment import EnrolmentImport, Invitation
from tandem.programs.models.matches import CheckIn, HealthSnapshot, Match
from tandem.programs.models.programmes import (
    Membership,
    Programme,
    Question,
    Role,
    default_checkin_every_days,
    default_checkin_first_days,
    default_language,
    new_invite_token,
    new_invite_token_hash,
)
from tandem.programs.models.runs import MatchRun, PairRule, ProposedPair, Unmatched

__all__ = [
    "CheckIn",
    "Circle",
    "CircleAgendaItem",
    "CircleMember",
    "CircleSessionChange",
    "EnrolmentImport",
    "HealthSnapshot",
    "Invitation",
    "Match",
    "MatchRun",
    "Membership",
    "PairRule",
    "Programme",
    "ProposedPair",
    "Question",
    "Role",
    "Unmatched",
    "default_checkin_every_days",
    "default_checkin_first_days",
    "default_language",
    "new_invite_token",
    "new_invite_token_hash",
]
