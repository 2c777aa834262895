"""`audit_scope`: a service's context for the events recorded by themselves inside it (a right
granted through a signal), so that the change is on record once, with who made it and
where, with or without a request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory

from tandem.accounts.models import User
from tandem.audit.models import Action, AuditEvent
from tandem.audit.services import audit_record, audit_scope, current_request

pytestmark = pytest.mark.django_db


def test_a_recorded_event_takes_the_scope(staff: User, mentee: User) -> None:
    group = Group.objects.create(name="Reviewers")
    with audit_scope(actor=staff, target="organisation:7", because="asked"):
        mentee.groups.add(group)
    event = AuditEvent.objects.get(action=Action.ROLE_CHANGE, subject_user=mentee)
    assert event.actor == staff and event.actor_label == staff.email
    assert event.target == f"organisation:7 user:{mentee.pk}"
    assert event.detail == {"because": "asked", "groups": {"added": ["Reviewers"]}}


def test_an_actor_named_by_the_caller_wins(staff: User, mentee: User, outsider: User) -> None:
    with audit_scope(actor=staff, target="organisation:7"):
        event = audit_record(actor=outsider, action=Action.VIEW, target="people")
    assert event.actor == outsider and event.target == "organisation:7 people"


def test_the_scope_names_the_actor_over_the_request_user(staff: User, outsider: User) -> None:
    request = RequestFactory().post("/somewhere/")
    request.user = outsider
    with current_request(request), audit_scope(actor=staff):
        event = audit_record(actor=None, action=Action.ORGANISATION_CHANGE)
    assert event.actor == staff and event.path == "/somewhere/"


def test_the_scope_ends_with_its_block(staff: User, mentee: User) -> None:
    with audit_scope(actor=staff, target="organisation:7"):
        pass
    event = audit_record(actor=None, action=Action.VIEW, target="people")
    assert event.actor is None and event.target == "people" and event.detail == {}
