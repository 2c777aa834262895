"""The agreement: versions proposed and signed by both sides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.mentorships.models import (
    MEETING_MINUTES_CHOICES,
    AgreementVersion,
    Channel,
    Formality,
    Mentorship,
    meetings_per_month_error,
)
from tandem.mentorships.services._common import (
    M,
    _lock_mentorship,
    _notify,
    _set_status,
    _side,
    _url,
    add_months,
)
from tandem.mentorships.states import check_mentorship_arrow


def _validate_terms(terms: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not str(terms.get("goal", "")).strip():
        errors["goal"] = [_("Say what you are working towards together.")]
    if (problem := meetings_per_month_error(terms["meetings_per_month"])) is not None:
        errors["meetings_per_month"] = [problem]
    if int(terms["meeting_minutes"]) not in {m for m, _label in MEETING_MINUTES_CHOICES}:
        errors["meeting_minutes"] = [_("Choose one of the meeting lengths offered.")]
    channels = terms.get("channels") or []
    if not channels or any(c not in Channel.values for c in channels):
        errors["channels"] = [_("Choose at least one way to meet.")]
    if terms.get("formality") not in Formality.values:
        errors["formality"] = [_("Choose how formal you want this to be.")]
    if not 1 <= int(terms["review_every_months"]) <= 12:
        errors["review_every_months"] = [_("Review between every month and once a year.")]
    start, end = terms.get("start_date"), terms.get("end_date")
    if not isinstance(start, dt.date):
        errors["start_date"] = [_("Choose a start date.")]
    elif end is not None and end <= start:
        errors["end_date"] = [_("The end date must come after the start date.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_propose(
    *, mentorship: Mentorship, user: User, change_note: str = "", **terms: Any
) -> AgreementVersion:
    """Any change is a new version. Proposing it counts as the proposer's confirmation; the
    other side confirms (signs) it, or proposes a version of their own."""
    mentorship = _lock_mentorship(mentorship)
    side = _side(mentorship, user)
    if not mentorship.is_live:
        raise ValidationError(_("This mentorship has ended; its agreement is kept as it was."))
    latest = mentorship.agreement_versions.order_by("-number").first()
    merged = {f: getattr(latest, f) for f in AgreementVersion.TERMS} if latest else {}
    unknown = set(terms) - set(AgreementVersion.TERMS)
    if unknown:
        raise ValidationError({f: [_("Unknown term.")] for f in sorted(unknown)})
    merged.update(terms)
    merged["channels"] = list(dict.fromkeys(merged.get("channels") or []))
    _validate_terms(merged)
    if latest is not None and all(merged[f] == getattr(latest, f) for f in AgreementVersion.TERMS):
        raise ValidationError({"__all__": [_("Nothing has changed from the latest version.")]})
    now = timezone.now()
    version = AgreementVersion.objects.create(
        mentorship=mentorship,
        number=(latest.number + 1) if latest else 1,
        change_note=change_note.strip()[:300],
        proposed_by=user,
        **{f"{side}_signed_at": now},
        **merged,
    )
    _notify(
        mentorship.other(user),
        "agreement_proposed",
        mentorship=mentorship,
        version=version,
        other=user,
        url=_url("mentorships:detail", mentorship.pk),
    )
    return version


@transaction.atomic
def agreement_sign(*, agreement: AgreementVersion, user: User) -> AgreementVersion:
    mentorship = _lock_mentorship(agreement.mentorship)
    side = _side(mentorship, user)
    version = AgreementVersion.objects.get(pk=agreement.pk)
    if not mentorship.is_live:
        raise ValidationError(_("This mentorship has ended; its agreement is kept as it was."))
    latest = mentorship.agreement_versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ValidationError(_("A newer version exists; read and sign that one instead."))
    if version.signed_by(side):
        raise ValidationError(_("You have already signed this version."))
    now = timezone.now()
    setattr(version, f"{side}_signed_at", now)
    version.save(update_fields=[f"{side}_signed_at"])
    if version.is_signed:
        if mentorship.status == M.DRAFT:
            check_mentorship_arrow(mentorship.status, M.ACTIVE, "system")
            _set_status(mentorship, M.ACTIVE, by=user)
            mentorship.started_at = now
        mentorship.next_review_on = _next_review(mentorship, version)
        mentorship.save(update_fields=["status", "started_at", "next_review_on"])
        for person in (mentorship.mentee, mentorship.mentor):
            _notify(
                person,
                "agreement_signed",
                mentorship=mentorship,
                version=version,
                other=mentorship.other(person),
                url=_url("mentorships:detail", mentorship.pk),
            )
    return version


def _next_review(mentorship: Mentorship, version: AgreementVersion) -> dt.date:
    today = timezone.localdate()
    day = add_months(version.start_date, version.review_every_months)
    while day <= today:
        day = add_months(day, version.review_every_months)
    return day
