"""Every catalogue is complete: no page shows English to an Indonesian reader."""

from __future__ import annotations

import polib
import pytest

from tandem.core.i18n import all_catalogues

CATALOGUES = all_catalogues()


def test_there_is_an_indonesian_catalogue():
    assert any("/id/LC_MESSAGES/django.po" in str(p) for p in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_catalogue_is_fully_translated(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"{path}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{path}: fuzzy {fuzzy[:10]}"
    assert not po.metadata_is_fuzzy, f"{path}: the header is marked fuzzy (run make messages)"
    assert po.metadata.get("Language") == "id", f"{path}: header Language is not id"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_placeholders_survive_translation(path):
    import re

    pattern = re.compile(r"%\(\w+\)s|\{\w+\}")
    po = polib.pofile(str(path))
    for entry in po.translated_entries():
        expected = sorted(pattern.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert expected == sorted(pattern.findall(text)), (
                f"{path}: placeholders differ in {entry.msgid!r}"
            )
