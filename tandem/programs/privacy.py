"""Programmes' part of a person's data. The programme's records (memberships, matches, runs,
check-in scores) stay so its counts keep adding up, pointing at the anonymised account; what
the person wrote (their answers, comments, circle agenda items) and their invitations'
address and name are erased."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from tandem.accounts.personal_data import ERASED, placeholder_email, rows
from tandem.programs.models import (
    CheckIn,
    Circle,
    CircleAgendaItem,
    CircleMember,
    CircleSessionChange,
    EnrolmentImport,
    Invitation,
    Match,
    MatchRun,
    Membership,
    PairRule,
    Programme,
    ProposedPair,
    Unmatched,
)

MODELS = (
    "programs.Programme",
    "programs.Membership",
    "programs.Circle",
    "programs.CircleMember",
    "programs.CircleAgendaItem",
    "programs.CircleSessionChange",
    "programs.EnrolmentImport",
    "programs.Invitation",
    "programs.MatchRun",
    "programs.ProposedPair",
    "programs.Unmatched",
    "programs.PairRule",
    "programs.Match",
    "programs.CheckIn",
)


def _pair(user: Any) -> Q:
    return Q(mentee=user) | Q(mentor=user)


def _invitations(user: Any) -> Q:
    return Q(user=user) | Q(email__iexact=user.email)


def export(user: Any) -> dict[str, Any]:
    circles = Circle.objects.filter(Q(mentor=user) | Q(members__mentee=user)).distinct()
    return {
        "memberships": rows(Membership.objects.filter(user=user)),
        "invitations": rows(Invitation.objects.filter(_invitations(user)), exclude=("token_hash",)),
        "matches": rows(Match.objects.filter(_pair(user))),
        "check_ins": rows(CheckIn.objects.filter(user=user)),
        "circles": rows(circles),
        "circle_memberships": rows(CircleMember.objects.filter(mentee=user)),
        "circle_agenda_items": rows(CircleAgendaItem.objects.filter(author=user)),
        # A circle's sessions they cancelled or moved (the circle's own record: ids only).
        "circle_sessions_changed": list(
            CircleSessionChange.objects.filter(changed_by=user).values_list("pk", flat=True)
        ),
        # As a programme manager: what they started (the rows hold others' data; ids only).
        "programmes_created": list(
            Programme.objects.filter(created_by=user).values_list("pk", flat=True)
        ),
        "match_runs_started": list(
            MatchRun.objects.filter(created_by=user).values_list("pk", flat=True)
        ),
        "enrolment_imports": list(
            EnrolmentImport.objects.filter(by=user).values_list("pk", flat=True)
        ),
        "pair_rules_set": list(
            PairRule.objects.filter(created_by=user).values_list("pk", flat=True)
        ),
        "proposed_pairs": rows(ProposedPair.objects.filter(_pair(user)), exclude=("reasons",)),
        "unmatched": rows(Unmatched.objects.filter(mentee=user)),
        "pair_rules": rows(PairRule.objects.filter(_pair(user))),
    }


def erase(user: Any) -> None:
    Membership.objects.filter(user=user).update(answers={})
    CheckIn.objects.filter(user=user).update(comment="")
    CircleAgendaItem.objects.filter(author=user).update(text=ERASED)
    # The change to the circle's session stays (its people still meet then); who made it goes.
    CircleSessionChange.objects.filter(changed_by=user).update(changed_by=None)
    # A pending invitation will never be answered now; declined, it frees its place.
    Invitation.objects.filter(_invitations(user), status=Invitation.Status.PENDING).update(
        status=Invitation.Status.DECLINED, answered_at=timezone.now()
    )
    Invitation.objects.filter(_invitations(user)).update(email=placeholder_email(user), name="")
    # Proposals explain a pair with both people's words; a run kept for its counts needs none.
    ProposedPair.objects.filter(_pair(user)).update(reasons=[])
