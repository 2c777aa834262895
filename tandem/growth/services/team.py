"""The career coaching team."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.growth.models import CoachingRole, CoachingTeamMember, Contact
from tandem.growth.services.contacts import contact_create


@transaction.atomic
def team_member_add(
    *,
    owner: User,
    role: str,
    contact: Contact | None = None,
    user: User | None = None,
    note: str = "",
) -> CoachingTeamMember:
    """Place a contact, or a Tandem user (who then becomes a contact), in a role."""
    if role not in CoachingRole.values:
        raise ValidationError({"role": [_("Choose one of the six roles.")]})
    if (contact is None) == (user is None):
        raise ValidationError({"contact": [_("Choose one person.")]})
    if contact is not None and contact.owner_id != owner.pk:
        raise ValidationError({"contact": [_("Choose one of your contacts.")]})
    if user is not None:
        contact = Contact.objects.filter(owner=owner, user=user).first() or contact_create(
            owner=owner, user=user, relationship=Contact.Relationship.OTHER
        )
    assert contact is not None
    member, created = CoachingTeamMember.objects.get_or_create(
        owner=owner, role=role, contact=contact, defaults={"note": note.strip()[:255]}
    )
    if not created:
        raise ValidationError({"contact": [_("This person already has this role.")]})
    return member


@transaction.atomic
def team_member_remove(*, member: CoachingTeamMember) -> None:
    member.delete()
