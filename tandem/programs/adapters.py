"""The one place the programmes app touches other apps. One function per coupling:

- `run_engine`: the cohort matching engine (suggestions' `cohort_match`, or the pure core in
  `tandem/matching/` while suggestions does not provide it yet);
- `publish_pair`: mentorships' services, to turn a proposed pair into a request or a
  mentorship according to the programme's approval setting;
- `request_send`: mentorships' services, for a request a mentee sends within a programme;
- `mentorship_close_inactive`: mentorships' services, to end a mentorship the programme
  closes for inactivity;
- `places_taken_per_mentor`, `requests_ended_unanswered`: mentorships, read only;
- `relationship_facts`: mentorships' agreements and meetings, read only, for health;
- `goals_progress`: growth's goals, read only, as numbers (never their text).

Enrolment never goes through people's import: it invites, and never edits an account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from tandem.mentorships.models import DURATION_MONTHS

# --- matching engine ------------------------------------------------------------------------


@dataclass
class EnginePair:
    mentee_id: int
    mentor_id: int
    score: float
    reasons: list[dict[str, Any]]


@dataclass
class EngineResult:
    pairs: list[EnginePair] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (mentee id, why code)
    objective: str = "coverage"
    certificate: dict[str, Any] = field(default_factory=dict)
    encoder: str = ""  # the text encoder that compared goals with experience


def _reason_dict(reason: Any) -> dict[str, Any]:
    """A reason as stored JSON: {"code", "params"} for the engine's reasons, else {"text"}."""
    code = getattr(reason, "code", None)
    if code is not None:
        params = {
            k: list(v) if isinstance(v, tuple) else v
            for k, v in dict(getattr(reason, "params", {})).items()
        }
        return {"code": code, "params": params}
    return {"text": str(reason)}


def _why_code(why: Any) -> str:
    text = str(getattr(why, "value", why)).lower()
    if "capacity" in text or "full" in text:
        return "capacity"
    if "score" in text:
        return "low_score"
    return "no_allowed"


def run_engine(
    *,
    mentees: Sequence[Any],
    mentors: Sequence[Any],
    capacities: dict[int, int],
    weights: dict[str, float],
    per_mentee: int,
    pinned: Iterable[tuple[int, int]],
    forbidden: Iterable[tuple[int, int]],
    progress: Callable[[int, str], None],
    objective: str = "coverage",
) -> EngineResult:
    """Match the cohort with `tandem.suggestions.services.cohort_match` (every hand rule; a
    mentor's places are the smaller of `capacities` and their free places on Tandem).
    `capacities`: mentor user id -> places in this programme."""
    from tandem.matching.types import Weights
    from tandem.suggestions.services import cohort_match

    users = {u.pk: u for u in [*mentees, *mentors]}
    result = cohort_match(
        mentees=list(mentees),
        mentors=list(mentors),
        capacities=capacities,
        weights=Weights(**weights) if weights else None,
        objective="score" if objective == "score" else "coverage",
        per_mentee=per_mentee,
        pinned=tuple((users[a], users[b]) for a, b in pinned),
        forbidden=tuple((users[a], users[b]) for a, b in forbidden),
        # The core reports each step; the run records the share done (0-100) and the step.
        progress=_progress_reporter(progress),
    )
    return EngineResult(
        pairs=[
            EnginePair(
                p.mentee.pk, p.mentor.pk, float(p.score), [_reason_dict(r) for r in p.reasons]
            )
            for p in result.pairs
        ],
        unmatched=[(u.mentee.pk, _why_code(u.why)) for u in result.unmatched],
        objective=str(result.objective),
        certificate=_certificate_dict(getattr(result, "certificate", None)),
        encoder=result.encoder,
    )


def _progress_reporter(progress: Callable[[int, str], None]) -> Callable[[Any], None]:
    """The core's `Progress` events as (percent, stage) for the run, each change once.

    The stage is one of `models.runs.RUN_STAGES`, with the round after a space for the
    rounds ("scan 2")."""
    last: tuple[int, str] | None = None

    def report(step: Any) -> None:
        nonlocal last
        stage = f"{step.stage} {step.round}" if step.stage in ("solve", "scan") else step.stage
        now = (int(step.fraction * 100), str(stage))
        if now != last:
            last = now
            progress(*now)

    return report


