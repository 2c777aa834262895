"""The living job description: versions, suggestions and decisions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.growth import selectors
from tandem.growth.models import (
    JD_SECTIONS,
    JobDescription,
    JobDescriptionSuggestion,
    JobDescriptionVersion,
)
from tandem.growth.services._common import _lock_owner
from tandem.notifications.services import email_send_templated


def _sections(values: dict[str, str]) -> dict[str, str]:
    return {name: (values.get(name) or "").strip() for name in JD_SECTIONS}


@transaction.atomic
def job_description_save(
    *,
    owner: User,
    author: User,
    sections: dict[str, str],
    job_title: str | None = None,
    summary: str = "",
    suggested_by: User | None = None,
) -> JobDescriptionVersion:
    """The owner writes a new version. Versions are numbered under a row lock, so two saves at
    once give two consecutive numbers, never a clash."""
    if author.pk != owner.pk:
        raise ValidationError(_("Only the owner writes their job description; others suggest."))
    content = _sections(sections)
    if not any(content.values()):
        raise ValidationError({"purpose": [_("Write at least one section.")]})
    _lock_owner(owner)  # two first saves at once would both create the job description
    jd, _created = JobDescription.objects.get_or_create(owner_id=owner.pk)
    jd = JobDescription.objects.select_for_update().get(pk=jd.pk)
    if job_title is not None:
        jd.job_title = job_title.strip()[:150]
    last = jd.versions.order_by("-number").first()
    if (
        last is not None
        and suggested_by is None
        and all(getattr(last, name) == value for name, value in content.items())
        and last.summary == summary.strip()[:255]
    ):
        # Nothing changed since the current version (a double submit): no copy of it.
        jd.save(update_fields=["job_title"])
        return last
    version = JobDescriptionVersion.objects.create(
        job_description=jd,
        number=(last.number + 1) if last else 1,
        author=author,
        suggested_by=suggested_by,
        summary=summary.strip()[:255],
        **content,
    )
    jd.current_version = version
    jd.last_revised_at = version.created_at
    jd.review_reminded_at = None
    jd.save(update_fields=["job_title", "current_version", "last_revised_at", "review_reminded_at"])
    return version


@transaction.atomic
def job_description_suggest(
    *, job_description: JobDescription, author: User, sections: dict[str, str], note: str = ""
) -> JobDescriptionSuggestion:
    """A mentor or manager proposes a change; the owner is told by email."""
    owner = job_description.owner
    if author.pk == owner.pk:
        raise ValidationError(_("Edit your own job description directly."))
    if not selectors.can_suggest_job_description(author, job_description):
        raise ValidationError(_("Only a mentor or manager of this person can suggest changes."))
    content = _sections(sections)
    current = (
        JobDescription.objects.select_related("current_version")
        .get(pk=job_description.pk)
        .current_version
    )
    if current is not None and all(content[name] == getattr(current, name) for name in JD_SECTIONS):
        raise ValidationError({"purpose": [_("The suggestion changes nothing yet.")]})
    suggestion = JobDescriptionSuggestion.objects.create(
        job_description=job_description,
        based_on=current,
        author=author,
        note=note.strip(),
        **content,
    )
    email_send_templated(
        user=owner,
        template="growth_jd_suggestion",
        context={"suggestion": suggestion, "author": author},
    )
    return suggestion


@transaction.atomic
def job_description_suggestion_decide(
    *, suggestion: JobDescriptionSuggestion, user: User, accept: bool
) -> JobDescriptionSuggestion:
    """The owner accepts (a new version is written from it) or rejects a suggestion. Deciding
    twice, even at the same moment, has no further effect: the row is locked and re-checked."""
    locked = (
        JobDescriptionSuggestion.objects.select_for_update()
        .select_related("job_description__owner", "author")
        .get(pk=suggestion.pk)
    )
    owner = locked.job_description.owner
    if user.pk != owner.pk:
        raise ValidationError(_("Only the owner of the job description decides."))
    if locked.status != JobDescriptionSuggestion.Status.PENDING:
        raise ValidationError(_("This suggestion has already been answered."))
    if accept:
        version = job_description_save(
            owner=owner,
            author=user,
            sections={name: getattr(locked, name) for name in JD_SECTIONS},
            summary=_("Suggestion by %(name)s accepted") % {"name": locked.author},
            suggested_by=locked.author,
        )
        locked.resulting_version = version
    locked.status = (
        JobDescriptionSuggestion.Status.ACCEPTED
        if accept
        else JobDescriptionSuggestion.Status.REJECTED
    )
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at", "resulting_version"])
    return locked
