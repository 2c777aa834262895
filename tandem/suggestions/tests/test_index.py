"""The warm index: built once, rebuilt after a committed change or when the TTL runs out."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tandem.suggestions import index
from tandem.suggestions.models import IndexVersion, MentorMark
from tandem.suggestions.services import mentor_dismiss, mentor_save
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user


@pytest.mark.django_db
def test_warm_index_is_reused_while_the_version_holds(django_assert_num_queries):
    make_mentor(0)
    first = index.get_index()
    with django_assert_num_queries(1):
        assert index.get_index() is first
    assert first.size == 1


@pytest.mark.django_db
def test_a_committed_profile_change_bumps_the_version(django_capture_on_commit_callbacks):
    mentor = make_mentor(0)
    first = index.get_index()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mentor.profile.hours_per_month = 8
        mentor.profile.save()
    assert callbacks == [index.bump_version]
    assert IndexVersion.objects.get(pk=1).version == 1
    second = index.get_index()
    assert second is not first and second.hours.tolist() == [8.0]


@pytest.mark.django_db
def test_a_new_mentor_appears_after_commit(django_capture_on_commit_callbacks):
    make_mentor(0)
    assert index.get_index().size == 1
    with django_capture_on_commit_callbacks(execute=True):
        make_mentor(1)
    assert index.get_index().size == 2


@pytest.mark.django_db
def test_logging_in_does_not_invalidate(django_capture_on_commit_callbacks):
    user = make_user("someone@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user.save(update_fields=["last_login"])
    assert callbacks == []


@pytest.mark.django_db
def test_the_ttl_is_a_safety_net_for_writes_without_signals(settings):
    make_mentor(0)
    first = index.get_index()
    settings.TANDEM_SUGGESTIONS_INDEX_TTL = 0
    assert index.get_index() is not first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_marks_leave_one_row_per_pair():
    mentee = make_user("race-mentee@example.com")
    make_mentee_profile(mentee)
    mentor = make_mentor(0)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            barrier.wait()
            (mentor_save if k % 2 else mentor_dismiss)(user=mentee, mentor=mentor)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert MentorMark.objects.filter(user=mentee, mentor=mentor).count() == 1