def _certificate_dict(cert: Any) -> dict[str, Any]:
    if cert is None:
        return {}
    keys = ("primal", "dual", "rounds", "pairs_scanned", "rows_scanned", "arcs", "gap")
    return {k: int(getattr(cert, k)) for k in keys if hasattr(cert, k)}


# --- publishing -----------------------------------------------------------------------------


@dataclass
class Published:
    request: Any = None
    mentorship: Any = None
    error: str = ""


def publish_pair(
    *,
    mentee: Any,
    mentor: Any,
    approval: str,
    programme_name: str,
    months: int,
    mentee_consented: bool = False,
    mentor_consented: bool = False,
    published_by: Any = None,
) -> Published:
    """Turn a pair into a mentorship request or a mentorship through mentorships' services.

    A mentorship starts at once only when the approval rule says matches start at
    publishing (nobody, or the manager by publishing) and both people consented by joining
    the programme themselves (`*_consented`); the mentorship's history then names the
    manager who published (`published_by`), never either of them. Otherwise it is a
    request that someone answers:

    - the mentee approves, or only the mentor joined themselves: an invitation from the
      mentor that the mentee answers;
    - otherwise (the mentor approves, or the mentee joined themselves): a request from the
      mentee that the mentor answers.
    Nobody sent that request: it is marked as the programme's proposal
    (`proposed_by_programme`), so it is in no one's "sent" list and mentorships sends no
    "X asks you" email; the programme's own email tells both of the match. Its goal is left
    for the two to agree (never the programme's description passed off as the mentee's).
    A pair the mentorships rules refuse (capacity, an existing relationship) is reported, not
    written: each pair runs in its own savepoint.
    """
    from tandem.mentorships import adapters as m_adapters
    from tandem.mentorships import services as m_services

    starts = (
        approval in ("nobody", "manager")
        and mentee_consented
        and mentor_consented
        and published_by is not None
    )
    if starts or approval == "mentee":
        mentor_asks = True
    elif approval == "mentor":
        mentor_asks = False
    else:  # starts at publishing, but one of them has not agreed: they answer
        mentor_asks = mentor_consented and not mentee_consented
    initiator = mentor if mentor_asks else mentee
    with translation.override(initiator.language):
        expectations = translation.gettext(
            "We were matched in the programme “%(name)s”. Regular conversations about my "
            "career, in the rhythm we agree on."
        ) % {"name": programme_name}
    with translation.override(mentee.language):
        goal = translation.gettext(
            "To agree together: the goals to work towards in the programme “%(name)s”."
        ) % {"name": programme_name}
    kinds = m_adapters.guidance_kinds()
    try:
        with transaction.atomic():
            req = m_services.request_send(
                mentee=mentee,
                mentor=mentor,
                initiated_by=initiator,
                expectations=expectations,
                guidance_kind=str(kinds[0][0]) if kinds else "",
                goal=goal,
                meetings_per_month=1,
                meeting_minutes=60,
                channel="video",
                duration_months=max(DURATION_MONTHS[0], min(DURATION_MONTHS[1], months)),
                not_a_job=True,
                proposed_by_programme=programme_name,
            )
            if starts:
                mentorship = m_services.request_accept(
                    req=req, user=mentee, published_by=published_by
                )
                return Published(request=req, mentorship=mentorship)
            return Published(request=req)
    except ValidationError as exc:
        return Published(error=" ".join(exc.messages)[:500])


def mentorship_of(match_request: Any) -> Any:
    """The mentorship a programme request led to, once accepted (or None)."""
    return getattr(match_request, "mentorship", None) if match_request is not None else None


# --- health facts ---------------------------------------------------------------------------


