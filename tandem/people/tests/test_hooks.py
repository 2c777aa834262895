"""People learns relations and mentee counts from the apps above it through its registry."""

from __future__ import annotations

import pytest

from tandem.people import hooks, selectors


def test_mentorships_and_programmes_both_register_their_relation():
    assert hooks.registered_relations() == {hooks.MENTORSHIP, hooks.PROGRAMME}


def test_mentee_counts_are_registered():
    counts = hooks.mentee_counts()
    assert counts.count is not None and counts.subquery is not None


@pytest.mark.django_db
def test_an_unregistered_relation_fails_closed(monkeypatch, mentee, mentor):
    calls = []

    def always(viewer, owner):
        calls.append((viewer, owner))
        return True

    monkeypatch.setattr(hooks, "_RELATIONS", {hooks.MENTORSHIP: always})
    assert selectors.share_mentorship(mentee, mentor) is True
    assert selectors.share_programme(mentee, mentor) is False  # nobody registered it
    assert calls == [(mentee, mentor)]


def test_an_unknown_relation_cannot_be_registered():
    with pytest.raises(ValueError):
        hooks.register_relation("friends", lambda a, b: True)
