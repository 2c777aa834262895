"""Reads for programmes, and the one access helper per object type.

A manager sees only the programmes they manage, and only aggregates and health figures:
nothing here ever reads a check-in comment, a binder entry, a goal's text or a meeting note
for a manager.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tandem.accounts.models import User, hash_token
from tandem.programs import adapters, health
from tandem.programs.models import (
    CheckIn,
    Circle,
    EnrolmentImport,
    HealthSnapshot,
    Invitation,
    Match,
    MatchRun,
    Membership,
    PairRule,
    Programme,
    ProposedPair,
    Question,
    Role,
    Unmatched,
)

PAGE_SIZE = 50

# --- access helpers -------------------------------------------------------------------------


CANNOT_CREATE_MESSAGE = gettext_lazy(
    "Creating programmes is a right that Tandem's staff or your organisation's administrator "
    "grants. Ask them for it."
)

_M = TypeVar("_M", bound=Model)


def server_localdate(now: dt.datetime) -> dt.date:
    """A programme's calendar day: in the server's time zone (TIME_ZONE), whoever's request
    it runs in, so that check-ins, health windows and closings fall on the same day for
    everyone and for the daily sweep."""
    return timezone.localdate(now, timezone.get_default_timezone())


def can_create_programme(user: Any) -> bool:
    """The one rule for who may create a programme: staff, and people granted the
    `programs.add_programme` permission (directly or through a group, by staff or an
    organisation administrator in the admin). Not every account."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.has_perm("programs.add_programme"))
    )


def is_manager(user: User, programme: Programme) -> bool:
    return Membership.objects.filter(
        programme=programme, user_id=user.pk, role=Role.MANAGER
    ).exists()


def get_programme_for_user(user: User, pk: int, *, manage: bool = False) -> Programme:
    """The one access helper for programmes: 404 unless the user is a member (any role), or
    with `manage=True` unless they manage it."""
    members = Membership.objects.filter(programme_id=pk, user_id=user.pk)
    if manage:
        members = members.filter(role=Role.MANAGER)
    programme = Programme.objects.filter(pk=pk).filter(Exists(members)).first()
    if programme is None:
        raise Http404
    return programme


SELF_MATCH_MODES = (Programme.MatchingMode.SELF, Programme.MatchingMode.BOTH)
"""Matching modes in which mentees choose their mentor from suggestions themselves."""


def self_match_programmes(*, user: User) -> list[Programme]:
    """Programmes in which `user` is a mentee and may choose a mentor from suggestions, by
    name (one query): the choices of Find a mentor's programme filter. Never a group-circle
    programme: choosing makes a one-to-one request, and its circles come from publishing."""
    if not user.is_authenticated:
        return []
    return list(
        Programme.objects.filter(
            memberships__user_id=user.pk,
            memberships__role=Role.MENTEE,
            matching_mode__in=SELF_MATCH_MODES,
        )
        .exclude(kind=Programme.Kind.GROUP)
        .order_by("name", "pk")
    )


def get_programme_for_self_match(user: User, pk: int) -> Programme:
    """A programme `user` may choose a mentor in: they are one of its mentees and its matching
    mode lets people choose from suggestions; 404 otherwise (an outsider, a mentor or manager
    only, a programme the manager matches, or a group-circle programme)."""
    programme = next((p for p in self_match_programmes(user=user) if p.pk == pk), None)
    if programme is None:
        raise Http404
    return programme


def mentor_ids(*, programme: Programme) -> list[int]:
    """The users enrolled as mentors in the programme (one query)."""
    return list(
        Membership.objects.filter(programme=programme, role=Role.MENTOR).values_list(
            "user_id", flat=True
        )
    )


def is_member(*, programme: Programme, user: User, role: str) -> bool:
    return Membership.objects.filter(programme=programme, user_id=user.pk, role=role).exists()


def mentor_limit(*, programme: Programme, capacity: int | None) -> int:
    """How many mentees a mentor takes at a time in the programme: their membership's
    override (`capacity`), else the programme's default."""
    return capacity if capacity is not None else programme.mentor_capacity


