"""Keeping in touch: contacts, conversations, the reach-out list, suggested contacts."""

from __future__ import annotations

from django.utils.translation import gettext

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import Id
from tandem.growth import selectors, services
from tandem.growth.api._common import ERRORS, router
from tandem.growth.api.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    ConversationIn,
    ConversationOut,
    KnownPersonOut,
    MentorshipStartedOut,
)


@router.get("/contacts", response=list[ContactOut])
def contacts_list(request: AuthedHttpRequest):
    return list(selectors.contacts_for_user(user=request.user))


@router.post("/contacts", response={201: ContactOut, **ERRORS})
def contacts_create(request: AuthedHttpRequest, payload: ContactIn):
    data = payload.dict()
    user_id = data.pop("user_id")
    other = None
    if user_id is not None:
        other = User.objects.filter(pk=user_id, is_active=True).first()
        if other is None:
            return 422, {"detail": "Invalid input.", "errors": {"user_id": ["Unknown person."]}}
    elif not data["name"].strip():
        return 422, {"detail": "Invalid input.", "errors": {"name": ["Give a name."]}}
    return 201, services.contact_create(owner=request.user, user=other, **data)


@router.get("/contacts/{contact_id}", response=ContactOut)
def contacts_get(request: AuthedHttpRequest, contact_id: Id):
    return selectors.get_contact_for_user(request.user, contact_id)


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contacts_update(request: AuthedHttpRequest, contact_id: Id, payload: ContactPatch):
    """Change details; setting leaving_on marks them as leaving (you get the nudge)."""
    contact = selectors.get_contact_for_user(request.user, contact_id)
    return services.contact_update(contact=contact, **payload.dict(exclude_unset=True))


@router.delete("/contacts/{contact_id}", response={204: None})
def contacts_delete(request: AuthedHttpRequest, contact_id: Id):
    services.contact_delete(contact=selectors.get_contact_for_user(request.user, contact_id))
    return 204, None


@router.get("/contacts/{contact_id}/conversations", response=list[ConversationOut])
def conversations_list(request: AuthedHttpRequest, contact_id: Id):
    return list(selectors.get_contact_for_user(request.user, contact_id).conversations.all())


@router.post("/contacts/{contact_id}/conversations", response={201: ConversationOut, **ERRORS})
def conversations_create(request: AuthedHttpRequest, contact_id: Id, payload: ConversationIn):
    contact = selectors.get_contact_for_user(request.user, contact_id)
    return 201, services.conversation_log(contact=contact, **payload.dict())


@router.post("/contacts/{contact_id}/mentorship", response={201: MentorshipStartedOut, **ERRORS})
def contacts_start_mentorship(request: AuthedHttpRequest, contact_id: Id):
    """Invite a contact to confirm a mentorship with you (no matching needed). A contact on
    Tandem gets a request; for a contact known by email, the request goes to the account with
    that address, or an invitation to join Tandem goes to the address. The answer is the same
    either way (it does not tell whether an account exists)."""
    contact = selectors.get_contact_for_user(request.user, contact_id)
    result = services.contact_propose_mentorship(contact=contact)
    if result.request is None:
        return 201, {
            "detail": gettext(
                "Thank you. If %(email)s can take part, they hear from Tandem and can confirm a "
                "mentorship with you; you will be told when they do."
            )
            % {"email": result.email}
        }
    return 201, {"detail": "Invitation sent. The mentorship starts once they confirm."}


@router.get("/reach-out", response=list[ContactOut])
def reach_out(request: AuthedHttpRequest):
    """Who is due: past their keep-in-touch rhythm, or leaving soon."""
    return selectors.reach_out_list(user=request.user)


@router.get("/contact-suggestions", response=list[KnownPersonOut])
def contact_suggestions(request: AuthedHttpRequest):
    """Bosses and colleagues on Tandem from your career history and reporting line."""
    return [
        {
            "user_id": p.user.pk,
            "name": str(p.user),
            "relationship": p.relationship,
            "known_from": p.known_from,
        }
        for p in selectors.contact_suggestions(user=request.user)
    ]
