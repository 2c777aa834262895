"""The career coaching team."""

from __future__ import annotations

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import Id
from tandem.growth import selectors, services
from tandem.growth.api._common import ERRORS, router
from tandem.growth.api.schemas import RoleOut, TeamMemberIn, TeamMemberOut


@router.get("/team", response=list[RoleOut])
def team(request: AuthedHttpRequest):
    """The six roles with their people; empty roles come with suggestions."""
    rows = []
    for slot in selectors.coaching_team(user=request.user):
        suggestions = [
            {
                "source": "contact",
                "contact_id": c.pk,
                "user_id": c.user_id,
                "name": c.name,
                "reason": str(c.get_relationship_display()),
            }
            for c in slot.contact_suggestions
        ] + [
            {
                "source": "directory",
                "contact_id": None,
                "user_id": d.user.pk,
                "name": str(d.user),
                "reason": str(d.reason),
            }
            for d in slot.directory_suggestions
        ]
        rows.append(
            {
                "role": slot.role,
                "label": str(slot.label),
                "is_empty": slot.is_empty,
                "members": slot.members,
                "mentor_ids": [u.pk for u in slot.mentors],
                "suggestions": suggestions,
            }
        )
    return rows


@router.post("/team", response={201: TeamMemberOut, **ERRORS})
def team_add(request: AuthedHttpRequest, payload: TeamMemberIn):
    """Place one of your contacts (contact_id) or a Tandem user (user_id) in a role."""
    user = request.user
    contact = other = None
    if payload.contact_id is not None:
        contact = selectors.get_contact_for_user(user, payload.contact_id)
    if payload.user_id is not None:
        other = User.objects.filter(pk=payload.user_id, is_active=True).first()
        if other is None:
            return 422, {"detail": "Invalid input.", "errors": {"user_id": ["Unknown person."]}}
    return 201, services.team_member_add(
        owner=user, role=payload.role, contact=contact, user=other, note=payload.note
    )


@router.delete("/team/{member_id}", response={204: None})
def team_remove(request: AuthedHttpRequest, member_id: Id):
    services.team_member_remove(member=selectors.get_team_member_for_user(request.user, member_id))
    return 204, None
