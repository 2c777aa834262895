"""Opportunities."""

from __future__ import annotations

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import Id
from tandem.growth import selectors, services
from tandem.growth.api._common import ERRORS, router
from tandem.growth.api.schemas import FollowUpIn, OpportunityIn, OpportunityOut


@router.get("/opportunities", response=list[OpportunityOut])
def opportunities_list(request: AuthedHttpRequest):
    """Opportunities offered to you and those you recorded for your mentees."""
    return list(selectors.opportunities_for_user(user=request.user))


@router.post("/opportunities", response={201: OpportunityOut, **ERRORS})
def opportunities_create(request: AuthedHttpRequest, payload: OpportunityIn):
    data = payload.dict()
    mentee = User.objects.filter(pk=data.pop("mentee_id"), is_active=True).first()
    if mentee is None:
        return 422, {"detail": "Invalid input.", "errors": {"mentee_id": ["Unknown person."]}}
    return 201, services.opportunity_record(mentor=request.user, mentee=mentee, **data)


@router.get("/opportunities/{opportunity_id}", response=OpportunityOut)
def opportunities_get(request: AuthedHttpRequest, opportunity_id: Id):
    return selectors.get_opportunity_for_user(request.user, opportunity_id)


@router.post("/opportunities/{opportunity_id}/follow-up", response={200: OpportunityOut, **ERRORS})
def opportunities_follow_up(request: AuthedHttpRequest, opportunity_id: Id, payload: FollowUpIn):
    user = request.user
    opportunity = selectors.get_opportunity_for_user(user, opportunity_id)
    return services.opportunity_follow_up(
        opportunity=opportunity, user=user, pursued=payload.pursued, outcome=payload.outcome
    )
