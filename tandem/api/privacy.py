"""The API's part of a person's data: the replies it keeps for idempotent retries."""

from __future__ import annotations

from typing import Any

from tandem.accounts.personal_data import rows
from tandem.api.models import IdempotentResponse

MODELS = ("api.IdempotentResponse",)


def export(user: Any) -> dict[str, Any]:
    return {"idempotent_responses": rows(IdempotentResponse.objects.filter(user=user))}


def erase(user: Any) -> None:
    IdempotentResponse.objects.filter(user=user).delete()
