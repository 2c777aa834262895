"""API: every action of the pages — try-out questions, requests and invitations, answers,
the agreement with its versions and differences, reviews, pausing and ending.

Mounted at /api/v1/mentorships/. A rule broken (a full mentor, a second open request, a
state that does not allow the change) answers 422 with field-level errors; someone who may
not see the object gets 404."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import FieldErrorsOut, Id
from tandem.mentorships import adapters, selectors, services
from tandem.mentorships.models import (
    PLAN_FIELDS,
    TryOut,
)
from tandem.mentorships.schemas import (
    AgreementIn,
    AgreementOut,
    CheckInIn,
    CheckInOut,
    ChoiceOut,
    ClosingIn,
    ClosingOut,
    DeclineIn,
    EndIn,
    InvitationIn,
    MentorshipOut,
    PauseIn,
    PlanIn,
    RequestIn,
    RequestOut,
    ReviewOut,
    StatusChangeOut,
    TermChangeOut,
    TryOutAnswerIn,
    TryOutIn,
    TryOutOut,
)

router = Router(tags=["mentorships"])
ERR = {422: FieldErrorsOut}


def _person(request: AuthedHttpRequest, pk: Id, field: str) -> User:
    person = User.objects.filter(pk=pk, is_active=True).exclude(pk=request.user.pk or 0).first()
    if person is None:
        raise ValidationError({field: [_("There is no such person, or it is you.")]})
    return person


# --- reference lists ------------------------------------------------------------------------


@router.get("/guidance-kinds", response=list[ChoiceOut])
def guidance_kinds(request: AuthedHttpRequest) -> Any:
    return [{"key": k, "label": str(v)} for k, v in adapters.guidance_kinds()]


@router.get("/decline-templates", response=list[ChoiceOut])
def decline_templates(request: AuthedHttpRequest) -> Any:
    return [{"key": k, "label": str(v)} for k, v in services.DECLINE_TEMPLATES.items()]


# --- try-out questions ----------------------------------------------------------------------


@router.get("/tryouts", response=list[TryOutOut])
def tryouts_list(request: AuthedHttpRequest) -> Any:
    return list(selectors.tryouts_for_user(user=request.user))


@router.post("/tryouts", response={201: TryOutOut, **ERR})
def tryouts_create(request: AuthedHttpRequest, payload: TryOutIn) -> Any:
    mentor = _person(request, payload.mentor_id, "mentor_id")
    return 201, services.tryout_ask(mentee=request.user, mentor=mentor, question=payload.question)


@router.get("/tryouts/{tryout_id}", response=TryOutOut)
def tryouts_get(request: AuthedHttpRequest, tryout_id: Id) -> Any:
    return selectors.get_tryout_for_user(request.user, tryout_id)


@router.post("/tryouts/{tryout_id}/answer", response={200: TryOutOut, **ERR})
def tryouts_answer(request: AuthedHttpRequest, tryout_id: Id, payload: TryOutAnswerIn) -> TryOut:
    tryout = selectors.get_tryout_for_user(request.user, tryout_id)
    return services.tryout_answer(tryout=tryout, user=request.user, answer=payload.answer)


@router.post("/tryouts/{tryout_id}/let-go", response={200: TryOutOut, **ERR})
def tryouts_let_go(request: AuthedHttpRequest, tryout_id: Id) -> TryOut:
    tryout = selectors.get_tryout_for_user(request.user, tryout_id)
    return services.tryout_let_go(tryout=tryout, user=request.user)


@router.post("/tryouts/{tryout_id}/withdraw", response={200: TryOutOut, **ERR})
def tryouts_withdraw(request: AuthedHttpRequest, tryout_id: Id) -> TryOut:
    tryout = selectors.get_tryout_for_user(request.user, tryout_id)
    return services.tryout_withdraw(tryout=tryout, user=request.user)


# --- requests and invitations -----------------------------------------------------------------


def plan_of(payload: PlanIn) -> dict[str, Any]:
    """The plan of a request or invitation, as `services.request_send` takes it."""
    why = payload.why_this_mentor or "\n".join(r.strip() for r in payload.reasons if r.strip())
    return {name: getattr(payload, name) for name in PLAN_FIELDS} | {"why_this_mentor": why[:2000]}


@router.get("/requests", response=list[RequestOut])
def requests_list(request: AuthedHttpRequest, box: Literal["all", "inbox", "sent"] = "all") -> Any:
    user = request.user
    if box == "inbox":
        qs = selectors.request_inbox(user=user)
    elif box == "sent":
        qs = selectors.requests_sent(user=user)
    else:
        qs = selectors.requests_for_user(user=user)
    return list(qs.select_related("mentorship"))


@router.post("/requests", response={201: RequestOut, **ERR})
def requests_create(request: AuthedHttpRequest, payload: RequestIn) -> Any:
    me = request.user
    mentor = _person(request, payload.mentor_id, "mentor_id")
    return 201, services.request_send(
        mentee=me, mentor=mentor, initiated_by=me, not_a_job=payload.not_a_job, **plan_of(payload)
    )


@router.post("/invitations", response={201: RequestOut, **ERR})
def invitations_create(request: AuthedHttpRequest, payload: InvitationIn) -> Any:
    mentee = _person(request, payload.mentee_id, "mentee_id")
    me = request.user
    return 201, services.request_send(mentee=mentee, mentor=me, initiated_by=me, **plan_of(payload))


@router.get("/requests/{request_id}", response=RequestOut)
def requests_get(request: AuthedHttpRequest, request_id: Id) -> Any:
    return selectors.get_request_for_user(request.user, request_id)


@router.post("/requests/{request_id}/accept", response={201: MentorshipOut, **ERR})
def requests_accept(request: AuthedHttpRequest, request_id: Id) -> Any:
    req = selectors.get_request_for_user(request.user, request_id)
    mentorship = services.request_accept(req=req, user=request.user)
    return 201, selectors.get_mentorship_for_user(request.user, mentorship.pk)


@router.post("/requests/{request_id}/decline", response={200: RequestOut, **ERR})
def requests_decline(request: AuthedHttpRequest, request_id: Id, payload: DeclineIn) -> Any:
    req = selectors.get_request_for_user(request.user, request_id)
    return services.request_decline(
        req=req, user=request.user, template=payload.template, message=payload.message
    )


@router.post("/requests/{request_id}/think", response={200: RequestOut, **ERR})
def requests_think(request: AuthedHttpRequest, request_id: Id) -> Any:
    req = selectors.get_request_for_user(request.user, request_id)
    return services.request_think(req=req, user=request.user)


@router.post("/requests/{request_id}/withdraw", response={200: RequestOut, **ERR})
def requests_withdraw(request: AuthedHttpRequest, request_id: Id) -> Any:
    req = selectors.get_request_for_user(request.user, request_id)
    return services.request_withdraw(req=req, user=request.user)


# --- mentorships and agreements ---------------------------------------------------------------


@router.get("/", response=list[MentorshipOut])
def mentorships_list(request: AuthedHttpRequest) -> Any:
    return list(selectors.mentorships_for_user(user=request.user))


@router.get("/{mentorship_id}", response=MentorshipOut)
def mentorships_get(request: AuthedHttpRequest, mentorship_id: Id) -> Any:
    return selectors.get_mentorship_for_user(request.user, mentorship_id)


@router.get("/{mentorship_id}/history", response=list[StatusChangeOut])
def mentorships_history(request: AuthedHttpRequest, mentorship_id: Id) -> Any:
    """Every change of state, oldest first: who made it (none when Tandem closed it for
    inactivity) and why, in your language."""
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    return list(mentorship.status_changes.all())


@router.get("/{mentorship_id}/agreements", response=list[AgreementOut])
def agreements_list(request: AuthedHttpRequest, mentorship_id: Id) -> Any:
    return selectors.get_mentorship_for_user(request.user, mentorship_id)._versions()


@router.post("/{mentorship_id}/agreements", response={201: AgreementOut, **ERR})
def agreements_propose(request: AuthedHttpRequest, mentorship_id: Id, payload: AgreementIn) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    terms = payload.dict(exclude_none=True)
    change_note = terms.pop("change_note", "")
    if "end_date" in payload.model_fields_set and payload.end_date is None:
        terms["end_date"] = None
    return 201, services.agreement_propose(
        mentorship=mentorship, user=request.user, change_note=change_note, **terms
    )


@router.get("/{mentorship_id}/agreements/diff", response=list[TermChangeOut])
def agreements_diff(request: AuthedHttpRequest, mentorship_id: Id, a: Id, b: Id) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    old = selectors.get_agreement_version(mentorship, a)
    new = selectors.get_agreement_version(mentorship, b)
    return selectors.agreement_diff(old, new)


@router.get("/{mentorship_id}/agreements/{number}", response=AgreementOut)
def agreements_get(request: AuthedHttpRequest, mentorship_id: Id, number: Id) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    return selectors.get_agreement_version(mentorship, number)


@router.post("/{mentorship_id}/agreements/{number}/sign", response={200: AgreementOut, **ERR})
def agreements_sign(request: AuthedHttpRequest, mentorship_id: Id, number: Id) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    version = selectors.get_agreement_version(mentorship, number)
    return services.agreement_sign(agreement=version, user=request.user)


@router.post("/{mentorship_id}/reviews", response={201: ReviewOut, **ERR})
def reviews_open(request: AuthedHttpRequest, mentorship_id: Id) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    return 201, services.review_open(mentorship=mentorship, user=request.user)


@router.get("/{mentorship_id}/reviews", response=list[ReviewOut])
def reviews_list(request: AuthedHttpRequest, mentorship_id: Id) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    return list(mentorship.reviews.prefetch_related("check_ins"))


@router.post("/{mentorship_id}/check-ins", response={201: CheckInOut, **ERR})
def checkins_create(request: AuthedHttpRequest, mentorship_id: Id, payload: CheckInIn) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    review = selectors.open_review(mentorship=mentorship)
    if review is None:
        raise ValidationError({"__all__": [_("There is no review open right now.")]})
    return 201, services.checkin_submit(review=review, user=request.user, **payload.dict())


@router.post("/{mentorship_id}/pause", response={200: MentorshipOut, **ERR})
def mentorships_pause(request: AuthedHttpRequest, mentorship_id: Id, payload: PauseIn) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    services.mentorship_pause(mentorship=mentorship, user=request.user, note=payload.note)
    return selectors.get_mentorship_for_user(request.user, mentorship_id)


@router.post("/{mentorship_id}/resume", response={200: MentorshipOut, **ERR})
def mentorships_resume(request: AuthedHttpRequest, mentorship_id: Id) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    services.mentorship_resume(mentorship=mentorship, user=request.user)
    return selectors.get_mentorship_for_user(request.user, mentorship_id)


@router.post("/{mentorship_id}/end", response={200: MentorshipOut, **ERR})
def mentorships_end(request: AuthedHttpRequest, mentorship_id: Id, payload: EndIn) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    services.mentorship_end(
        mentorship=mentorship,
        user=request.user,
        completed=payload.outcome == "completed",
        reflection=payload.reflection,
        thanks=payload.thanks,
    )
    return selectors.get_mentorship_for_user(request.user, mentorship_id)


@router.post("/{mentorship_id}/closing", response={201: ClosingOut, **ERR})
def mentorships_closing(request: AuthedHttpRequest, mentorship_id: Id, payload: ClosingIn) -> Any:
    mentorship = selectors.get_mentorship_for_user(request.user, mentorship_id)
    return 201, services.closing_add(
        mentorship=mentorship,
        user=request.user,
        reflection=payload.reflection,
        thanks=payload.thanks,
    )
