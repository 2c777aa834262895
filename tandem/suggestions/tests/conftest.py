from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.suggestions import index


@pytest.fixture(autouse=True)
def _cold_index() -> Iterator[None]:
    """Each test starts from a cold mentor index (the databases differ between tests)."""
    index.invalidate()
    yield
    index.invalidate()
