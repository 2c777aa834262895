"""The growth router and what its endpoints share: the error responses, the signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tandem.accounts.models import User
from tandem.core.schemas import FieldErrorsOut

router = Router(tags=["growth"])

ERRORS: dict[int, Any] = {422: FieldErrorsOut}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user