def places_taken(
    *,
    programme: Programme,
    mentor_ids: Iterable[int] | None = None,
    exclude_mentee_id: int | None = None,
) -> dict[int, int]:
    """Places each mentor has taken in the programme, through its matches: a live mentorship
    takes one, and so does a request still waiting for the mentor's answer (pending or being
    thought over). A waiting request holds its place because the mentor may accept it at any
    time and accepting checks only their global capacity; the place frees when the request is
    declined, withdrawn or expires. Mentorships and requests outside the programme never
    count. Optionally for some mentors only, or leaving one mentee's pairs out. Two queries."""
    matches = Match.objects.filter(programme=programme)
    if mentor_ids is not None:
        matches = matches.filter(mentor_id__in=list(mentor_ids))
    if exclude_mentee_id is not None:
        matches = matches.exclude(mentee_id=exclude_mentee_id)
    return adapters.places_taken_per_mentor(
        mentorship_ids=matches.filter(mentorship__isnull=False).values("mentorship_id"),
        request_ids=matches.filter(request__isnull=False).values("request_id"),
    )


def open_pairs(*, programme: Programme, mentee_id: int | None = None) -> set[tuple[int, int]]:
    """(mentee, mentor) pairs whose match in the programme is open and still holds a place:
    a circle, a live mentorship, or a request still waiting for the mentor's answer (or
    accepted into a live mentorship). A match whose request ended unanswered, or whose
    mentorship ended, holds nothing even before the daily sweep closes it. Optionally for
    one mentee only. Three queries."""
    matches = Match.objects.filter(programme=programme, closed_at__isnull=True)
    if mentee_id is not None:
        matches = matches.filter(mentee_id=mentee_id)
    rows = list(
        matches.values_list("mentee_id", "mentor_id", "circle_id", "mentorship_id", "request_id")
    )
    live, waiting = adapters.places_held(
        mentorship_ids=[r[3] for r in rows], request_ids=[r[4] for r in rows]
    )
    return {
        (mentee, mentor)
        for mentee, mentor, circle, mentorship, request in rows
        if circle is not None or mentorship in live or request in waiting
    }


