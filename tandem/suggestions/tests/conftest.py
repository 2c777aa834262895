from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.suggestions import index, vectors


@pytest.fixture(autouse=True)
def _cold_index() -> Iterator[None]:
    """Each test starts from a cold mentor index (the databases differ between tests), and
    with no reader's vectors asked for yet."""
    index.invalidate()
    vectors._asked.clear()
    yield
    index.invalidate()
