"""Organisation administration (/api/v1/people/organisations/{id}/...): for the
organisation's administrators and staff; 404 for anyone else (`selectors.can_administer`)."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Status
from pydantic import Field

from tandem.accounts.selectors import latest_invitations
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import INT_MAX, FieldErrorsOut, Id
from tandem.people import selectors, services
from tandem.people.api._common import router
from tandem.people.api.schemas import (
    OrgAdminIn,
    OrgAdminOut,
    OrgAssociationIn,
    OrgAssociationOut,
    OrgDomainIn,
    OrgDomainOut,
    OrgInvitationOut,
    OrgPeopleOut,
    OrgRelationsIn,
    OrgRelationsOut,
    ProgrammeManagerIn,
    ProgrammeManagerOut,
)
from tandem.people.organisation_audit import organisation_admin_saw


@router.get("/organisations/{organisation_id}/people", response=OrgPeopleOut)
def organisation_people(
    request: AuthedHttpRequest,
    organisation_id: Id,
    joined: bool | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0, le=INT_MAX)] = 0,
):
    """The organisation's people, joined or not (`joined=false`: only those who have not
    joined Tandem yet), with their latest invitation."""
    org = selectors.get_organisation_for_admin(request.user, organisation_id)
    qs = selectors.organisation_people(organisation=org, joined=joined)
    people = list(qs[offset : offset + limit])
    organisation_admin_saw(
        request, organisation=org, what="people", joined=joined, offset=offset, limit=limit
    )
    invitations = latest_invitations([p.pk for p in people])
    results: list[dict[str, Any]] = []
    for person in people:
        invitation = invitations.get(person.pk)
        results.append(
            {
                "id": person.pk,
                "name": person.get_full_name(),
                "email": person.email,
                "joined": person.joined,  # type: ignore[attr-defined]
                "programme_manager": person.programme_manager,  # type: ignore[attr-defined]
                "invitation_sent_at": invitation.sent_at if invitation else None,
                "invitation_expires_at": invitation.expires_at if invitation else None,
            }
        )
    return {"count": qs.count(), "results": results}


@router.post(
    "/organisations/{organisation_id}/people/{user_id}/invitation",
    response={201: OrgInvitationOut, 422: FieldErrorsOut},
)
def organisation_invitation_resend(request: AuthedHttpRequest, organisation_id: Id, user_id: Id):
    """Send someone of the organisation who has not joined their invitation again (a new
    link; the earlier one stops working). 422 when they have joined."""
    org = selectors.get_organisation_for_admin(request.user, organisation_id)
    invitation = services.organisation_invitation_resend(
        organisation=org, user_pk=user_id, by=request.user
    )
    return Status(
        201,
        {
            "user_id": invitation.user_id,
            "sent_at": invitation.sent_at,
            "expires_at": invitation.expires_at,
        },
    )


@router.put(
    "/organisations/{organisation_id}/people/{user_id}/programme-manager",
    response=ProgrammeManagerOut,
)
def organisation_programme_manager(
    request: AuthedHttpRequest, organisation_id: Id, user_id: Id, payload: ProgrammeManagerIn
):
    """Grant (`granted: true`) or take back the right to create and manage programmes."""
    org = selectors.get_organisation_for_admin(request.user, organisation_id)
    person = services.organisation_programme_manager_set(
        organisation=org, user_pk=user_id, granted=payload.granted, by=request.user
    )
    return {"user_id": person.pk, "programme_manager": payload.granted}


@router.put(
    "/organisations/{organisation_id}/relations",
    response={200: OrgRelationsOut, 422: FieldErrorsOut},
)
def organisation_relations(
    request: AuthedHttpRequest, organisation_id: Id, payload: OrgRelationsIn
):
    """Replace the organisation's competitors and partners (both work both ways)."""
    org = selectors.get_organisation_for_admin(request.user, organisation_id)
    services.organisation_relations_set(
        organisation=org,
        by=request.user,
        competitor_ids=list(payload.competitor_ids),
        partner_ids=list(payload.partner_ids),
    )
    return {
        "competitors": [{"id": o.pk, "name": o.name} for o in org.competitors.all()],
        "partners": [{"id": o.pk, "name": o.name} for o in org.partners.all()],
    }


@router.post(
    "/organisations/{organisation_id}/associations",
    response={201: OrgAssociationOut, 422: FieldErrorsOut},
)
def organisation_association_add(
    request: AuthedHttpRequest, organisation_id: Id, payload: OrgAssociationIn
):
    """Add a professional association to the list people choose from."""
    org = selectors.get_organisation_for_admin(request.user, organisation_id)
    association = services.organisation_association_add(
        organisation=org, by=request.user, name=payload.name, description=payload.description
    )
    return Status(201, {"id": association.pk, "name": association.name})


@router.post(
    "/organisations/{organisation_id}/domains",
    response={201: OrgDomainOut, 422: FieldErrorsOut},
)
def organisation_domain_add(request: AuthedHttpRequest, organisation_id: Id, payload: OrgDomainIn):
    """Add an email domain of the organisation (unverified until staff check it)."""
    org = selectors.get_organisation_for_admin(request.user, organisation_id)
    domain = services.organisation_domain_add(
        organisation=org, by=request.user, domain=payload.domain
    )
    return Status(201, {"id": domain.pk, "domain": domain.domain, "verified": domain.verified})


@router.post(
    "/organisations/{organisation_id}/admins",
    response={201: OrgAdminOut, 422: FieldErrorsOut},
)
def organisation_admin_appoint(
    request: AuthedHttpRequest, organisation_id: Id, payload: OrgAdminIn
):
    """Appoint an administrator of the organisation, by their account's email: staff appoint
    anyone, an administrator one of the organisation's own people (422 for anyone else)."""
    org = selectors.get_organisation_for_admin(request.user, organisation_id)
    admin = services.organisation_admin_appoint(
        organisation=org, by=request.user, email=payload.email
    )
    return Status(
        201, {"id": admin.pk, "user_id": admin.user_id, "name": admin.user.get_full_name()}
    )
