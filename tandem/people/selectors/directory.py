"""The mentor directory: its filters, the search, and a page of always-public profile cards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)

from tandem.accounts.models import User
from tandem.people import hooks
from tandem.people.models import FIELD_GROUPS, Profile, Visibility
from tandem.people.selectors.visibility import ProfileView, _public_view

DIRECTORY_PAGE_SIZE = 20


def with_active_mentee_count(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """Annotate each profile with `active_mentees` (places taken) in the same query."""
    subquery = hooks.mentee_counts().subquery
    assert subquery is not None
    return queryset.annotate(active_mentees=subquery("user"))


class Availability:
    ACCEPTING = "accepting"
    PAUSED = "paused"
    FULL = "full"
    ALL = (ACCEPTING, PAUSED, FULL)


@dataclass
class DirectoryFilters:
    q: str = ""
    guidance: str = ""
    function: str = ""
    industry: str = ""
    language: str = ""
    seniority: str = ""
    availability: str = ""
    organisation: int | None = None
    association: int | None = None

    def as_query(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


def _words(q: str) -> list[str]:
    return [w for w in q.replace(",", " ").split() if w][:8]


def directory_search(*, viewer: User, filters: DirectoryFilters) -> QuerySet[Profile]:
    """Mentors matching `filters`, best first. Paused and full mentors are included (the
    page shows them with a badge). Goals are searched only where they are public."""
    qs = with_active_mentee_count(
        Profile.objects.filter(is_mentor=True, user__is_active=True)
    ).select_related("user", "organisation", "function", "seniority", "industry")
    if filters.guidance:
        qs = qs.filter(
            Exists(
                Profile.guidance_offered.through._default_manager.filter(
                    profile_id=OuterRef("pk"), listitem__slug=filters.guidance
                )
            )
        )
    if filters.function:
        qs = qs.filter(function__slug=filters.function)
    if filters.industry:
        qs = qs.filter(industry__slug=filters.industry)
    if filters.seniority:
        qs = qs.filter(seniority__slug=filters.seniority)
    if filters.language:
        code = "".join(c for c in filters.language.lower() if c.isalpha())[:3]
        qs = qs.filter(languages__regex=rf"(^|,){code}(,|$)")
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.association:
        qs = qs.filter(
            Exists(
                Profile.associations.through._default_manager.filter(
                    profile_id=OuterRef("pk"), association_id=filters.association
                )
            )
        )
    if filters.availability == Availability.ACCEPTING:
        qs = qs.filter(paused=False, capacity__gt=F("active_mentees"))
    elif filters.availability == Availability.PAUSED:
        qs = qs.filter(paused=True)
    elif filters.availability == Availability.FULL:
        qs = qs.filter(paused=False, capacity__lte=F("active_mentees"))
    ordering: list[Any] = ["paused", "user__full_name", "pk"]
    words = _words(filters.q)
    if words:
        public_goals = Case(
            When(visibility_goals=Visibility.EVERYONE, then=F("goals")),
            default=Value(""),
            output_field=TextField(),
        )
        text_match = Q()
        for word in words:
            text_match &= (
                Q(headline__icontains=word)
                | Q(bio__icontains=word)
                | Q(goals__icontains=word, visibility_goals=Visibility.EVERYONE)
                | Q(user__full_name__icontains=word)
            )
        if connection.vendor == "postgresql":
            vector = SearchVector("headline", weight="A", config="simple") + SearchVector(
                "bio", public_goals, weight="B", config="simple"
            )
            query = SearchQuery(filters.q, config="simple", search_type="websearch")
            qs = qs.annotate(search=vector, rank=SearchRank(vector, query)).filter(
                Q(search=query) | text_match
            )
            ordering = ["-rank", *ordering]
        else:
            qs = qs.filter(text_match)
    return qs.order_by(*ordering)


def directory_page(
    *, viewer: User, filters: DirectoryFilters, page: int = 1, per_page: int = DIRECTORY_PAGE_SIZE
) -> tuple[Page[Profile], list[ProfileView]]:
    """One page of the directory as `viewer` may see it, in a constant number of queries."""
    paginator = Paginator(directory_search(viewer=viewer, filters=filters), per_page)
    page_obj = paginator.get_page(page)
    profiles = list(page_obj.object_list)
    prefetch_related_objects(profiles, "guidance_offered", "associations")
    views = [_directory_entry(viewer, p) for p in profiles]
    return page_obj, views


def _directory_entry(viewer: User, profile: Profile) -> ProfileView:
    """A directory card: only the always-public fields (no per-row queries)."""
    return _public_view(
        viewer,
        profile,
        active_mentees=int(getattr(profile, "active_mentees", 0)),
        visible={group: False for group in FIELD_GROUPS},
    )