def mentor_places(
    *, programme: Programme, mentor_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Mentees each of the programme's mentors (or only those in `mentor_ids`) may still take
    in it: their limit here (`mentor_limit`) minus the places they have taken in it
    (`places_taken`: live mentorships and requests waiting for their answer). Never below
    zero; three queries. Someone who is not one of its mentors is absent. The mentor's global
    free places (their profile) are applied by the matching engine and by mentorships."""
    ids = list(mentor_ids) if mentor_ids is not None else None
    rows = Membership.objects.filter(programme=programme, role=Role.MENTOR)
    if ids is not None:
        rows = rows.filter(user_id__in=ids)
    own = {
        uid: mentor_limit(programme=programme, capacity=capacity)
        for uid, capacity in rows.values_list("user_id", "capacity")
    }
    busy = places_taken(programme=programme, mentor_ids=ids)
    return {uid: max(0, cap - busy.get(uid, 0)) for uid, cap in own.items()}


def _managed_by(user: User, queryset: QuerySet[_M], pk: int) -> _M:
    """The object of a programme `user` manages (its `programme` field), else 404."""
    found = queryset.filter(
        pk=pk, programme__memberships__user_id=user.pk, programme__memberships__role=Role.MANAGER
    ).first()
    if found is None:
        raise Http404
    return found


def get_run_for_user(user: User, pk: int) -> MatchRun:
    """A matching run: only its programme's managers may see it (proposals are staged)."""
    return _managed_by(user, MatchRun.objects.select_related("programme"), pk)


def in_circle(circle: Circle, user: User) -> bool:
    return circle.mentor_id == user.pk or circle.members.filter(mentee_id=user.pk).exists()


def get_circle_for_member(user: User, pk: int) -> Circle:
    """A circle for its agenda: only its mentor and its mentees; 404 for anyone else, the
    programme's managers included (the agenda is the circle's own conversation)."""
    circle = (
        Circle.objects.select_related("programme", "mentor")
        .filter(pk=pk)
        .filter(Q(mentor_id=user.pk) | Q(members__mentee_id=user.pk))
        .distinct()
        .first()
    )
    if circle is None:
        raise Http404
    return circle


def get_circle_for_user(user: User, pk: int) -> Circle:
    """A circle's page: its mentor, its members and its programme's managers (who see its
    slot and members, never its agenda: see `get_circle_for_member`)."""
    circle = (
        Circle.objects.select_related("programme", "mentor")
        .filter(pk=pk)
        .filter(
            Q(mentor_id=user.pk)
            | Q(members__mentee_id=user.pk)
            | Q(programme__memberships__user_id=user.pk, programme__memberships__role=Role.MANAGER)
        )
        .distinct()
        .first()
    )
    if circle is None:
        raise Http404
    return circle


def get_checkin_for_user(user: User, pk: int) -> CheckIn:
    """A check-in survey: only the person it was sent to (never a manager)."""
    checkin = (
        CheckIn.objects.select_related("match__programme", "match__mentee", "match__mentor")
        .filter(pk=pk, user_id=user.pk)
        .first()
    )
    if checkin is None:
        raise Http404
    return checkin


def programme_by_invite(token: str) -> Programme:
    """The programme whose join link carries `token` (only its hash is stored)."""
    programme = Programme.objects.filter(invite_token_hash=hash_token(token)).first()
    if programme is None:
        raise Http404
    return programme


# --- invitations ----------------------------------------------------------------------------


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    """An invitation is for its account, or, while the invitee was not on Tandem, for the
    account that now has the invited address."""
    if invitation.user_id is not None:
        return invitation.user_id == user.pk
    return bool(user.email) and invitation.email.lower() == user.email.lower()


def _invitations_for(user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        Q(user_id=user.pk) | Q(user__isnull=True, email__iexact=user.email)
    ).select_related("programme", "invited_by")


def invitations_pending_for(*, user: User) -> QuerySet[Invitation]:
    return _invitations_for(user).filter(status=Invitation.Status.PENDING)


def get_invitation_for_user(user: User, pk: int) -> Invitation:
    """The one access helper for invitations: only the invitee; 404 for anyone else."""
    invitation = _invitations_for(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def get_invitation_by_token(user: User, token: str) -> Invitation:
    """The invitation an emailed link names, for its invitee only (404 otherwise)."""
    invitation = _invitations_for(user).filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise Http404
    return invitation


def invitations_of(*, programme: Programme) -> QuerySet[Invitation]:
    """The programme's invitations not (yet) accepted, for its managers: pending and
    declined, newest first."""
    return (
        programme.invitations.exclude(status=Invitation.Status.ACCEPTED)
        .select_related("user")
        .order_by("status", "-created_at", "-pk")
    )


def imports_of(*, programme: Programme, limit: int = 5) -> list[EnrolmentImport]:
    return list(programme.imports.defer("rows")[:limit])


def get_import_for_user(user: User, pk: int) -> EnrolmentImport:
    """A CSV enrolment's progress: its programme's managers only."""
    return _managed_by(user, EnrolmentImport.objects.defer("rows"), pk)


def self_joined(*, programme: Programme) -> set[tuple[int, str]]:
    """(user id, role) of the members who joined the programme themselves: through the
    invite link or by accepting an invitation (one query)."""
    return set(
        Membership.objects.filter(
            programme=programme, source__in=Membership.SELF_JOINED
        ).values_list("user_id", "role")
    )


# --- lists ----------------------------------------------------------------------------------


def programmes_managed(*, user: User) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(memberships__user_id=user.pk, memberships__role=Role.MANAGER)
        .annotate(
            n_mentees=Count("memberships", filter=Q(memberships__role=Role.MENTEE), distinct=True),
            n_mentors=Count("memberships", filter=Q(memberships__role=Role.MENTOR), distinct=True),
        )
        .order_by("-created_at")
    )


def programmes_joined(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user.pk)
        .exclude(role=Role.MANAGER)
        .select_related("programme")
        .order_by("-joined_at")
    )


def users_share_programme(a: User, b: User) -> bool:
    """Are `a` and `b` members of one programme (people's `share_programme` hook)?"""
    return Membership.objects.filter(user_id=a.pk, programme__memberships__user_id=b.pk).exists()


def questions_for(*, programme: Programme, role: str | None = None) -> QuerySet[Question]:
    qs = programme.questions.all()
    return qs.filter(role=role) if role else qs


def participants(*, programme: Programme, role: str = "") -> QuerySet[Membership]:
    qs = (
        Membership.objects.filter(programme=programme)
        .exclude(role=Role.MANAGER)
        .select_related("user")
        .order_by("role", "user__full_name", "pk")
    )
    return qs.filter(role=role) if role else qs


def member_id_by_email(*, programme: Programme, role: str, email: str) -> int | None:
    """The user id of the programme's member in `role` with this email (any case), or None."""
    return (
        Membership.objects.filter(programme=programme, role=role, user__email__iexact=email.strip())
        .values_list("user_id", flat=True)
        .first()
    )


