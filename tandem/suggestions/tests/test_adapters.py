"""The adapter from Django models to the matching core's Person."""

from __future__ import annotations

import pytest

from tandem.accounts.models import User
from tandem.people.models import Organisation
from tandem.suggestions.adapters import persons_for_users
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user


@pytest.mark.django_db
def test_a_profile_maps_to_a_person():
    boss = make_mentor(1, organisation="Nusantara Digital")
    top = make_mentor(2, organisation="Nusantara Digital")
    boss.profile.manager = top
    boss.profile.save()
    Organisation.objects.get(name="Nusantara Digital").competitors.add(
        Organisation.objects.get_or_create(name="Kilat Teknologi")[0]
    )
    user = make_user("ani@example.com", timezone="Asia/Jakarta")
    make_mentee_profile(
        user,
        manager=boss,
        values=("integrity", "learning"),
        roles=(
            ("engineering", "junior", "Bank Sejahtera"),
            ("product", "senior", "Nusantara Digital"),
        ),
        work_style={"structure": -1},
        languages="id,en",
    )
    person = persons_for_users([user])[0]
    assert person.id == str(user.pk)
    assert person.manager_chain == (str(boss.pk), str(top.pk))
    assert person.competitors == frozenset({"Kilat Teknologi"})
    assert person.languages == frozenset({"id", "en"})
    assert person.utc_offset_minutes == 420
    assert (person.function, person.industry, person.seniority) == ("product", "software", 4)
    assert [r.function for r in person.career] == ["engineering", "product"]
    assert person.values == frozenset({"integrity", "learning"})
    assert person.guidance_wanted == frozenset({"promotion", "leadership"})
    assert person.work_style == {"structure": -1.0}
    assert "product manager" in person.goals


@pytest.mark.django_db
def test_live_mentorships_use_up_capacity():
    from tandem.mentorships.models import Mentorship

    mentor = make_mentor(0, capacity=2)
    for k in range(2):
        mentee = make_user(f"m{k}@example.com")
        Mentorship.objects.create(mentee=mentee, mentor=mentor, status=Mentorship.Status.ACTIVE)
    ended = make_user("old@example.com")
    Mentorship.objects.create(mentee=ended, mentor=mentor, status=Mentorship.Status.ENDED)
    person = persons_for_users([mentor])[0]
    assert (person.capacity, person.active_mentees, person.free_slots) == (2, 2, 0)


@pytest.mark.django_db
def test_a_user_without_a_profile_is_a_bare_person():
    user = make_user("bare@example.com")
    person = persons_for_users([user])[0]
    assert person.id == str(user.pk) and person.capacity == 0 and not person.languages


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 20])
def test_a_fixed_number_of_queries_whatever_the_count(n, django_assert_num_queries):
    users = [make_mentor(k, roles=(("engineering", "junior", "Bank Sejahtera"),)) for k in range(n)]
    with django_assert_num_queries(9):
        assert len(persons_for_users(users)) == n
    with django_assert_num_queries(10):
        assert len(persons_for_users(User.objects.filter(pk__in=[u.pk for u in users]))) == n