@dataclass
class Facts:
    agreed_per_month: int
    held: int
    last_meeting_at: dt.datetime | None
    live: bool
    started_at: dt.datetime | None
    # When the two last wrote to each other (never what): that they are in touch.
    last_message_at: dt.datetime | None = None


def relationship_facts(mentorship_ids: Any, *, now: dt.datetime) -> dict[int, Facts]:
    """Meetings held, the agreed rhythm, the last meeting and the date of the pair's last
    message (conversations: the date only, never a message) for each mentorship, in three
    queries whatever their number (read only). `mentorship_ids` is a list of ids or a
    `values("...")` queryset, used as a subquery."""
    from django.db.models import Count, Max, Q, QuerySet

    from tandem.meetings.models import Meeting
    from tandem.mentorships.models import AgreementVersion, Mentorship

    ids = mentorship_ids if isinstance(mentorship_ids, QuerySet) else list(mentorship_ids)
    if isinstance(ids, list) and not ids:
        return {}
    rows = Mentorship.objects.filter(pk__in=ids).values(
        "pk", "status", "started_at", "created_at", "conversation__last_message_at"
    )
    agreed: dict[int, int] = {}
    for v in (
        AgreementVersion.objects.filter(mentorship_id__in=ids)
        .order_by("mentorship_id", "number")
        .values("mentorship_id", "meetings_per_month", "mentee_signed_at", "mentor_signed_at")
    ):
        signed = v["mentee_signed_at"] is not None and v["mentor_signed_at"] is not None
        if signed or v["mentorship_id"] not in agreed:
            agreed[v["mentorship_id"]] = v["meetings_per_month"]
    held = {
        r["mentorship_id"]: r
        for r in Meeting.objects.filter(mentorship_id__in=ids)
        .values("mentorship_id")
        .annotate(
            held=Count("pk", filter=Q(status="scheduled", starts_at__lte=now)),
            last=Max("starts_at", filter=Q(status="scheduled", starts_at__lte=now)),
        )
    }
    out = {}
    for r in rows:
        h: Any = held.get(r["pk"], {})
        out[r["pk"]] = Facts(
            agreed_per_month=agreed.get(r["pk"], 1),
            held=int(h.get("held") or 0),
            last_meeting_at=h.get("last"),
            live=r["status"] in ("draft", "active", "paused"),
            started_at=r["started_at"] or r["created_at"],
            last_message_at=r["conversation__last_message_at"],
        )
    return out


def meetings_per_month(
    mentorship_ids: Any, *, months: list[tuple[str, dt.datetime, dt.datetime]], now: dt.datetime
) -> dict[str, int]:
    """Meetings held in each (label, start, end) month across the given mentorships (a list of
    ids or a `values(...)` queryset): one aggregate row, no per-meeting function. Held means
    begun before `now`: a meeting still ahead this month is not counted yet."""
    from django.db.models import Count, Q, QuerySet

    from tandem.meetings.models import Meeting

    ids = mentorship_ids if isinstance(mentorship_ids, QuerySet) else list(mentorship_ids)
    if (isinstance(ids, list) and not ids) or not months:
        return {}
    return Meeting.objects.filter(
        mentorship_id__in=ids,
        status="scheduled",
        starts_at__gte=months[0][1],
        starts_at__lt=min(months[-1][2], now),
    ).aggregate(
        **{
            label: Count("pk", filter=Q(starts_at__gte=start, starts_at__lt=end))
            for label, start, end in months
        }
    )


def goals_progress(user_ids: Any) -> list[int]:
    """The progress (0-100) of every goal the given people own (a list of ids or a
    `values(...)` queryset); numbers only, no text."""
    from django.db.models import QuerySet

    from tandem.growth.models import Goal

    ids = user_ids if isinstance(user_ids, QuerySet) else list(user_ids)
    if isinstance(ids, list) and not ids:
        return []
    return list(Goal.objects.filter(owner_id__in=ids).values_list("progress", flat=True))


