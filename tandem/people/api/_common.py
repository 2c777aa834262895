"""The people router."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["people"])
