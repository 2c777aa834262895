"""Opportunities and introductions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.growth import adapters
from tandem.growth.models import Opportunity
from tandem.notifications.services import email_send_templated


@transaction.atomic
def opportunity_record(
    *,
    mentor: User,
    mentee: User,
    kind: str,
    title: str,
    where: str = Opportunity.Where.INSIDE,
    person_name: str = "",
    description: str = "",
) -> Opportunity:
    mentorship = (
        None
        if mentor.pk == mentee.pk
        else adapters.mentorship_between(mentee=mentee, mentor=mentor)
    )
    if mentorship is None:  # not the recorder's mentee (her own mentor included)
        raise ValidationError(
            {"mentee": [_("You can record opportunities for your mentees only.")]}
        )
    opportunity = Opportunity(
        mentee=mentee,
        recorded_by=mentor,
        mentorship=mentorship,
        kind=kind,
        where=where,
        title=title.strip(),
        person_name=person_name.strip(),
        description=description.strip(),
    )
    if kind == Opportunity.Kind.INTRODUCTION and not opportunity.person_name:
        raise ValidationError({"person_name": [_("Name the person you will introduce.")]})
    opportunity.full_clean()
    opportunity.save()
    email_send_templated(
        user=mentee, template="growth_opportunity", context={"opportunity": opportunity}
    )
    return opportunity


@transaction.atomic
def opportunity_follow_up(
    *, opportunity: Opportunity, user: User, pursued: bool, outcome: str = ""
) -> Opportunity:
    """The mentee marks it pursued (with the outcome) or not pursued."""
    if user.pk != opportunity.mentee_id:
        raise ValidationError(_("Only the mentee follows up an opportunity."))
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    locked.status = Opportunity.Status.PURSUED if pursued else Opportunity.Status.PASSED
    locked.outcome = outcome.strip()
    locked.followed_up_at = timezone.now()
    locked.save(update_fields=["status", "outcome", "followed_up_at"])
    return locked