def places_taken_per_mentor(*, mentorship_ids: Any, request_ids: Any) -> dict[int, int]:
    """Places each mentor has taken among the given mentorships and requests (lists of ids
    or querysets used as subqueries): a live mentorship (draft, active, paused), given by id
    or made from one of the requests, takes one; so does a request still waiting for an answer
    (pending or being thought over), which the mentor may accept at any time. A request that
    was accepted is counted once, as its mentorship. Two queries."""
    from django.db.models import Count, Q

    from tandem.mentorships.models import Mentorship, MentorshipRequest

    out: dict[int, int] = {}
    live = (
        Mentorship.objects.filter(
            Q(pk__in=mentorship_ids) | Q(request_id__in=request_ids),
            status__in=Mentorship.LIVE_STATUSES,
        )
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    waiting = (
        MentorshipRequest.objects.filter(
            pk__in=request_ids, status__in=MentorshipRequest.OPEN_STATUSES
        )
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    for rows in (live, waiting):
        for mentor, n in rows:
            out[int(mentor)] = out.get(int(mentor), 0) + int(n)
    return out


def places_held(
    *, mentorship_ids: Iterable[int], request_ids: Iterable[int]
) -> tuple[set[int], set[int]]:
    """Which of the given mentorships and requests still hold a place: (the live mentorships
    among `mentorship_ids`, the requests among `request_ids` still waiting for an answer or
    accepted into a live mentorship). As `places_taken_per_mentor` counts them; two
    queries."""
    from django.db.models import Q

    from tandem.mentorships.models import Mentorship, MentorshipRequest

    m_ids = {i for i in mentorship_ids if i}
    r_ids = {i for i in request_ids if i}
    if not m_ids and not r_ids:
        return set(), set()
    live = list(
        Mentorship.objects.filter(
            Q(pk__in=m_ids) | Q(request_id__in=r_ids), status__in=Mentorship.LIVE_STATUSES
        ).values_list("pk", "request_id")
    )
    waiting = set(
        MentorshipRequest.objects.filter(
            pk__in=r_ids, status__in=MentorshipRequest.OPEN_STATUSES
        ).values_list("pk", flat=True)
    )
    return (
        {pk for pk, _r in live if pk in m_ids},
        waiting | {r for _pk, r in live if r in r_ids},
    )


def requests_ended_unanswered(request_ids: Iterable[int]) -> set[int]:
    """The given requests that ended without a mentorship (declined, expired, withdrawn)."""
    from tandem.mentorships.models import MentorshipRequest

    ids = [i for i in request_ids if i]
    if not ids:
        return set()
    ended = ("declined", "expired", "withdrawn")
    return set(
        MentorshipRequest.objects.filter(pk__in=ids, status__in=ended).values_list("pk", flat=True)
    )


def request_send(*, mentee: Any, mentor: Any, **plan: Any) -> Any:
    """A mentee's request to a mentor, through mentorships' own service (its rules, its
    emails); the mentee sends it."""
    from tandem.mentorships import services as m_services

    return m_services.request_send(mentee=mentee, mentor=mentor, initiated_by=mentee, **plan)


def mentorship_close_inactive(
    *, mentorship_id: int, days: int, programme_name: str, now: dt.datetime
) -> bool:
    """End a live mentorship for inactivity through mentorships' service (which tells both
    people); False when it was no longer live (nothing done, nobody told)."""
    from tandem.mentorships import services as m_services
    from tandem.mentorships.models import Mentorship

    mentorship = Mentorship.objects.filter(pk=mentorship_id).first()
    if mentorship is None:
        return False
    closed = m_services.mentorship_close_inactive(
        mentorship=mentorship, reason_days=days, programme_name=programme_name, now=now
    )
    return closed is not None


def mentorships_for_requests(request_ids: Iterable[int]) -> dict[int, int]:
    """request id -> the mentorship it led to (accepted requests only)."""
    from tandem.mentorships.models import Mentorship

    ids = [i for i in request_ids if i]
    if not ids:
        return {}
    return dict(Mentorship.objects.filter(request_id__in=ids).values_list("request_id", "pk"))
