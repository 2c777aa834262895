"""cohort_match: certified optimal assignment of a small cohort, rules and capacity kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.suggestions.services import CAPACITY, NO_ALLOWED_MENTOR, cohort_match
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor, make_user


def _mentees(n: int, **fields):
    users = []
    for k in range(n):
        user = make_user(f"cohort-mentee{k}@example.com")
        make_mentee_profile(user, seniority="junior", **fields)
        users.append(user)
    return users


@pytest.mark.django_db
def test_capacity_is_respected_and_everyone_who_can_be_matched_is():
    mentees = _mentees(5)
    mentors = [make_mentor(0, capacity=2), make_mentor(1, capacity=2)]
    result = cohort_match(mentees=mentees, mentors=mentors)
    assert result.certificate.gap == 0
    assert result.matched == 4 and len(result.pairs) == 4
    per_mentor: dict[int, int] = {}
    for pair in result.pairs:
        per_mentor[pair.mentor.pk] = per_mentor.get(pair.mentor.pk, 0) + 1
        assert pair.reasons and 0 <= pair.score <= 1
    assert max(per_mentor.values()) <= 2
    assert [u.why for u in result.unmatched] == [CAPACITY]


@pytest.mark.django_db
def test_forbidden_pairs_and_rules_are_never_assigned():
    mentees = _mentees(3)
    boss = make_mentor(0, capacity=3)
    other = make_mentor(1, capacity=3)
    mentees[0].profile.manager = boss
    mentees[0].profile.save()
    result = cohort_match(mentees=mentees, mentors=[boss, other], forbidden=[(mentees[1], other)])
    pairs = {(p.mentee.pk, p.mentor.pk) for p in result.pairs}
    assert (mentees[0].pk, boss.pk) not in pairs
    assert (mentees[1].pk, other.pk) not in pairs
    assert result.matched == 3 and result.certificate.gap == 0


@pytest.mark.django_db
def test_pinned_pairs_are_kept_and_use_capacity():
    mentees = _mentees(2)
    strong = make_mentor(0, capacity=1)
    weak = make_mentor(1, capacity=1, function="legal", industry="energy", offered=("other",))
    result = cohort_match(mentees=mentees, mentors=[strong, weak], pinned=[(mentees[1], weak)])
    pairs = {(p.mentee.pk, p.mentor.pk) for p in result.pairs}
    assert (mentees[1].pk, weak.pk) in pairs
    assert (mentees[0].pk, strong.pk) in pairs
    assert result.certificate.gap == 0


@pytest.mark.django_db
def test_a_forbidden_pin_is_a_validation_error():
    mentees = _mentees(1)
    boss = make_mentor(0, capacity=1)
    mentees[0].profile.manager = boss
    mentees[0].profile.save()
    with pytest.raises(ValidationError) as exc:
        cohort_match(mentees=mentees, mentors=[boss], pinned=[(mentees[0], boss)])
    assert "pinned" in exc.value.message_dict


@pytest.mark.django_db
def test_no_allowed_mentor_is_told_apart_from_capacity():
    mentees = _mentees(2, languages="fr")
    mentors = [make_mentor(0, capacity=1, languages="en")]
    result = cohort_match(mentees=mentees, mentors=mentors)
    assert result.matched == 0
    assert {u.why for u in result.unmatched} == {NO_ALLOWED_MENTOR}


@pytest.mark.django_db
def test_per_mentee_and_objective_score():
    mentees = _mentees(2)
    mentors = [make_mentor(n, capacity=2) for n in range(3)]
    result = cohort_match(mentees=mentees, mentors=mentors, per_mentee=2, objective="score")
    assert len(result.pairs) == 4 and result.objective == "score"
    for mentee in mentees:
        assert len({p.mentor.pk for p in result.pairs if p.mentee.pk == mentee.pk}) == 2


@pytest.mark.django_db
def test_min_score_leaves_weak_pairs_out_and_bad_arguments_are_errors():
    mentees = _mentees(1)
    mentors = [make_mentor(0, capacity=1)]
    assert cohort_match(mentees=mentees, mentors=mentors, min_score=0.99).matched == 0
    with pytest.raises(ValidationError):
        cohort_match(mentees=mentees, mentors=mentors, objective="fastest")
    with pytest.raises(ValidationError):
        cohort_match(mentees=mentees, mentors=mentors, min_score=2)


# --- a programme's capacities ---------------------------------------------------------------


def _load(result) -> dict[int, int]:
    counts: dict[int, int] = {}
    for pair in result.pairs:
        counts[pair.mentor.pk] = counts.get(pair.mentor.pk, 0) + 1
    return counts


@pytest.mark.django_db
def test_a_capacity_of_one_gives_one_mentee_though_the_profile_allows_three():
    mentees = _mentees(3)
    mentor = make_mentor(0, capacity=3)
    result = cohort_match(mentees=mentees, mentors=[mentor], capacities={mentor.pk: 1})
    assert _load(result) == {mentor.pk: 1}
    assert [u.why for u in result.unmatched] == [CAPACITY, CAPACITY]


@pytest.mark.django_db
def test_mentors_without_a_capacity_keep_their_free_places():
    mentees = _mentees(4)
    capped, free = make_mentor(0, capacity=3), make_mentor(1, capacity=3)
    result = cohort_match(mentees=mentees, mentors=[capped, free], capacities={capped.pk: 1})
    assert _load(result) == {capped.pk: 1, free.pk: 3}


@pytest.mark.django_db
def test_free_places_still_cap_a_larger_capacity_and_negative_means_none():
    from tandem.mentorships.tests.factories import make_draft

    mentees = _mentees(3)
    mentor, other = make_mentor(0, capacity=2), make_mentor(1, capacity=2)
    make_draft(make_user("taken@example.com"), mentor)  # one of the two places is taken
    result = cohort_match(
        mentees=mentees, mentors=[mentor, other], capacities={mentor.pk: 5, other.pk: -1}
    )
    assert _load(result) == {mentor.pk: 1}


@pytest.mark.django_db
@pytest.mark.parametrize("hidden_by", ["mentor", "mentee"])
def test_cohort_reasons_name_no_value_either_side_hid(hidden_by):
    """Values both share are a reason only while both show them to everyone (the score may
    still use them: see README, "What matching may use")."""
    from tandem.people.models import Visibility

    (mentee,) = _mentees(1, values=("integrity",), offered=(), wanted=())
    mentor = make_mentor(0, values=("integrity",), offered=(), wanted=())
    shown = cohort_match(mentees=[mentee], mentors=[mentor]).pairs[0]
    assert "shared_values" in [r.code for r in shown.reasons]
    person = mentor if hidden_by == "mentor" else mentee
    person.profile.visibility_values = Visibility.PROGRAMME
    person.profile.save()
    pair = cohort_match(mentees=[mentee], mentors=[mentor]).pairs[0]
    assert "shared_values" not in [r.code for r in pair.reasons]
    assert pair.score == shown.score