def managers_of(*, programme: Programme) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(programme=programme, role=Role.MANAGER).select_related(
            "user"
        )
    ]


def runs_for(*, programme: Programme) -> QuerySet[MatchRun]:
    return programme.runs.all()


def pairs_for(*, run: MatchRun) -> QuerySet[ProposedPair]:
    return run.pairs.select_related("mentee", "mentor")


def pairs_not_published(*, run: MatchRun) -> QuerySet[ProposedPair]:
    """The pairs publishing left out: skipped by the programme's limits, or refused by
    mentorships' rules."""
    return pairs_for(run=run).filter(~Q(skipped="") | ~Q(publish_error=""))


def unmatched_for(*, run: MatchRun) -> QuerySet[Unmatched]:
    return run.unmatched.select_related("mentee")


def rules_for(*, programme: Programme) -> dict[tuple[int, int], str]:
    return {
        (r.mentee_id, r.mentor_id): r.kind
        for r in PairRule.objects.filter(programme=programme).only("mentee_id", "mentor_id", "kind")
    }


def published_run(*, programme: Programme) -> MatchRun | None:
    return programme.runs.filter(published_at__isnull=False).first()


def my_matches(*, user: User, programme: Programme) -> QuerySet[Match]:
    return (
        Match.objects.filter(programme=programme)
        .filter(Q(mentee_id=user.pk) | Q(mentor_id=user.pk))
        .select_related("mentee", "mentor", "circle")
    )


def circles_for_user(*, user: User, programme: Programme) -> QuerySet[Circle]:
    return (
        Circle.objects.filter(programme=programme)
        .filter(Q(mentor_id=user.pk) | Q(members__mentee_id=user.pk))
        .distinct()
    )


def circles_of(*, programme: Programme) -> QuerySet[Circle]:
    return (
        Circle.objects.filter(programme=programme)
        .select_related("mentor")
        .annotate(n_members=Count("members"))
    )


def circle_members(*, circle: Circle) -> list[User]:
    return [m.mentee for m in circle.members.select_related("mentee").order_by("mentee__full_name")]


def checkins_open_for(*, user: User) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(user_id=user.pk, answered_at__isnull=True, sent_at__isnull=False)
        .select_related("match__programme", "match__mentee", "match__mentor")
        .order_by("due_on")
    )


# --- comparing runs -------------------------------------------------------------------------


@dataclass(frozen=True)
class RunComparison:
    a: MatchRun
    b: MatchRun
    coverage_a: float
    coverage_b: float
    total_a: float
    total_b: float
    kept: int
    changed: int
    only_a: int
    only_b: int


def compare_runs(*, a: MatchRun, b: MatchRun) -> RunComparison:
    """Coverage, total score, and how many mentees got a different mentor."""
    pairs_a = set(ProposedPair.objects.filter(run=a).values_list("mentee_id", "mentor_id"))
    pairs_b = set(ProposedPair.objects.filter(run=b).values_list("mentee_id", "mentor_id"))
    mentees_a = {m for m, _ in pairs_a}
    mentees_b = {m for m, _ in pairs_b}
    by_a: dict[int, set[int]] = {}
    by_b: dict[int, set[int]] = {}
    for m, j in pairs_a:
        by_a.setdefault(m, set()).add(j)
    for m, j in pairs_b:
        by_b.setdefault(m, set()).add(j)
    both = mentees_a & mentees_b
    changed = sum(1 for m in both if by_a[m] != by_b[m])
    return RunComparison(
        a=a,
        b=b,
        coverage_a=a.coverage,
        coverage_b=b.coverage,
        total_a=a.total_score,
        total_b=b.total_score,
        kept=len(both) - changed,
        changed=changed,
        only_a=len(mentees_a - mentees_b),
        only_b=len(mentees_b - mentees_a),
    )


# --- health ---------------------------------------------------------------------------------


@dataclass
class RelationshipRow:
    match: Any  # a Match, or the dashboard's lighter stand-in
    health: health.Health


def _mentorship_ids(matches: list[Any]) -> dict[int, int]:
    """match id -> mentorship id, resolving requests accepted since publishing."""
    pending = [m.request_id for m in matches if m.mentorship_id is None and m.request_id]
    via_request = adapters.mentorships_for_requests(pending)
    out = {}
    for m in matches:
        mid = m.mentorship_id or via_request.get(m.request_id or 0)
        if mid:
            out[m.pk] = mid
    return out


