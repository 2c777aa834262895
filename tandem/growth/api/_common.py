"""The growth router and what its endpoints share: the error responses."""

from __future__ import annotations

from typing import Any

from ninja import Router

from tandem.core.schemas import FieldErrorsOut

router = Router(tags=["growth"])

ERRORS: dict[int, Any] = {422: FieldErrorsOut}
