"""The prepared plan is one list (`models.PLAN_FIELDS`): the page's form, the API's schema,
the service and the model all carry exactly it, and the meetings-a-month bound is one pair."""

from __future__ import annotations

import inspect

from tandem.mentorships.forms import RequestForm
from tandem.mentorships.models import (
    DURATION_MONTHS,
    MEETINGS_PER_MONTH,
    PLAN_FIELDS,
    MentorshipRequest,
)
from tandem.mentorships.schemas import PlanIn
from tandem.mentorships.services import request_send
from tandem.programs.api.schemas import ProgrammeIn
from tandem.programs.models import Programme


def test_every_path_carries_the_same_plan() -> None:
    plan = set(PLAN_FIELDS)
    assert plan <= set(PlanIn.model_fields)
    assert plan <= set(RequestForm.base_fields)
    assert plan <= set(inspect.signature(request_send).parameters)
    assert plan <= {f.name for f in MentorshipRequest._meta.get_fields()}


def test_the_bounds_are_the_ones_every_form_and_schema_offer() -> None:
    field = RequestForm.base_fields["meetings_per_month"]
    assert (field.min_value, field.max_value) == MEETINGS_PER_MONTH
    months = RequestForm.base_fields["duration_months"]
    assert (months.min_value, months.max_value) == DURATION_MONTHS
    schema = ProgrammeIn.model_json_schema()["properties"]["meetings_per_month"]
    assert (schema["minimum"], schema["maximum"]) == MEETINGS_PER_MONTH
    assert Programme._meta.get_field("meetings_per_month").default in range(
        MEETINGS_PER_MONTH[0], MEETINGS_PER_MONTH[1] + 1
    )
