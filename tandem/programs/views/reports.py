"""Health and reports: relationships and the dashboard, each with CSV exports."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.types import AuthedHttpRequest
from tandem.programs import charts, selectors
from tandem.programs.models import Programme, Role
from tandem.programs.oversight import manager_saw
from tandem.programs.views._common import _csv, health_label

# --- health and reports ---------------------------------------------------------------------


@login_required
def relationships(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    qs = selectors.matches_of(programme=programme)
    export = request.GET.get("format") == "csv"
    manager_saw(request, programme_id=programme.pk, what="relationships", export=export)
    if export:
        rows = selectors.relationship_rows(matches=list(qs), programme=programme)
        return _csv(
            f"programme-{programme.pk}-relationships.csv",
            [
                _("Mentee"),
                _("Mentor"),
                _("Health"),
                _("Meetings held"),
                _("Meetings agreed"),
                _("Days since last activity"),
                _("Latest satisfaction"),
                _("Last message"),
            ],
            (
                (
                    r.match.mentee.get_full_name(),
                    r.match.mentor.get_full_name(),
                    health_label(r.health.status),
                    r.health.held,
                    r.health.expected,
                    r.health.days_inactive,
                    r.health.satisfaction or "",
                    r.last_message_at.date().isoformat() if r.last_message_at else "",
                )
                for r in rows
            ),
        )
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.relationship_rows(matches=list(page), programme=programme)
    return render(
        request,
        "programs/relationships.html",
        {
            "programme": programme,
            "page": page,
            "rows": [(r, health_label(r.health.status)) for r in rows],
        },
    )


def _dashboard_tables(programme: Programme) -> tuple[Any, dict[str, Any]]:
    data = selectors.dashboard(programme=programme)
    role_label: dict[str, str] = {Role.MENTEE: _("Mentees"), Role.MENTOR: _("Mentors")}
    series = [(h, health_label(h)) for h, _n in data.health_now]
    tables: dict[str, Any] = {
        "enrolment": {
            "title": _("Enrolment by role"),
            "header": [_("Role"), _("People")],
            "rows": [(role_label[r], n) for r, n in data.enrolment],
        },
        "match_rate": {
            "title": _("Match rate"),
            "header": [_("Mentees"), _("Matched"), _("Match rate")],
            "rows": [(data.mentees, data.matched_mentees, f"{data.match_rate:.0%}")],
        },
        "time_to_match": {
            "title": _("Days from enrolment to match"),
            "header": [_("Days"), _("Mentees")],
            "rows": data.time_to_match,
        },
        "meetings": {
            "title": _("Meetings held per month"),
            "header": [_("Month"), _("Meetings")],
            "rows": data.meetings_per_month,
        },
        "goals": {
            "title": _("Mentees' goals by progress"),
            "header": [_("Progress"), _("Goals")],
            "rows": data.goals_progress,
        },
        "satisfaction": {
            "title": _("Check-in satisfaction (1 to 5)"),
            "header": [_("Satisfaction"), _("Answers")],
            "rows": data.satisfaction,
        },
        "health": {
            "title": _("Relationship health now"),
            "header": [_("Health"), _("Relationships")],
            "rows": [(health_label(h), n) for h, n in data.health_now],
        },
        "health_over_time": {
            "title": _("Relationship health over time (by week)"),
            "header": [_("Week"), *[label for _k, label in series]],
            "rows": [
                (week, *[v.get(k, 0) for k, _l in series]) for week, v in data.health_over_time
            ],
        },
    }
    charts_by_table = {
        "enrolment": charts.bar_chart(tables["enrolment"]["title"], tables["enrolment"]["rows"]),
        "time_to_match": charts.bar_chart(tables["time_to_match"]["title"], data.time_to_match),
        "meetings": charts.bar_chart(tables["meetings"]["title"], data.meetings_per_month),
        "goals": charts.bar_chart(tables["goals"]["title"], data.goals_progress),
        "satisfaction": charts.bar_chart(tables["satisfaction"]["title"], data.satisfaction),
        "health": charts.stacked_chart(
            tables["health"]["title"], [(_("Now"), dict(data.health_now))], series
        ),
        "health_over_time": charts.stacked_chart(
            tables["health_over_time"]["title"], data.health_over_time, series
        ),
    }
    for key, chart in charts_by_table.items():
        tables[key]["chart"] = chart
    return data, tables


@login_required
def dashboard(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    data, tables = _dashboard_tables(programme)
    export = request.GET.get("export")
    if export:
        if export not in tables:
            raise Http404
        manager_saw(request, programme_id=programme.pk, what="dashboard", export=True, table=export)
        t = tables[export]
        return _csv(f"programme-{programme.pk}-{export}.csv", t["header"], t["rows"])
    manager_saw(request, programme_id=programme.pk, what="dashboard")
    return render(
        request,
        "programs/dashboard.html",
        {"programme": programme, "data": data, "tables": tables, "now": timezone.now()},
    )
