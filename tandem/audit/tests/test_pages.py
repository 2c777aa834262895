"""The audit log's page, its CSV export and its API: staff only, filtered, paginated in a
fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import Action, AuditEvent
from tandem.audit.services import audit_record

pytestmark = pytest.mark.django_db

URL = "/audit/"
API = "/api/v1/audit/"


def _events(staff, manager, outsider, n: int = 3) -> None:
    for i in range(n):
        audit_record(actor=manager, action=Action.VIEW, target=f"programme:{i} dashboard")
    audit_record(actor=staff, action=Action.EXPORT, subject_user=outsider, target="people")
    AuditEvent.objects.create(
        actor=manager,
        actor_label=manager.email,
        action=Action.RUN_PUBLISH,
        target="programme:9 run:1",
        created_at=timezone.now() - timedelta(days=40),
    )


def test_the_url_is_audit_list():
    assert reverse("audit:list") == URL


def test_staff_see_the_log_in_a_fixed_number_of_queries(
    staff, staff_client, manager, outsider, django_assert_num_queries
):
    _events(staff, manager, outsider, n=3)
    # session, user, count, one page of events, the navigation's unread badge: the same with
    # 3 or 60 events
    with django_assert_num_queries(5):
        response = staff_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "programme:2 dashboard" in body and manager.email in body and outsider.email in body
    _events(staff, manager, outsider, n=60)
    with django_assert_num_queries(5):
        response = staff_client.get(URL + "?page=2")
    assert response.status_code == 200 and "Page 2 of 2" in response.content.decode()


def test_the_page_filters_by_actor_subject_action_and_dates(staff, staff_client, manager, outsider):
    _events(staff, manager, outsider)

    def targets(query: str) -> list[str]:
        response = staff_client.get(URL + query)
        assert response.status_code == 200
        return [e.target for e in response.context["page"].object_list]

    assert targets(f"?actor={staff.pk}") == ["people"]
    assert targets("?actor=manager@") == [
        "programme:2 dashboard",
        "programme:1 dashboard",
        "programme:0 dashboard",
        "programme:9 run:1",
    ]
    assert targets(f"?subject={outsider.pk}") == ["people"]
    assert targets("?subject=outsider") == ["people"]
    assert targets("?action=run_publish") == ["programme:9 run:1"]
    today = timezone.localdate()
    assert targets(f"?until={today - timedelta(days=30)}") == ["programme:9 run:1"]
    assert "programme:9 run:1" not in targets(f"?since={today - timedelta(days=1)}")


def test_a_bad_filter_is_shown_not_a_500(staff_client):
    response = staff_client.get(URL + "?since=not-a-date&action=peeked&actor=" + "x" * 300)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"since", "action", "actor"}


@pytest.mark.parametrize("persona", ["outsider", "manager", "mentee"])
def test_anyone_but_staff_gets_404_page_csv_and_api(
    persona, request, token_client_for, manager, staff
):
    user = request.getfixturevalue(persona)
    client = request.getfixturevalue(f"{persona}_client")
    before = AuditEvent.objects.count()
    assert client.get(URL).status_code == 404
    assert client.get(URL + "?format=csv").status_code == 404
    assert client.get(API).status_code == 404
    assert token_client_for(user).get(API).status_code == 404
    assert AuditEvent.objects.count() == before  # a refused export records nothing


def test_an_inactive_or_anonymous_visitor_is_refused(client, staff):
    assert client.get(URL).status_code == 302
    assert client.get(API).status_code == 401


def test_the_csv_export_has_every_matching_event_and_is_itself_recorded(
    staff, staff_client, manager, outsider
):
    _events(staff, manager, outsider)
    audit_record(actor=manager, action=Action.VIEW, target="=HYPERLINK(1)")
    response = staff_client.get(URL + f"?actor={manager.pk}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["When (UTC)", "Who", "Who (id)", "Action"]
    assert [r[6] for r in rows[1:]] == [
        "'=HYPERLINK(1)",  # written through safecsv: a formula arrives as text
        "programme:2 dashboard",
        "programme:1 dashboard",
        "programme:0 dashboard",
        "programme:9 run:1",
    ]
    assert {r[1] for r in rows[1:]} == {manager.email}
    export = AuditEvent.objects.filter(action=Action.EXPORT, target="audit-log").get()
    assert (export.actor_id, export.detail) == (staff.pk, {"actor": str(manager.pk)})


def test_the_page_is_in_indonesian_too(staff, staff_client):
    staff.language = "id"
    staff.save()
    response = staff_client.get(URL, HTTP_ACCEPT_LANGUAGE="id")
    assert "Log audit" in response.content.decode()


def test_the_api_lists_and_filters_for_staff_with_a_token(
    staff, manager, outsider, token_client_for, django_assert_num_queries
):
    _events(staff, manager, outsider)
    client = token_client_for(staff)
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    # the five above, and the staff account's creation
    assert (data["count"], data["page"], data["pages"]) == (6, 1, 1)
    first = data["events"][0]
    assert first["actor"] == staff.email and first["subject_user_id"] == outsider.pk
    assert first["action"] == "export" and first["action_text"] == "Exported data"
    assert set(first) >= {"id", "created_at", "target", "method", "path", "ip", "detail"}
    only = client.get(API, {"action": "run_publish"}).json()
    assert [e["target"] for e in only["events"]] == ["programme:9 run:1"]
    assert client.get(API, {"subject": str(outsider.pk)}).json()["count"] == 1
    assert client.get(API, {"actor": "manager@"}).json()["count"] == 4
    today = timezone.localdate()
    assert client.get(API, {"since": str(today)}).json()["count"] == 5
    with django_assert_num_queries(3):  # the token with its user, count, one page
        assert client.get(API, {"page": 9}).json()["page"] == 1


@pytest.mark.parametrize(
    "query",
    [
        {"action": "peeked"},
        {"page": 0},
        {"since": "2026-13-01"},
        {"actor": "x" * 300},
        {"subject": "a\x00b"},
    ],
)
def test_the_api_refuses_bad_filters_with_422(query, staff, token_client_for):
    assert token_client_for(staff).get(API, query).status_code == 422


def test_the_api_with_the_browser_session(staff_client):
    assert staff_client.get(API).status_code == 200
