"""Language names from CLDR in the page's language, canonical time zones, and a profile form
whose every control has a unique id and a label."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tandem.accounts.models import TIME_ZONE_CHOICES
from tandem.people.tests.factories import ProfileFactory, make_role

pytestmark = pytest.mark.django_db


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self._open_labels = 0
        self.wrapped: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "label":
            self._open_labels += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        if tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit"}:
            self.controls.append(a)
            if self._open_labels and a.get("id"):
                self.wrapped.add(str(a["id"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_labels -= 1


def test_profile_form_ids_are_unique_and_every_control_has_a_label(mentee, mentee_client):
    make_role(ProfileFactory(user=mentee), "Analyst")
    html = mentee_client.get(reverse("people:profile_me")).content.decode()
    parser = _Controls()
    parser.feed(html)
    duplicates = [i for i, n in Counter(parser.ids).items() if n > 1]
    assert duplicates == []
    assert parser.controls
    for control in parser.controls:
        labelled = (
            control.get("aria-label")
            or control.get("aria-labelledby")
            or control.get("id") in parser.label_for | parser.wrapped
        )
        assert labelled, control


def test_time_zone_choices_are_canonical():
    zones = {name for name, _label in TIME_ZONE_CHOICES}
    assert {"Asia/Jakarta", "UTC", "Europe/Amsterdam"} <= zones
    assert not zones & {"Zulu", "localtime", "Asia/Calcutta", "US/Eastern", "Etc/GMT+7"}


def test_indonesian_directory_filter_names_languages_in_indonesian(outsider, outsider_client):
    outsider.language = "id"
    outsider.save(update_fields=["language"])
    html = outsider_client.get(reverse("people:directory")).content.decode()
    assert "Tionghoa" in html and "Jawa" in html
    assert "Chinese" not in html and "Javanese" not in html


def test_profiles_show_language_names_not_codes(mentee, outsider_client):
    ProfileFactory(user=mentee, languages="en,jv")
    html = outsider_client.get(reverse("people:profile", args=[mentee.pk])).content.decode()
    assert "Speaks: English, Javanese" in html


def test_languages_are_picked_from_a_filterable_checkbox_list(mentee, mentee_client):
    html = mentee_client.get(reverse("people:profile_me")).content.decode()
    assert 'data-filter-for="id_languages"' in html
    assert 'type="checkbox" name="languages" value="jv"' in html


def test_preferences_page_offers_canonical_zones_and_maps_an_old_alias(mentee, mentee_client):
    mentee.timezone = "Asia/Calcutta"
    mentee.save(update_fields=["timezone"])
    html = mentee_client.get(reverse("accounts:settings")).content.decode()
    assert '<option value="Asia/Jakarta">' in html
    assert '<option value="Asia/Kolkata" selected>' in html
    assert 'value="Zulu"' not in html and 'value="localtime"' not in html
    profile_html = mentee_client.get(reverse("people:profile_me")).content.decode()
    assert '<option value="Asia/Kolkata" selected>' in profile_html
    assert 'value="Zulu"' not in profile_html
