from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.suggestions import index, vectors
from tandem.suggestions.tests.encoders import BilingualEncoder, CountingEncoder


@pytest.fixture(autouse=True)
def _cold_index() -> Iterator[None]:
    """Each test starts from a cold mentor index (the databases differ between tests), and
    with no reader's vectors asked for yet."""
    index.invalidate()
    vectors._asked.clear()
    yield
    index.invalidate()


@pytest.fixture
def fake(settings, monkeypatch) -> Iterator[CountingEncoder]:
    """TANDEM_TEXT_ENCODER names a fake encoder, kept like the multilingual one."""
    encoder = CountingEncoder()
    monkeypatch.setitem(vectors.ENCODERS, "counting", lambda: encoder)
    settings.TANDEM_TEXT_ENCODER = "counting"
    index.invalidate()
    yield encoder
    index.invalidate()


@pytest.fixture
def bilingual(settings, monkeypatch) -> Iterator[BilingualEncoder]:
    """TANDEM_TEXT_ENCODER names a fake encoder that matches English and Indonesian words."""
    encoder = BilingualEncoder()
    monkeypatch.setitem(vectors.ENCODERS, "bilingual", lambda: encoder)
    settings.TANDEM_TEXT_ENCODER = "bilingual"
    index.invalidate()
    yield encoder
    index.invalidate()
