"""Publishing a run: its pairs become matches within the programme's limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.audit.models import Action
from tandem.audit.services import audit_record
from tandem.programs import adapters, selectors
from tandem.programs.models import (
    Circle,
    CircleMember,
    Match,
    MatchRun,
    Membership,
    Programme,
    ProposedPair,
    Role,
)
from tandem.programs.selectors.reasons import Names, names_read, pair_reasons
from tandem.programs.services._common import _member_ids, _notify, _url
from tandem.programs.services.circle_sessions import circle_initial_video_url


@dataclass
class PublishResult:
    matches: int = 0
    failed: int = 0
    circles: int = 0
    skipped: list[ProposedPair] = field(default_factory=list)  # each with its `skipped` reason


def _keep_within_limits(programme: Programme, pairs: list[ProposedPair]) -> list[ProposedPair]:
    """Check the programme's limits again at publishing, under the caller's transaction: lock
    every mentor's membership row in pk order (a self-match request locks its mentor's and
    its mentee's rows in pk order too, so the two cannot deadlock and run one after the
    other), then count what a self-match request counts: each mentor's places
    (`selectors.mentor_places`: live mentorships and waiting requests in the programme) and
    each mentee's open matches (`selectors.open_pairs`) against `mentors_per_mentee`. A pair
    whose own match is still open (a request or mentorship they started themselves) is left
    as it is. Pinned pairs, then the best scores, keep the places there are; the others are
    marked skipped with the reason. Returns the pairs to publish, in the proposal's order."""
    list(
        Membership.objects.select_for_update()
        .filter(programme=programme, role=Role.MENTOR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    places = selectors.mentor_places(programme=programme)
    mentees = _member_ids(programme, Role.MENTEE)
    held = selectors.open_pairs(programme=programme)
    mentors_of: dict[int, int] = {}
    for mentee_id, _mentor_id in held:
        mentors_of[mentee_id] = mentors_of.get(mentee_id, 0) + 1
    keep: set[int] = set()
    skipped: list[ProposedPair] = []
    for p in sorted(pairs, key=lambda p: (not p.pinned, -p.score, p.pk)):
        if p.mentee_id not in mentees:
            p.skipped = ProposedPair.Skipped.MENTEE_LEFT
        elif p.mentor_id not in places:
            p.skipped = ProposedPair.Skipped.MENTOR_LEFT
        elif (p.mentee_id, p.mentor_id) in held:
            p.skipped = ProposedPair.Skipped.ALREADY_MATCHED
        elif mentors_of.get(p.mentee_id, 0) >= programme.mentors_per_mentee:
            p.skipped = ProposedPair.Skipped.MENTEE_FULL
        elif places[p.mentor_id] <= 0:
            p.skipped = ProposedPair.Skipped.NO_PLACE
        else:
            places[p.mentor_id] -= 1
            mentors_of[p.mentee_id] = mentors_of.get(p.mentee_id, 0) + 1
            keep.add(p.pk)
            continue
        skipped.append(p)
    if skipped:
        ProposedPair.objects.bulk_update(skipped, ["skipped"], batch_size=1000)
    return [p for p in pairs if p.pk in keep]


def _circles_of(programme: Programme, mentor_ids: list[int]) -> dict[int, Circle]:
    """Each of these mentors' circle in the programme (the latest, should one lead several)."""
    return {
        c.mentor_id: c
        for c in Circle.objects.filter(programme=programme, mentor_id__in=mentor_ids).order_by("pk")
    }


def _tell_both(programme: Programme, match: Match, pair: ProposedPair, names: Names) -> None:
    """Each side of a published pair learns what happened, in their language: they are
    matched in this programme with this person, why (the run's reasons, said to them), and
    what happens next: the mentorship has started, they are asked to confirm the match, the
    other is asked to, or their circle meets. One email each (`matched_mentee`,
    `matched_mentor`); mentorships sends none for a pair the programme proposed."""
    request = match.request if match.request_id else None
    for side, user, other in (
        ("mentee", match.mentee, match.mentor),
        ("mentor", match.mentor, match.mentee),
    ):
        if match.circle_id:
            step, url = "circle", _url("programs:circle", match.circle_id)
        elif match.mentorship_id:
            step, url = "mentorship", _url("mentorships:detail", match.mentorship_id)
        elif request is not None and request.answerer_id == user.pk:
            step, url = "answer", _url("mentorships:request", request.pk)
        else:
            step, url = "waiting", _url("programs:detail", programme.pk)
        _notify(
            user,
            f"matched_{side}",
            programme=programme,
            other=other,
            reasons=pair_reasons(pair.reasons, names, reader=side),
            step=step,
            circle=match.circle,
            url=url,
        )


def run_publish(*, run: MatchRun, by: User) -> PublishResult:
    """Turn the proposal into requests or mentorships (group circles for a circle
    programme) and tell everyone, each in their own language.

    Consent: a mentorship starts at publishing only when the approval rule says matches
    start then (nobody, or the manager by publishing) and both people joined the programme
    themselves (the invite link, or an invitation they accepted); its history names `by`,
    the manager who published. Every other pair becomes a request that the person who has
    not agreed answers (`adapters.publish_pair`), marked as the programme's proposal: nobody
    sent it. Each side gets one email saying what happened (`_tell_both`).

    A programme may publish again: a later run matches whoever is left (`run_execute`). A
    run computed before a later publish is refused (it did not see those matches).

    A mentorship or a request may have started in the programme between the run and now, so
    its limits are checked again first (`_keep_within_limits`, under the same lock as a
    self-match request): a pair that no longer fits is not published but reported in
    `skipped`, with its reason stored on the pair for the run page; everything else
    publishes. A mentee left with no published pair is told, like those the run did not
    match. All in one transaction: nothing is half-published."""
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=run.programme_id)
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.status != MatchRun.Status.DONE:
            raise ValidationError({"__all__": [_("Only a finished run can be published.")]})
        if run.published_at is not None:
            raise ValidationError({"__all__": [_("This run is already published.")]})
        later = (
            programme.runs.filter(published_at__gt=run.started_at or run.created_at)
            .order_by("-published_at")
            .first()
        )
        if later is not None:
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "Run %(number)s was published after this run was computed. Run "
                            "matching again: the new run matches whoever is left now."
                        )
                        % {"number": later.number}
                    ]
                }
            )
        now = timezone.now()
        first_checkin = selectors.server_localdate(now) + dt.timedelta(
            days=programme.checkin_first_days
        )
        out = PublishResult()
        proposed = list(run.pairs.select_related("mentee", "mentor"))
        pairs = _keep_within_limits(programme, proposed)
        kept = {p.pk for p in pairs}
        out.skipped = [p for p in proposed if p.pk not in kept]
        # A pair matched in this programme before (a self-match request since declined)
        # starts again on its existing match, as a self-match request does. Only a match
        # that holds nothing any more: one still open (a waiting request, a live mentorship)
        # was skipped above, so it keeps its request and stays counted and swept.
        earlier = {
            (mentee_id, mentor_id): pk
            for pk, mentee_id, mentor_id in Match.objects.filter(programme=programme).values_list(
                "pk", "mentee_id", "mentor_id"
            )
        }

        def match_for(p: ProposedPair, **fields: Any) -> Match:
            values = {
                "run": run,
                "circle": None,
                "matched_at": now,
                "next_checkin_on": first_checkin,
                "inactive_alerted_at": None,
                "close_warned_at": None,
                "closed_at": None,
                **fields,
            }
            pk = earlier.get((p.mentee_id, p.mentor_id))
            if pk is None:
                return Match.objects.create(
                    programme=programme, mentee=p.mentee, mentor=p.mentor, **values
                )
            Match.objects.filter(pk=pk).update(**values)
            return Match.objects.select_related("mentee", "mentor").get(pk=pk)

        published: list[tuple[Match, ProposedPair]] = []
        if programme.kind == Programme.Kind.GROUP:
            by_mentor: dict[int, list[ProposedPair]] = {}
            for p in pairs:
                by_mentor.setdefault(p.mentor_id, []).append(p)
            # A mentor with a circle from an earlier publish takes the new mentees into it.
            circles = _circles_of(programme, list(by_mentor))
            for group in by_mentor.values():
                mentor = group[0].mentor
                circle = circles.get(mentor.pk)
                if circle is None:
                    circle = Circle.objects.create(
                        programme=programme,
                        mentor=mentor,
                        name=_("%(name)s's circle") % {"name": mentor.get_full_name()},
                        time=dt.time(17, 0),
                        video_url=circle_initial_video_url(),
                    )
                    out.circles += 1
                CircleMember.objects.bulk_create(
                    [CircleMember(circle=circle, mentee=p.mentee) for p in group],
                    ignore_conflicts=True,
                )
                for p in group:
                    match = match_for(p, circle=circle, request=None, mentorship=None)
                    published.append((match, p))
        else:
            joined = selectors.self_joined(programme=programme)
            for p in pairs:
                result = adapters.publish_pair(
                    mentee=p.mentee,
                    mentor=p.mentor,
                    approval=programme.approval,
                    programme_name=programme.name,
                    months=programme.duration_months,
                    mentee_consented=(p.mentee_id, Role.MENTEE) in joined,
                    mentor_consented=(p.mentor_id, Role.MENTOR) in joined,
                    published_by=by,
                )
                if result.error:
                    p.publish_error = result.error
                    p.save(update_fields=["publish_error"])
                    out.failed += 1
                    continue
                match = match_for(p, request=result.request, mentorship=result.mentorship)
                published.append((match, p))
        out.matches = len(published)
        run.published_at = now
        run.save(update_fields=["published_at"])
        audit_record(
            actor=by,
            action=Action.RUN_PUBLISH,
            target=f"programme:{programme.pk} run:{run.pk}",
            detail={
                "run": run.number,
                "matches": out.matches,
                "failed": out.failed,
                "skipped": len(out.skipped),
            },
        )
        url = _url("programs:detail", programme.pk)
        names = names_read()
        for match, p in published:
            _tell_both(programme, match, p, names)
        for u in run.unmatched.select_related("mentee"):
            _notify(u.mentee, "not_matched", programme=programme, url=url)
        matched = {m.mentee_id for m, _p in published}
        left_out = {
            p.mentee_id: p.mentee
            for p in out.skipped
            if p.skipped != ProposedPair.Skipped.MENTEE_LEFT and p.mentee_id not in matched
        }
        for mentee in left_out.values():
            _notify(mentee, "not_matched", programme=programme, url=url)
        return out
