"""The warm index: built once, then kept current one mentor at a time from the change log;
rebuilt (in the background when it can) only for what a row update cannot take exactly."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from django.db import connection
from django.urls import reverse

from tandem.mentorships.tests.factories import make_request
from tandem.suggestions import changes, index, selectors
from tandem.suggestions.models import IndexChange, IndexVersion, MentorMark
from tandem.suggestions.services import mentor_dismiss, mentor_save
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user


def _same_as_a_full_build(idx: index.WarmIndex) -> None:
    """The index equals one built from scratch now: every Person, every feature row bit for
    bit, and every column the filters read."""
    full = index.WarmIndex.build(idx.version, idx.database)
    assert idx.core is not None and full.core is not None
    assert idx.mentors == full.mentors
    assert np.array_equal(idx.core.features, full.core.features)
    assert idx.core.space.vocabs == full.core.space.vocabs
    assert np.array_equal(idx.accepting, full.accepting)
    assert np.array_equal(idx.hours, full.hours)
    assert np.array_equal(idx.seniority, full.seniority)
    for column in ("function", "industry", "organisation"):
        mine, theirs = getattr(idx, column), getattr(full, column)
        for key in theirs[0]:
            assert np.array_equal(idx.column_mask(mine, key), full.column_mask(theirs, key))
    for sets in ("languages", "guidance"):
        mine, theirs = getattr(idx, sets), getattr(full, sets)
        assert {k for k, v in mine.items() if v.any()} == set(theirs)
        for key, rows in theirs.items():
            assert np.array_equal(mine[key], rows)


@pytest.mark.django_db
def test_warm_index_is_reused_while_nothing_changes(django_assert_num_queries):
    make_mentor(0)
    first = index.get_index()
    with django_assert_num_queries(1):
        assert index.get_index() is first
    assert first.size == 1


@pytest.mark.django_db
def test_a_committed_profile_change_updates_that_mentors_row_only(
    django_capture_on_commit_callbacks,
):
    mentor = make_mentor(0)
    make_mentor(1)
    first = index.get_index()
    builds = index.STATS["builds"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mentor.profile.hours_per_month = 8
        mentor.profile.paused = True
        mentor.profile.save()
    assert callbacks == [changes.Change(frozenset({mentor.pk}))]
    assert IndexVersion.objects.get(pk=1).version == 1
    assert list(IndexChange.objects.values_list("version", "user_id")) == [(1, mentor.pk)]
    second = index.get_index()
    assert second is not first and index.STATS["builds"] == builds
    assert second.hours.tolist() == [8.0, 4.0] and first.hours.tolist() == [4.0, 4.0]
    assert second.mentors[0].paused and not first.mentors[0].paused
    _same_as_a_full_build(second)


@pytest.mark.django_db
def test_accepting_a_request_updates_only_that_mentors_row(
    csrf_client_for, django_capture_on_commit_callbacks
):
    mentor = make_mentor(0, capacity=2)
    others = [make_mentor(n) for n in range(1, 4)]
    mentee = make_user("asker@example.com")
    make_mentee_profile(mentee)
    req = make_request(mentee, mentor)
    before = index.get_index()
    row = before.row_of[mentor.pk]
    builds, updates = index.STATS["builds"], index.STATS["mentor_updates"]
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(mentor).post(
            reverse("mentorships:request_accept", args=[req.pk])
        )
    assert response.status_code == 302
    after = index.get_index()
    assert index.STATS["builds"] == builds, "accepting rebuilt the whole index"
    assert index.STATS["mentor_updates"] == updates + 1
    assert after.mentors[row].active_mentees == 1 and before.mentors[row].active_mentees == 0
    changed = np.flatnonzero((after.core.features != before.core.features).any(axis=1))
    assert changed.tolist() == [row]
    assert [after.mentors[after.row_of[o.pk]] for o in others] == [
        before.mentors[before.row_of[o.pk]] for o in others
    ]
    _same_as_a_full_build(after)


@pytest.mark.django_db
def test_a_mentor_whose_places_fill_drops_out_without_a_rebuild(
    csrf_client_for, django_capture_on_commit_callbacks
):
    mentor = make_mentor(0, capacity=1)
    make_mentor(1)
    asker, other = make_user("asker@example.com"), make_user("other@example.com")
    make_mentee_profile(asker)
    make_mentee_profile(other)
    req = make_request(asker, mentor)
    found = {s.mentor.pk for s in selectors.suggestions_for_user(user=other)}
    assert mentor.pk in found
    builds = index.STATS["builds"]
    with django_capture_on_commit_callbacks(execute=True):
        csrf_client_for(mentor).post(reverse("mentorships:request_accept", args=[req.pk]))
    found = {s.mentor.pk for s in selectors.suggestions_for_user(user=other)}
    assert mentor.pk not in found and found
    assert not index.get_index().accepting[index.get_index().row_of[mentor.pk]]
    assert index.STATS["builds"] == builds
    # The asker's own suggestions drop their new mentor too (their cached view was dropped).
    assert mentor.pk not in {s.mentor.pk for s in selectors.suggestions_for_user(user=asker)}


@pytest.mark.django_db
def test_a_new_mentor_appears_after_commit(django_capture_on_commit_callbacks):
    make_mentor(0)
    assert index.get_index().size == 1
    builds = index.STATS["builds"]
    with django_capture_on_commit_callbacks(execute=True):
        make_mentor(1)
    assert index.get_index().size == 2
    assert index.STATS["builds"] == builds + 1  # a mentor joining: the index is refitted


@pytest.mark.django_db
def test_a_word_no_mentor_used_yet_refits_the_index(django_capture_on_commit_callbacks):
    mentor = make_mentor(0, offered=("promotion",))
    make_mentor(1, offered=("promotion",))
    first = index.get_index()
    assert "leadership" not in first.core.space.vocabs["guidance"]
    builds = index.STATS["builds"]
    with django_capture_on_commit_callbacks(execute=True):
        make_mentee_profile(mentor, offered=("promotion", "leadership"), is_mentor=True)
    second = index.get_index()
    assert index.STATS["builds"] == builds + 1
    assert "leadership" in second.core.space.vocabs["guidance"]
    _same_as_a_full_build(second)


@pytest.mark.django_db
def test_a_reporting_line_moving_above_a_mentor_refits_and_drops_cached_mentees(
    django_capture_on_commit_callbacks,
):
    boss, big_boss = make_user("boss@example.com"), make_user("big@example.com")
    make_mentee_profile(boss)
    make_mentee_profile(big_boss)
    mentor = make_mentor(0)
    mentor.profile.manager = boss
    mentor.profile.save()
    mentee = make_user("m@example.com")
    make_mentee_profile(mentee, manager=boss)
    idx = index.get_index()
    assert idx.mentors[0].manager_chain == (str(boss.pk),)
    assert idx.mentee(mentee).manager_chain == (str(boss.pk),)
    builds = index.STATS["builds"]
    with django_capture_on_commit_callbacks(execute=True):
        boss.profile.manager = big_boss
        boss.profile.save()
    again = index.get_index()
    assert index.STATS["builds"] == builds + 1
    assert again.mentors[0].manager_chain == (str(boss.pk), str(big_boss.pk))
    assert again.mentee(mentee).manager_chain == (str(boss.pk), str(big_boss.pk))


@pytest.mark.django_db
def test_a_mentees_manager_changing_drops_their_cached_view(django_capture_on_commit_callbacks):
    make_mentor(0)
    boss, mentee = make_user("boss@example.com"), make_user("m@example.com")
    make_mentee_profile(boss)
    make_mentee_profile(mentee, manager=boss)
    idx = index.get_index()
    assert idx.mentee(mentee).manager_chain == (str(boss.pk),)
    with django_capture_on_commit_callbacks(execute=True):
        mentee.profile.manager = None
        mentee.profile.save()
    assert index.get_index().mentee(mentee).manager_chain == ()


@pytest.mark.django_db
def test_logging_in_does_not_log_a_change(django_capture_on_commit_callbacks):
    user = make_user("someone@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user.save(update_fields=["last_login"])
    assert callbacks == []


@pytest.mark.django_db
def test_a_rolled_back_change_logs_nothing():
    from django.db import transaction

    mentor = make_mentor(0)
    with pytest.raises(RuntimeError), transaction.atomic():
        mentor.profile.hours_per_month = 9
        mentor.profile.save()
        raise RuntimeError
    assert not IndexChange.objects.exists()


@pytest.mark.django_db
def test_the_ttl_is_a_safety_net_for_writes_without_signals(settings):
    make_mentor(0)
    first = index.get_index()
    settings.TANDEM_SUGGESTIONS_INDEX_TTL = 0
    assert index.get_index() is not first


@pytest.mark.django_db
def test_a_reader_too_far_behind_the_log_rebuilds():
    make_mentor(0)
    idx = index.get_index()
    IndexVersion.objects.create(pk=1, version=idx.version + 1)  # one change of many people
    IndexChange.objects.bulk_create(
        [IndexChange(version=idx.version + 1, user_id=k) for k in range(changes.READ_LIMIT + 1)]
    )
    log = changes.log_after(idx.version)
    assert log.everyone and log.last == idx.version + 1
    builds = index.STATS["builds"]
    assert index.get_index().version == idx.version + 1
    assert index.STATS["builds"] == builds + 1


@pytest.mark.django_db
def test_the_log_keeps_its_last_versions(monkeypatch):
    monkeypatch.setattr(changes, "KEEP_VERSIONS", 5)
    monkeypatch.setattr(changes, "PRUNE_EVERY", 4)
    for uid in range(1, 10):
        changes.record([uid])
    assert sorted(IndexChange.objects.values_list("version", flat=True)) == [4, 5, 6, 7, 8, 9]
    assert changes.record([]) == 0 and changes.current_version() == 9


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_rebuild_runs_in_the_background_serving_the_old_index(
    settings,
):
    settings.TANDEM_SUGGESTIONS_INDEX_BACKGROUND = True
    make_mentor(0)
    first = index.get_index()
    builds = index.STATS["background_builds"]
    make_mentor(1)  # committed at once: the change is logged and a rebuild is due
    served = index.get_index()
    assert served.size == 1 and served.needs_rebuild  # the previous index, while it builds
    assert index.wait_for_rebuild(30)
    assert index.get_index().size == 2 and index.STATS["background_builds"] == builds + 1
    assert first.size == 1


@pytest.mark.django_db(transaction=True)
def test_with_background_builds_off_the_request_rebuilds():
    make_mentor(0)
    index.get_index()
    make_mentor(1)
    assert index.get_index().size == 2  # the suite's setting (conftest.py)


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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_commit_in_the_order_of_their_numbers():
    """Writers racing for the counter each get a number of their own, and the rows of a
    number are committed before any later number's: a reader never skips one."""
    barrier = threading.Barrier(8)
    numbers: list[int] = []

    def writer(uid: int) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                numbers.append(changes.record([uid]))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == list(range(1, 41))
    assert changes.log_after(0).people == set(range(1, 9))


@pytest.mark.django_db(transaction=True)  # as in gunicorn's master: no test transaction
def test_the_warm_up_builds_the_index_before_workers_fork():
    from tandem.core.warmup import warm_up

    make_mentor(0)
    make_mentor(1)
    index.invalidate()
    builds = index.STATS["builds"]
    assert warm_up(paths=[])["mentor_index"] == 2
    assert index.STATS["builds"] == builds + 1
    index.get_index()
    assert index.STATS["builds"] == builds + 1  # a forked worker starts with it