def relationship_rows(
    *,
    matches: list[Any],
    programme: Programme,
    now: dt.datetime | None = None,
    whole_programme: bool = False,
) -> list[RelationshipRow]:
    """Health of each match, in a fixed number of queries whatever their number. With
    `whole_programme`, `matches` are all the programme's and the queries select by programme
    (subqueries) instead of by long lists of ids."""
    now = now or timezone.now()
    if not matches:
        return []
    ms = _mentorship_ids(matches)
    if whole_programme:
        scope = Q(match__programme=programme)
        facts = adapters.relationship_facts(
            Match.objects.filter(programme=programme, mentorship__isnull=False).values(
                "mentorship_id"
            ),
            now=now,
        )
        if any(mid not in facts for mid in ms.values()):
            facts.update(adapters.relationship_facts(set(ms.values()) - set(facts), now=now))
    else:
        scope = Q(match_id__in=[m.pk for m in matches])
        facts = adapters.relationship_facts(set(ms.values()), now=now)
    latest: dict[int, Any] = {}
    for row in (
        CheckIn.objects.filter(scope, answered_at__isnull=False)
        .order_by("match_id", "answered_at")
        .values("match_id", "satisfaction", "meets_as_agreed", "answered_at")
    ):
        latest[row["match_id"]] = row
    grace = server_localdate(now) - dt.timedelta(days=7)
    overdue = set(
        CheckIn.objects.filter(
            scope, answered_at__isnull=True, sent_at__isnull=False, due_on__lte=grace
        ).values_list("match_id", flat=True)
    )
    rows = []
    for m in matches:
        f = facts.get(ms.get(m.pk, 0))
        last_checkin = latest.get(m.pk)
        activity = [
            f.last_meeting_at if f else None,
            last_checkin["answered_at"] if last_checkin else None,
        ]
        rows.append(
            RelationshipRow(
                match=m,
                health=health.classify(
                    now=now,
                    matched_at=m.matched_at,
                    closed=m.closed_at is not None or (f is not None and not f.live),
                    agreed_per_month=f.agreed_per_month if f else programme.meetings_per_month,
                    held=f.held if f else 0,
                    last_activity=max(filter(None, activity), default=None),
                    satisfaction=last_checkin["satisfaction"] if last_checkin else None,
                    meets_as_agreed=last_checkin["meets_as_agreed"] if last_checkin else None,
                    checkin_overdue=m.pk in overdue,
                ),
            )
        )
    return rows


def matches_of(*, programme: Programme, open_only: bool = False) -> QuerySet[Match]:
    qs = Match.objects.filter(programme=programme).select_related("mentee", "mentor")
    return qs.filter(closed_at__isnull=True) if open_only else qs


# --- dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LiteMatch:
    """The few fields of a match the dashboard needs, without building model instances."""

    pk: int
    mentee_id: int
    matched_at: dt.datetime
    closed_at: dt.datetime | None
    request_id: int | None
    mentorship_id: int | None


@dataclass
class Dashboard:
    enrolment: list[tuple[str, int]]
    mentees: int
    matched_mentees: int
    match_rate: float
    time_to_match: list[tuple[str, int]]
    median_days_to_match: float | None
    meetings_per_month: list[tuple[str, int]]
    goals_progress: list[tuple[str, int]]
    satisfaction: list[tuple[str, int]]
    health_now: list[tuple[str, int]]
    health_over_time: list[tuple[str, dict[str, int]]] = field(default_factory=list)


TIME_BUCKETS = ((7, "0-7"), (14, "8-14"), (30, "15-30"), (60, "31-60"), (10**6, "61+"))
GOAL_BUCKETS = ((24, "0-24%"), (49, "25-49%"), (74, "50-74%"), (99, "75-99%"), (100, "100%"))


def _bucket(value: float, buckets: tuple[tuple[int, str], ...]) -> str:
    for top, label in buckets:
        if value <= top:
            return label
    return buckets[-1][1]


def _months_back(now: dt.datetime, n: int) -> list[str]:
    year, month = now.year, now.month
    out = []
    for _i in range(n):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


def _month_start(label: str) -> dt.datetime:
    return dt.datetime(int(label[:4]), int(label[5:]), 1, tzinfo=dt.UTC)


