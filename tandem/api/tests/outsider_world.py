"""The world the outsider matrix requests: a mentee and her mentor in a live mentorship
inside a programme, with one of everything (meeting, agenda, notes, binder, goals, job
descriptions, contacts, check-ins, circle, run, tokens), and the people who must not see it:
an unrelated user, the pair's programme manager and the manager of another programme.

Private text carries markers, so a test can tell from any response whether it leaked:
- `PAIR` is in what the mentee and the mentor share with each other (agenda, assignments,
  shared goals, hidden profile fields set to "people in a mentorship with me"); nobody else
  may ever see it, programme managers included.
- `ONLY[persona]` is in what one person keeps to themselves (private meeting notes, contacts,
  unshared goals and binder entries, a check-in's comment); nobody else may ever see it, the
  other side of the mentorship included.
Nothing of the outsider's or the managers' carries a marker, so a marker in any response to
them is a leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone, translation

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory
from tandem.core.tests.clients import CsrfClient, TokenClient, csrf_client_for, token_client_for

PAIR = "zqxpair"
ONLY = {"mentee": "zqxonlymentee", "mentor": "zqxonlymentor"}
PERSONAS = ("anonymous", "outsider", "foreign_manager", "manager", "mentee", "mentor")
PAIR_PERSONAS = ("mentee", "mentor")


def forbidden_markers(persona: str) -> tuple[str, ...]:
    """The markers that must never appear in a response to `persona`."""
    if persona in PAIR_PERSONAS:
        return tuple(marker for who, marker in ONLY.items() if who != persona)
    return (PAIR, *ONLY.values())


@dataclass
class Persona:
    name: str
    user: User | None
    page: Client  # a plain logged-in client (CSRF off): page GETs
    form: Client  # CSRF enforced, token sent: page POSTs
    api: list[tuple[str, Client]] = field(default_factory=list)  # session+CSRF, bearer token


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, Any]  # what a route parameter may name: object ids, numbers, tokens
    personas: dict[str, Persona]


def _persona(name: str, user: User | None) -> Persona:
    if user is None:
        return Persona(name, None, page=Client(), form=Client(), api=[("anonymous", Client())])
    page = Client()
    page.force_login(user)
    form: CsrfClient = csrf_client_for(user)
    token: TokenClient = token_client_for(user, name="outsider matrix")
    return Persona(name, user, page=page, form=form, api=[("session", form), ("token", token)])


def build_world() -> World:
    """Build everything through the apps' services (factories where a service would send
    mail or need a long flow). Call inside a transaction that is rolled back afterwards."""
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
        translation.override("en"),
    ):
        return _build()


def _build() -> World:
    from tandem.binder import services as binder
    from tandem.binder.models import Section
    from tandem.conversations import selectors as talk
    from tandem.conversations import services as conversations
    from tandem.growth import services as growth
    from tandem.growth.models import CoachingRole, Contact, Opportunity
    from tandem.meetings import services as meetings
    from tandem.meetings.models import AgendaItem
    from tandem.meetings.tests.factories import month_ahead, scheduled_meeting
    from tandem.mentorships.models import TryOut
    from tandem.mentorships.tests.factories import make_active, make_mentor
    from tandem.notifications.models import Notification
    from tandem.notifications.services import unsubscribe_token
    from tandem.people.models import CareerRole, Organisation, Profile, Visibility
    from tandem.programs.models import (
        CheckIn,
        Circle,
        CircleAgendaItem,
        CircleMember,
        Match,
        MatchRun,
        Membership,
        Programme,
        Question,
        Role,
    )
    from tandem.suggestions.models import MentorMark

    users = {
        name: _user(f"matrix-{name}@example.com", full_name)
        for name, full_name in (
            ("mentee", "Mira Mentee"),
            ("mentor", "Bayu Mentor"),
            ("outsider", "Oki Outsider"),
            ("manager", "Pia Manager"),
            ("foreign_manager", "Fajar Foreign"),
        )
    }
    mentee, mentor = users["mentee"], users["mentor"]
    ids: dict[str, Any] = {f"{name}_user": user.pk for name, user in users.items()}

    # Profiles: the pair's hidden field groups are for "people in a mentorship with me".
    make_mentor(mentor, capacity=3)
    org = Organisation.objects.create(name="Matrix Works")
    ids["organisation"] = org.pk
    for person in (mentee, mentor):
        Profile.objects.update_or_create(
            user=person,
            defaults={
                "organisation": org,
                "goals": f"{PAIR} hidden goals of {person.full_name}",
                "city": f"{PAIR}ville",
                "visibility_goals": Visibility.MENTORSHIP,
                "visibility_contact": Visibility.MENTORSHIP,
                "visibility_career": Visibility.MENTORSHIP,
                "visibility_values": Visibility.MENTORSHIP,
            },
        )
    role = CareerRole.objects.create(
        profile=mentee.profile, title=f"{PAIR} analyst", start=dt.date(2020, 1, 1)
    )
    ids["career_role"] = role.pk

    # The mentorship, through the real request and signing flow.
    mentorship = make_active(mentee, mentor)
    ids["mentorship"] = mentorship.pk
    ids["request"] = mentorship.request_id
    ids["agreement_number"] = mentorship.latest_agreement().number
    tryout = TryOut.objects.create(mentee=mentee, mentor=mentor, question=f"{PAIR} question")
    ids["tryout"] = tryout.pk

    # A meeting with an agenda, the mentee's private notes and a shared summary.
    meeting = scheduled_meeting(mentorship)
    ids["meeting"] = meeting.pk
    item = meetings.agenda_item_add(
        meeting=meeting, by=mentee, kind=AgendaItem.Kind.QUESTION, title=f"{PAIR} agenda item"
    )
    ids["agenda_item"] = item.pk
    from tandem.meetings.action_items import action_item_create

    action_item_create(
        meeting=meeting, by=mentee, title=f"{PAIR} action item", due_date=None, destination="plan"
    )
    meetings.meeting_note_save(meeting=meeting, by=mentee, body=f"{ONLY['mentee']} meeting note")
    meetings.meeting_note_save(meeting=meeting, by=mentor, body=f"{ONLY['mentor']} meeting note")
    proposed = meetings.meeting_propose(
        mentorship=mentorship, by=mentor, times=[month_ahead(4)], acknowledge_extra=True
    )
    ids["proposed_meeting"] = proposed.pk
    ids["slot"] = proposed.slots.get().pk
    _feed, raw_feed_token = meetings.calendar_feed_regenerate(user=mentee)
    ids["feed_token"] = raw_feed_token

    # The binder: a private entry, a shared one, and what the pair does together.
    private_entry = binder.entry_create(
        owner=mentee, section=Section.QUESTIONS, title=f"{ONLY['mentee']} private entry"
    )
    ids["entry_private"] = private_entry.pk
    shared_entry = binder.entry_create(
        owner=mentee,
        section=Section.QUESTIONS,
        title=f"{PAIR} shared entry",
        mentorship=mentorship,
        share=True,
    )
    ids["entry_shared"] = shared_entry.pk
    later = timezone.localdate() + dt.timedelta(days=30)
    ids["assignment"] = binder.assignment_create(
        mentorship=mentorship,
        by=mentor,
        title=f"{PAIR} assignment",
        instructions=f"{PAIR} instructions",
        due_date=later,
    ).pk
    ids["critique"] = binder.critique_request(
        mentorship=mentorship, by=mentee, title=f"{PAIR} critique", work=f"{PAIR} work"
    ).pk
    # A file on the critique: its name and its bytes are the pair's.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tandem.attachments.services import attachment_add
    from tandem.binder.files import CRITIQUE

    ids["attachment"] = attachment_add(
        kind=CRITIQUE,
        object_id=ids["critique"],
        by=mentee,
        upload=SimpleUploadedFile(f"{PAIR}.txt", f"{PAIR} file\n".encode()),
    ).pk
    binder.resource_share(mentorship=mentorship, by=mentor, kind="book", title=f"{PAIR} book")
    # A conversation of the pair (named by its subject's kind and id) with a message in it.
    ids["kind_mentorship"] = "mentorship"
    conversations.message_post(
        thread=talk.get_thread_for_user(mentee, "mentorship", mentorship.pk),
        by=mentee,
        body=f"{PAIR} message",
    )
    binder.appreciation_send(mentorship=mentorship, by=mentee, kind="thanks", message=PAIR)

    # Growth: goals in each direction of sharing, steps, job descriptions, contacts.
    ids["goal_private"] = growth.goal_create(
        owner=mentee, title=f"{ONLY['mentee']} private goal", target="t", due_date=later
    ).pk
    shared_goal = growth.goal_create(
        owner=mentee,
        title=f"{PAIR} goal shared with my mentors",
        target="t",
        due_date=later,
        shared_with_mentor=True,
    )
    ids["goal_shared"] = shared_goal.pk
    growth.goal_comment_add(goal=shared_goal, author=mentor, text=f"{PAIR} mentor comment")
    # The mentor's goal "with my mentors": the people who mentor HIM, never his mentees.
    ids["goal_mentor_shared"] = growth.goal_create(
        owner=mentor,
        title=f"{ONLY['mentor']} goal shared with his own mentors",
        target="t",
        due_date=later,
        shared_with_mentor=True,
    ).pk
    ids["step"] = growth.action_step_create(
        owner=mentee, title=f"{ONLY['mentee']} step", goal=None
    ).pk
    sections = {"purpose": f"{PAIR} purpose", "skills": f"{PAIR} skills"}
    mentee_jd = growth.job_description_save(owner=mentee, author=mentee, sections=sections)
    ids["jd_mentee"] = mentee_jd.job_description_id
    ids["jd_suggestion"] = growth.job_description_suggest(
        job_description=mentee_jd.job_description,
        author=mentor,
        sections={"purpose": f"{PAIR} suggested purpose"},
        note=f"{PAIR} why",
    ).pk
    mentor_jd = growth.job_description_save(
        owner=mentor, author=mentor, sections={"purpose": f"{ONLY['mentor']} purpose"}
    )
    ids["jd_mentor"] = mentor_jd.job_description_id
    ids["jd_mentor_version"] = mentor_jd.number
    ids["opportunity"] = growth.opportunity_record(
        mentor=mentor, mentee=mentee, kind=Opportunity.Kind.PROJECT, title=f"{PAIR} project"
    ).pk
    contact = growth.contact_create(
        owner=mentee,
        name=f"{ONLY['mentee']} contact",
        relationship=Contact.Relationship.FORMER_BOSS,
        notes=f"{ONLY['mentee']} contact notes",
    )
    ids["contact"] = contact.pk
    growth.conversation_log(
        contact=contact,
        happened_on=timezone.localdate(),
        channel="coffee",
        note=f"{ONLY['mentee']} conversation",
    )
    ids["team_member"] = growth.team_member_add(
        owner=mentee, role=CoachingRole.ADVISER, contact=contact
    ).pk

    # Find a mentor: the mentee saved her mentor.
    ids["mark"] = MentorMark.objects.create(
        user=mentee, mentor=mentor, kind=MentorMark.Kind.SAVED
    ).pk

    # The pair's programme, with a run, a match, a check-in, a question and a circle.
    programme = Programme.objects.create(
        name="Matrix cohort",
        kind=Programme.Kind.ONE_TO_ONE,
        matching_mode=Programme.MatchingMode.BOTH,
        created_by=users["manager"],
    )
    ids["programme"] = programme.pk
    from tandem.programs.services import invite_link_regenerate

    ids["invite_token"] = invite_link_regenerate(programme=programme)
    # An invitation waiting for the outsider-to-be (the mentor, invited as a mentee too), and
    # a CSV enrolment the manager started.
    from tandem.accounts.models import hash_token
    from tandem.programs.models import EnrolmentImport, Invitation

    ids["invitation_token"] = "matrix-invitation-token"
    ids["invitation"] = Invitation.objects.create(
        programme=programme,
        email=mentor.email,
        language="en",
        role=Role.MENTEE,
        user=mentor,
        token_hash=hash_token(ids["invitation_token"]),
        invited_by=users["manager"],
    ).pk
    ids["enrolment_import"] = EnrolmentImport.objects.create(
        programme=programme, by=users["manager"]
    ).pk
    for person, role_name in ((users["manager"], Role.MANAGER), (mentee, Role.MENTEE)):
        Membership.objects.create(programme=programme, user=person, role=role_name)
    Membership.objects.create(programme=programme, user=mentor, role=Role.MENTOR)
    run = MatchRun.objects.create(
        programme=programme, number=1, status=MatchRun.Status.DONE, created_by=users["manager"]
    )
    ids["run"] = run.pk
    match = Match.objects.create(
        programme=programme,
        run=run,
        mentee=mentee,
        mentor=mentor,
        mentorship=mentorship,
        matched_at=timezone.now(),
    )
    ids["checkin"] = CheckIn.objects.create(
        match=match,
        user=mentee,
        due_on=timezone.localdate(),
        sent_at=timezone.now(),
        satisfaction=2,
        meets_as_agreed=False,
        comment=f"{ONLY['mentee']} check-in comment",
        answered_at=timezone.now(),
    ).pk
    ids["question"] = Question.objects.create(
        programme=programme, role=Role.MENTEE, text="What do you want to learn?"
    ).pk
    circle = Circle.objects.create(
        programme=programme, mentor=mentor, name="Matrix circle", time=dt.time(9, 0)
    )
    CircleMember.objects.create(circle=circle, mentee=mentee)
    ids["circle"] = circle.pk
    ids["circle_item"] = CircleAgendaItem.objects.create(
        circle=circle, author=mentee, text=f"{PAIR} circle agenda"
    ).pk

    # Another programme, whose manager has no business with the pair's.
    other = Programme.objects.create(name="Other cohort", created_by=users["foreign_manager"])
    Membership.objects.create(programme=other, user=users["foreign_manager"], role=Role.MANAGER)
    Membership.objects.create(programme=other, user=users["outsider"], role=Role.MENTEE)

    # Tokens and notifications.
    Notification.objects.create(
        user=mentee, kind="matrix", subject=f"{ONLY['mentee']} notification", body_text="x"
    )
    ids["unsubscribe_token"] = unsubscribe_token(user_id=mentee.pk, kind="matrix")
    from tandem.accounts.services import api_token_create

    ids["api_token"] = api_token_create(user=mentee, name="mentee's script")[0].pk
    ids.update(_account_keys(mentee))
    from tandem.people.models import PeopleImport

    ids["people_import"] = PeopleImport.objects.create(
        uploaded_by=mentee, filename=f"{ONLY['mentee']}.csv"
    ).pk

    # Organisation administration: the manager administers an organisation one of whose
    # people has not joined yet (an account invitation is waiting for them).
    from django.contrib.auth.hashers import make_password

    from tandem.accounts.services import invitation_create
    from tandem.people.models import OrganisationAdmin

    admin_org = Organisation.objects.create(name="Matrix Administered")
    OrganisationAdmin.objects.create(organisation=admin_org, user=users["manager"])
    org_person = User.objects.create(
        email="matrix-newcomer@example.com", full_name="Nina Newcomer", password=make_password(None)
    )
    Profile.objects.create(user=org_person, organisation=admin_org)
    ids["admin_org"] = admin_org.pk
    ids["org_person"] = org_person.pk
    ids["account_invitation_token"] = invitation_create(user=org_person)[1]
    # ... and who is invited to the programme too (its managers may send the account
    # invitation again).
    ids["newcomer_invitation"] = Invitation.objects.create(
        programme=programme,
        email=org_person.email,
        language="en",
        role=Role.MENTEE,
        user=org_person,
        token_hash=hash_token("matrix-newcomer-invitation"),
        invited_by=users["manager"],
    ).pk

    personas = {name: _persona(name, users.get(name)) for name in PERSONAS}
    assert settings.CSRF_COOKIE_NAME in personas["mentee"].form.cookies
    return World(users=users, ids=ids, personas=personas)


def _user(email: str, full_name: str) -> User:
    user: User = UserFactory(email=email, full_name=full_name)  # type: ignore[assignment]
    return user


def _account_keys(user: User) -> dict[str, str]:
    """allauth's keys: confirming a second address of the user's, and resetting a password."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str

    address = EmailAddress.objects.create(
        user=user, email=f"second-{user.email}", verified=False, primary=False
    )
    return {
        "confirm_key": EmailConfirmationHMAC(address).key,
        "uidb36": user_pk_to_url_str(user),
        "reset_key": default_token_generator.make_token(user),
    }
