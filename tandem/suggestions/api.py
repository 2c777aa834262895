"""API: suggestions for the current user (with reasons in their language), and the mentors
they saved for later or marked "not for me"."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import Id, SafeSchema, StrictSchema
from tandem.suggestions import selectors, services, vectors
from tandem.suggestions.models import MentorMark
from tandem.suggestions.selectors import MarkedMentor, Suggestion, SuggestionFilters

router = Router(tags=["suggestions"])


class FiltersIn(SafeSchema):
    limit: int = Field(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT)
    guidance: str = Field("", max_length=50, description="Guidance kind slug the mentor offers")
    language: str = Field("", max_length=3, pattern=r"^[a-z]{0,3}$", description="ISO 639 code")
    function: str = Field("", max_length=50, description="Function slug")
    industry: str = Field("", max_length=50, description="Industry slug")
    seniority: str = Field("", max_length=50, description="Seniority slug")
    organisation: int | None = Field(None, ge=1, description="Organisation id")
    availability: int | None = Field(
        None, ge=1, le=160, description="At least this many hours a month"
    )

    def filters(self) -> SuggestionFilters:
        """The filters of the query, for `selectors.suggestions_for_user`."""
        return SuggestionFilters(
            **{name: getattr(self, name) for name in SuggestionFilters.__dataclass_fields__}
        )


class MentorOut(Schema):
    id: int
    name: str
    headline: str


ENCODER_DOC = (
    "The text encoder that compared your goals with the mentor's experience, one "
    f"of: {', '.join(vectors.ENCODERS)} (TANDEM_TEXT_ENCODER=auto runs multilingual where the "
    "server has it installed)."
)
TEXT_COMPARED_DOC = (
    "Whether your goals and the mentor's experience were compared. False when "
    "either is empty, or while its vector is still being computed (just after an edit, or "
    "after a switch of encoder): the score then counts everything else."
)


class MentorSuggestionOut(Schema):
    """One suggested mentor. (Named apart from growth's SuggestionOut: the OpenAPI document
    keys schemas by class name, and one name for both documented only one of them.)"""

    mentor: MentorOut
    score: float = Field(description="0 to 1")
    score_words: str
    reasons: list[str]
    components: dict[str, float]
    saved: bool
    encoder: str = Field(description=ENCODER_DOC)
    text_compared: bool = Field(description=TEXT_COMPARED_DOC)


class SuggestionsOut(Schema):
    count: int
    suggestions: list[MentorSuggestionOut]


class MarkIn(StrictSchema):
    mentor_id: Id = Field(ge=1)


class MarkOut(Schema):
    id: int
    mentor: MentorOut
    kind: str
    created_at: datetime


class MarkedOut(MarkOut):
    available: bool
    score: float | None
    score_words: str
    reasons: list[str]
    encoder: str = Field(description=ENCODER_DOC)
    text_compared: bool = Field(description=TEXT_COMPARED_DOC)


def _mentor(user: object) -> MentorOut:
    profile = getattr(user, "profile", None)
    return MentorOut(
        id=user.pk,  # type: ignore[attr-defined]
        name=str(user),
        headline=getattr(profile, "headline", "") or "",
    )


def _suggestion(s: Suggestion) -> MentorSuggestionOut:
    return MentorSuggestionOut(
        mentor=_mentor(s.mentor),
        score=round(s.score, 4),
        score_words=s.score_words,
        reasons=s.reasons,
        components={k: round(v, 4) for k, v in s.components.items()},
        saved=s.saved,
        encoder=s.encoder,
        text_compared=s.text_compared,
    )


def suggestions_out(found: list[Suggestion]) -> SuggestionsOut:
    """Ranked suggestions as the API returns them (also for a caller's own scope)."""
    return SuggestionsOut(count=len(found), suggestions=[_suggestion(s) for s in found])


def _marked(m: MarkedMentor) -> MarkedOut:
    return MarkedOut(
        id=m.mark.pk,
        mentor=_mentor(m.mentor),
        kind=m.mark.kind,
        created_at=m.mark.created_at,
        available=m.available,
        score=None if m.score is None else round(m.score, 4),
        score_words=m.score_words,
        reasons=m.reasons,
        encoder=vectors.resolved(),
        text_compared=m.text_compared,
    )


def _mark_out(mark: MentorMark) -> MarkOut:
    return MarkOut(
        id=mark.pk, mentor=_mentor(mark.mentor), kind=mark.kind, created_at=mark.created_at
    )


@router.get("/", response=SuggestionsOut)
def suggestions(request: AuthedHttpRequest, filters: Query[FiltersIn]) -> SuggestionsOut:
    """The best mentors for you, best first, each with a score (also in words) and the
    reasons it fits, in your language. Mentors you marked "not for me" never appear."""
    found = selectors.suggestions_for_user(
        user=request.user, limit=filters.limit, filters=filters.filters()
    )
    return suggestions_out(found)


@router.get("/saved", response=list[MarkedOut])
def saved(request: AuthedHttpRequest) -> list[MarkedOut]:
    """Mentors you saved for later, newest first, with today's fit when they can take you."""
    marked = selectors.marked_mentors(user=request.user, kind=MentorMark.Kind.SAVED, names=None)
    return [_marked(m) for m in marked]


@router.get("/dismissed", response=list[MarkedOut])
def dismissed(request: AuthedHttpRequest) -> list[MarkedOut]:
    """Mentors you marked "not for me"."""
    marked = selectors.marked_mentors(user=request.user, kind=MentorMark.Kind.DISMISSED)
    return [_marked(m) for m in marked]


@router.post("/saved", response={201: MarkOut})
def save(request: AuthedHttpRequest, payload: MarkIn) -> Status:
    """Save a mentor for later (404 unless they are an active mentor other than you)."""
    mentor = selectors.get_mentor_for_user(request.user, payload.mentor_id)
    return Status(201, _mark_out(services.mentor_save(user=request.user, mentor=mentor)))


@router.post("/dismissed", response={201: MarkOut})
def dismiss(request: AuthedHttpRequest, payload: MarkIn) -> Status:
    """Mark a mentor "not for me": they stop appearing in your suggestions until undone."""
    mentor = selectors.get_mentor_for_user(request.user, payload.mentor_id)
    return Status(201, _mark_out(services.mentor_dismiss(user=request.user, mentor=mentor)))


@router.delete("/marks/{mark_id}", response={204: None})
def undo(request: AuthedHttpRequest, mark_id: Id) -> Status:
    """Undo a mark (saved or "not for me"); 404 unless it is yours."""
    services.mark_undo(mark=selectors.get_mark_for_user(request.user, mark_id))
    return Status(204, None)
