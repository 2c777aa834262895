"""The living job description: versions, comparison, suggestions."""

from __future__ import annotations

from django.http import Http404

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import Id
from tandem.growth import selectors, services
from tandem.growth.api._common import ERRORS, router
from tandem.growth.api.schemas import (
    DecisionIn,
    JobDescriptionIn,
    JobDescriptionOut,
    SectionDiffOut,
    SuggestionIn,
    SuggestionOut,
    VersionOut,
)
from tandem.growth.models import JD_SECTIONS


@router.get("/job-description", response=JobDescriptionOut)
def job_description_mine(request: AuthedHttpRequest):
    jd = selectors.job_description_of(owner=request.user)
    if jd is None:
        raise Http404
    return jd


@router.post("/job-description/versions", response={201: VersionOut, **ERRORS})
def job_description_write(request: AuthedHttpRequest, payload: JobDescriptionIn):
    """Save a new version of your own job description."""
    user = request.user
    data = payload.dict()
    return 201, services.job_description_save(
        owner=user,
        author=user,
        sections={name: data[name] for name in JD_SECTIONS},
        job_title=data["job_title"],
        summary=data["summary"],
    )


@router.get("/job-descriptions/{jd_id}", response=JobDescriptionOut)
def job_description_get(request: AuthedHttpRequest, jd_id: Id):
    return selectors.get_job_description_for_user(request.user, jd_id)


@router.get("/job-descriptions/{jd_id}/versions", response=list[VersionOut])
def job_description_versions(request: AuthedHttpRequest, jd_id: Id):
    jd = selectors.get_job_description_for_user(request.user, jd_id)
    return list(selectors.job_description_versions(jd=jd))


@router.get("/job-descriptions/{jd_id}/compare", response=list[SectionDiffOut])
def job_description_compare(request: AuthedHttpRequest, jd_id: Id, a: Id, b: Id):
    """Line-by-line differences between versions a and b, section by section."""
    jd = selectors.get_job_description_for_user(request.user, jd_id)
    old, new = selectors.get_version(jd=jd, number=a), selectors.get_version(jd=jd, number=b)
    return selectors.compare_texts(old, new)


@router.get("/job-descriptions/{jd_id}/suggestions", response=list[SuggestionOut])
def job_description_suggestions(request: AuthedHttpRequest, jd_id: Id):
    """All suggestions for the owner; your own suggestions for a mentor or manager."""
    user = request.user
    jd = selectors.get_job_description_for_user(user, jd_id)
    qs = selectors.job_description_suggestions(jd=jd).select_related("resulting_version")
    return list(qs if jd.owner_id == user.pk else qs.filter(author=user))


@router.post("/job-descriptions/{jd_id}/suggestions", response={201: SuggestionOut, **ERRORS})
def job_description_suggest(request: AuthedHttpRequest, jd_id: Id, payload: SuggestionIn):
    user = request.user
    jd = selectors.get_job_description_for_user(user, jd_id)
    data = payload.dict()
    return 201, services.job_description_suggest(
        job_description=jd,
        author=user,
        sections={name: data[name] for name in JD_SECTIONS},
        note=data["note"],
    )


@router.post("/suggestions/{suggestion_id}/decision", response={200: SuggestionOut, **ERRORS})
def suggestion_decide(request: AuthedHttpRequest, suggestion_id: Id, payload: DecisionIn):
    user = request.user
    suggestion = selectors.get_suggestion_for_user(user, suggestion_id)
    return services.job_description_suggestion_decide(
        suggestion=suggestion, user=user, accept=payload.accept
    )