def _next_month(label: str) -> str:
    year, month = int(label[:4]), int(label[5:])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def dashboard(*, programme: Programme, now: dt.datetime | None = None) -> Dashboard:
    """Every figure of the programme dashboard: counts and distributions only."""
    now = now or timezone.now()
    roles = dict(
        Membership.objects.filter(programme=programme)
        .exclude(role=Role.MANAGER)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    mentees = int(roles.get(Role.MENTEE, 0))
    # Days from enrolment to first match, computed by the database (one duration a mentee).
    joined_at = Membership.objects.filter(
        programme=programme, role=Role.MENTEE, user_id=OuterRef("mentee_id")
    ).values("joined_at")[:1]
    waits = list(
        Match.objects.filter(programme=programme)
        .values("mentee_id")
        .annotate(
            wait=ExpressionWrapper(
                Min("matched_at") - Subquery(joined_at), output_field=DurationField()
            )
        )
        .values_list("wait", flat=True)
    )
    matched_mentees = len(waits)
    days = sorted(max(0, w.days) for w in waits if w is not None)
    ttm = Counter(_bucket(d, TIME_BUCKETS) for d in days)
    months = _months_back(now, 6)
    bounds = [_month_start(m) for m in months] + [_month_start(_next_month(months[-1]))]
    per_month = adapters.meetings_per_month(
        Match.objects.filter(programme=programme, mentorship__isnull=False).values("mentorship_id"),
        months=[(m, bounds[k], bounds[k + 1]) for k, m in enumerate(months)],
    )
    goals = Counter(
        _bucket(p, GOAL_BUCKETS)
        for p in adapters.goals_progress(
            Membership.objects.filter(programme=programme, role=Role.MENTEE).values("user_id")
        )
    )
    sat = dict(
        CheckIn.objects.filter(match__programme=programme, satisfaction__isnull=False)
        .values_list("satisfaction")
        .annotate(n=Count("pk"))
        .values_list("satisfaction", "n")
    )
    per_day: dict[dt.date, dict[str, int]] = {}
    for on, status, n in (
        HealthSnapshot.objects.filter(
            programme=programme, on__gte=server_localdate(now) - dt.timedelta(days=84)
        )
        .values_list("on", "health")
        .annotate(n=Count("pk"))
        .values_list("on", "health", "n")
        .order_by("on")
    ):
        per_day.setdefault(on, {})[status] = n
    over_time: dict[str, dict[str, int]] = {}
    for on in sorted(per_day):  # a week shows its latest day
        over_time[(on - dt.timedelta(days=on.weekday())).isoformat()] = per_day[on]
    # Health now: today's snapshot when the daily sweep has run (one grouped query, whatever
    # the cohort's size), else computed live.
    today = server_localdate(now)
    if today in per_day:
        now_counts = Counter(per_day[today])
        now_counts[health.CLOSED] += Match.objects.filter(
            programme=programme, closed_at__isnull=False
        ).count()
    else:
        matches = [
            _LiteMatch(*row)
            for row in Match.objects.filter(programme=programme).values_list(
                "pk", "mentee_id", "matched_at", "closed_at", "request_id", "mentorship_id"
            )
        ]
        rows = relationship_rows(
            matches=matches, programme=programme, now=now, whole_programme=True
        )
        now_counts = Counter(r.health.status for r in rows)
    health_order = [health.HEALTHY, health.NEEDS_CHECKIN, health.AT_RISK, health.CLOSED]
    return Dashboard(
        enrolment=[(Role.MENTEE, mentees), (Role.MENTOR, int(roles.get(Role.MENTOR, 0)))],
        mentees=mentees,
        matched_mentees=matched_mentees,
        match_rate=matched_mentees / mentees if mentees else 0.0,
        time_to_match=[(label, ttm.get(label, 0)) for _top, label in TIME_BUCKETS],
        median_days_to_match=float(days[len(days) // 2]) if days else None,
        meetings_per_month=[(m, per_month.get(m, 0)) for m in months],
        goals_progress=[(label, goals.get(label, 0)) for _top, label in GOAL_BUCKETS],
        satisfaction=[(str(s), int(sat.get(s, 0))) for s in range(1, 6)],
        health_now=[(h, now_counts.get(h, 0)) for h in health_order],
        health_over_time=[
            (week, {h: v.get(h, 0) for h in health_order}) for week, v in over_time.items()
        ],
    )


def dashboard_counts(*, programme: Programme) -> dict[str, int]:
    """People per role and matches, for the programme's overview."""
    counts = dict(
        Membership.objects.filter(programme=programme)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    counts["matches"] = Match.objects.filter(programme=programme).count()
    return {k: int(v) for k, v in counts.items()}
