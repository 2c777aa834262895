"""Profile pages: editing in both languages, career roles in place with HTMX, outsider 404s."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.people.models import CareerRole, Profile
from tandem.people.tests.factories import ProfileFactory, item, make_role

pytestmark = pytest.mark.django_db


def _form_data(**overrides):
    data = {
        "headline": "Product manager",
        "bio": "I build payment products.",
        "languages": ["en", "id"],
        "timezone": "Asia/Jakarta",
        "city": "Jakarta",
        "country": "Indonesia",
        "channels": ["video", "chat"],
        "organisation": "Nusantara Digital",
        "function": item("function", "product").pk,
        "seniority": item("seniority", "senior").pk,
        "values": [item("value", "integrity").pk, item("value", "learning").pk],
        "work_style_structure": "1",
        "work_style_feedback": "-1",
        "is_mentee": "on",
        "goals": "Promotion to manager within a year",
        "guidance_wanted": [item("guidance", "promotion").pk],
        "preferred_cadence": "monthly",
        "capacity": "0",
        "hours_per_month": "0",
        "accepts_external": "on",
        "visibility_career": "everyone",
        "visibility_values": "everyone",
        "visibility_goals": "mentorship",
        "visibility_contact": "programme",
    }
    data.update(overrides)
    return data


def test_my_profile_is_created_on_first_visit(mentee, mentee_client):
    response = mentee_client.get(reverse("people:profile_me"))
    assert response.status_code == 200
    assert Profile.objects.filter(user=mentee).exists()


def test_saving_my_profile(mentee, mentee_client):
    response = mentee_client.post(reverse("people:profile_me"), _form_data())
    assert response.status_code == 302
    profile = Profile.objects.get(user=mentee)
    assert profile.headline == "Product manager"
    assert profile.language_list == ["en", "id"]
    assert profile.organisation.name == "Nusantara Digital"
    assert profile.work_style == {"structure": 1, "feedback": -1}
    assert profile.channels == ["video", "chat"]
    assert profile.visibility_goals == "mentorship"
    assert [g.slug for g in profile.guidance_wanted.all()] == ["promotion"]
    mentee.refresh_from_db()
    assert mentee.timezone == "Asia/Jakarta"


def test_profile_form_shows_field_errors(mentee, mentee_client):
    values = [
        item("value", s).pk
        for s in ("integrity", "curiosity", "family", "ambition", "balance", "service")
    ]
    data = _form_data(values=values, manager_email=mentee.email, is_mentor="on", capacity="0")
    response = mentee_client.post(reverse("people:profile_me"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["values"] == ["Choose at most five values."]
    assert form.errors["manager_email"] == ["You cannot be your own manager."]
    assert "capacity" in form.errors
    assert not Profile.objects.get(user=mentee).headline


def test_reporting_line_loops_are_refused(mentee, mentor, mentee_client):
    ProfileFactory(user=mentor, manager=mentee)
    response = mentee_client.post(
        reverse("people:profile_me"), _form_data(manager_email=mentor.email)
    )
    assert (
        "This would make a loop in the reporting line."
        in response.context["form"].errors["manager_email"]
    )


def test_profile_page_in_indonesian(mentor, mentor_client):
    html = mentor_client.get(reverse("people:profile_me")).content.decode()
    assert '<html lang="id">' in html
    assert "Profil saya" in html
    assert "Integritas" in html  # list names in Indonesian


def test_list_names_follow_the_language():
    value = item("value", "learning")
    assert value.name == "Learning"
    with translation.override("id"):
        assert value.name == "Belajar"


def test_adding_a_role_with_htmx_returns_the_list(mentee, mentee_client):
    response = mentee_client.post(
        reverse("people:role_add"),
        {
            "title": "Analyst",
            "organisation": "Acme",
            "start": "2021-03",
            "function": item("function", "data").pk,
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="career"' in html and "<html" not in html
    role = CareerRole.objects.get(profile__user=mentee)
    assert role.start == date(2021, 3, 1) and role.organisation.name == "Acme"


@pytest.mark.parametrize(
    ("language", "missing"),
    [
        ("en", "Add at least one role to your career history."),
        ("id", "Tambahkan setidaknya satu jabatan ke riwayat karier Anda."),
    ],
)
def test_the_completeness_panel_follows_roles_added_and_removed_in_place(
    mentee, mentee_client, language, missing
):
    """The role list is swapped in place by HTMX; the completeness panel beside it comes in
    the same answer (out of band), so it never shows a role as missing once it is added."""
    mentee_client.post(reverse("set_language"), {"language": language})
    page = mentee_client.get(reverse("people:profile_me")).content.decode()
    assert missing in page and 'id="completeness"' in page
    response = mentee_client.post(
        reverse("people:role_add"),
        {"title": "Analyst", "start": "2021-03"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    panel = html[html.index('id="completeness"') - 30 :]
    assert 'hx-swap-oob="true"' in panel and "%" in panel
    assert missing not in html
    role = CareerRole.objects.get(profile__user=mentee)
    response = mentee_client.post(
        reverse("people:role_delete", args=[role.pk]), headers={"HX-Request": "true"}
    )
    assert missing in response.content.decode()


def test_role_form_errors_come_back_in_place(mentee_client):
    response = mentee_client.post(
        reverse("people:role_add"),
        {"title": "", "start": "2021-03", "end": "2020-01"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "This field is required." in html
    assert "The end month cannot be before the start month." in html
    assert not CareerRole.objects.exists()


def test_editing_and_deleting_my_role(mentee, mentee_client):
    role = make_role(ProfileFactory(user=mentee), "Analyst")
    url = reverse("people:role_edit", args=[role.pk])
    assert mentee_client.get(url, headers={"HX-Request": "true"}).status_code == 200
    response = mentee_client.post(
        url, {"title": "Lead analyst", "start": "2020-01"}, headers={"HX-Request": "true"}
    )
    assert response["HX-Retarget"] == "#career"
    role.refresh_from_db()
    assert role.title == "Lead analyst"
    mentee_client.post(reverse("people:role_delete", args=[role.pk]))
    assert not CareerRole.objects.exists()


def test_outsider_gets_404_for_someone_elses_role(mentee, outsider_client):
    role = make_role(ProfileFactory(user=mentee), "Analyst")
    assert outsider_client.get(reverse("people:role_edit", args=[role.pk])).status_code == 404
    response = outsider_client.post(
        reverse("people:role_edit", args=[role.pk]), {"title": "Hacked", "start": "2020-01"}
    )
    assert response.status_code == 404
    assert outsider_client.post(reverse("people:role_delete", args=[role.pk])).status_code == 404
    role.refresh_from_db()
    assert role.title == "Analyst"


def test_profile_of_a_missing_or_inactive_user_is_404(mentee, outsider_client):
    mentee.is_active = False
    mentee.save()
    assert outsider_client.get(reverse("people:profile", args=[mentee.pk])).status_code == 404
    assert outsider_client.get(reverse("people:profile", args=[999999])).status_code == 404


def test_pages_need_login(client, mentee):
    for url in (reverse("people:profile_me"), reverse("people:profile", args=[mentee.pk])):
        assert client.get(url).status_code == 302


def test_a_refused_save_creates_no_organisation(mentee, mentee_client):
    from tandem.people.models import Organisation

    data = _form_data(organisation="Brand New Org", manager_email=mentee.email)
    mentee_client.post(reverse("people:profile_me"), data)
    ProfileFactory(user=mentee)
    data = _form_data(organisation="Brand New Org", channels=["video"], capacity="0")
    # the service refuses a loop in the reporting line after the organisation was resolved
    from tandem.accounts.tests.factories import UserFactory

    boss = UserFactory(email="boss@example.com")
    ProfileFactory(user=boss, manager=mentee)
    mentee_client.post(reverse("people:profile_me"), {**data, "manager_email": boss.email})
    assert not Organisation.objects.filter(name="Brand New Org").exists()
