"""Staged cohort matching runs: start one, and execute it in the background."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.programs import adapters, selectors
from tandem.programs.models import (
    MatchRun,
    Membership,
    PairRule,
    Programme,
    ProposedPair,
    Role,
    Unmatched,
)
from tandem.programs.selectors.cohort import mentees_to_match, pairs_matched
from tandem.programs.services._common import clean_weights

# --- matching runs --------------------------------------------------------------------------


@transaction.atomic
def run_start(
    *,
    programme: Programme,
    by: User,
    weights: dict[str, Any] | None = None,
    objective: str = "coverage",
) -> MatchRun:
    """Stage a new run; the worker computes it. The weights given become the programme's.

    A programme that has published may run again: the run matches whoever is left (see
    `run_execute`), so there must be someone left to match."""
    from tandem.programs.tasks import run_matching

    if objective not in ("coverage", "score"):
        raise ValidationError({"objective": [_("Coverage or score.")]})
    if weights is not None:
        programme.weights = clean_weights(weights)
        programme.save(update_fields=["weights"])
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if not Membership.objects.filter(programme=programme, role=Role.MENTEE).exists():
        raise ValidationError({"__all__": [_("Enrol some mentees first.")]})
    if not Membership.objects.filter(programme=programme, role=Role.MENTOR).exists():
        raise ValidationError({"__all__": [_("Enrol some mentors first.")]})
    if not mentees_to_match(programme=programme):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Every mentee already has as many mentors in this programme as it "
                        "allows. Enrol more mentees (the invite link or a CSV) to match again."
                    )
                ]
            }
        )
    number = (programme.runs.aggregate(m=Max("number"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                programme=programme,
                number=number,
                weights=programme.weights,
                objective=objective,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            {"__all__": [_("A run is already in progress. Wait for it to finish.")]}
        ) from None
    transaction.on_commit(lambda: run_matching.enqueue(run.pk))
    return run


def _within_quota(
    pairs: list[adapters.EnginePair], quota: dict[int, int], pinned: set[tuple[int, int]]
) -> list[adapters.EnginePair]:
    """At most `quota[mentee]` pairs for each mentee (the engine gives every mentee of a run
    as many mentors as the one who may have the most): pinned pairs first, then the best
    scores. With one mentor per mentee, nothing is ever dropped."""
    count: dict[int, int] = {}
    keep: set[int] = set()
    ranked = sorted(
        range(len(pairs)),
        key=lambda i: ((pairs[i].mentee_id, pairs[i].mentor_id) not in pinned, -pairs[i].score),
    )
    for i in ranked:
        mentee = pairs[i].mentee_id
        if count.get(mentee, 0) < quota.get(mentee, 0):
            count[mentee] = count.get(mentee, 0) + 1
            keep.add(i)
    return [p for i, p in enumerate(pairs) if i in keep]


def _set_progress(run_id: int, progress: int, stage: str = "") -> None:
    MatchRun.objects.filter(pk=run_id).update(progress=min(100, max(0, progress)), stage=stage)


def run_execute(*, run_id: int) -> str:
    """Compute a queued run. Idempotent: a run already started or finished is left alone.

    The run matches the mentees who may still get a mentor in the programme
    (`selectors.mentees_to_match`): everyone at first; after a publish, those left without
    one and late joiners. Published pairs are kept: their mentees are not in the run (or, with
    several mentors per mentee, get only the mentors they still may have), their mentors'
    places in it are what those pairs leave (`selectors.mentor_places`), and no pair matched
    before in the programme is proposed again. Pins and forbids apply to the pairs of the
    run; a pin whose pair is already matched is done."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != MatchRun.Status.QUEUED:
            return "skipped"
        run.status = MatchRun.Status.RUNNING
        run.started_at = timezone.now()
        run.stage = "loading"
        run.save(update_fields=["status", "started_at", "stage"])
    programme = run.programme
    try:
        quota = mentees_to_match(programme=programme)
        members = list(
            Membership.objects.filter(programme=programme, role__in=[Role.MENTEE, Role.MENTOR])
            .select_related("user", "user__profile")
            .order_by("pk")
        )
        mentees = [m.user for m in members if m.role == Role.MENTEE and m.user_id in quota]
        mentors = [m.user for m in members if m.role == Role.MENTOR]
        kept = sum(1 for m in members if m.role == Role.MENTEE and m.user_id not in quota)
        # Places in this run: the programme's capacity for each mentor less the places their
        # pairs in it hold (published or not); the engine also caps them at their free places.
        capacities = selectors.mentor_places(programme=programme)
        rules = selectors.rules_for(programme=programme)
        matched_before = pairs_matched(programme=programme)
        in_run = set(quota)
        pinned = [
            p
            for p, k in rules.items()
            if k == PairRule.Kind.PIN and p[0] in in_run and p not in matched_before
        ]
        forbidden = {p for p, k in rules.items() if k == PairRule.Kind.FORBID} | matched_before
        forbidden = {p for p in forbidden if p[0] in in_run}
        _set_progress(run.pk, 10, "scoring")
        result = adapters.run_engine(
            mentees=mentees,
            mentors=mentors,
            capacities=capacities,
            weights=run.weights,
            per_mentee=max(quota.values(), default=1),
            pinned=pinned,
            forbidden=forbidden,
            progress=lambda pct, stage: _set_progress(run.pk, 10 + int(pct * 0.8), stage),
            objective=run.objective,
        )
    except Exception as exc:  # the run fails visibly; the page shows why
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return "failed"
    result.pairs = _within_quota(result.pairs, quota, set(pinned))
    pins = {p for p, k in rules.items() if k == PairRule.Kind.PIN}
    with transaction.atomic():
        ProposedPair.objects.filter(run=run).delete()
        Unmatched.objects.filter(run=run).delete()
        ProposedPair.objects.bulk_create(
            [
                ProposedPair(
                    run=run,
                    mentee_id=p.mentee_id,
                    mentor_id=p.mentor_id,
                    score=round(p.score, 6),
                    reasons=p.reasons,
                    pinned=(p.mentee_id, p.mentor_id) in pins,
                )
                for p in result.pairs
            ],
            batch_size=1000,
        )
        Unmatched.objects.bulk_create(
            [Unmatched(run=run, mentee_id=m, why=why) for m, why in result.unmatched],
            batch_size=1000,
        )
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.DONE,
            progress=100,
            stage="",
            mentees_total=len(mentees),
            matched=len({p.mentee_id for p in result.pairs}),
            kept=kept,
            total_score=round(sum(p.score for p in result.pairs), 6),
            objective=result.objective,
            certificate=result.certificate,
            encoder=result.encoder,
            finished_at=timezone.now(),
        )
    return "done"
