"""Conversations: the two people of a mentorship, a request or a try-out question talk;
nobody else reads a word; the navigation counts what is unread; emails follow preferences;
once the subject is over the conversation is read-only (409)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from tandem.conversations import selectors, services
from tandem.conversations.models import BODY_MAX_LENGTH, Conversation, Message
from tandem.mentorships import services as mentorships
from tandem.mentorships.tests.factories import make_active, make_mentor, make_request
from tandem.notifications.models import Notification
from tandem.notifications.services import preference_set

pytestmark = pytest.mark.django_db

SECRET = "Between us: I am thinking of leaving my team"


@pytest.fixture
def mentorship(mentee, mentor):
    return make_active(mentee, mentor)


@pytest.fixture
def open_request(mentee, mentor):
    return make_request(mentee, mentor)


@pytest.fixture
def tryout(mentee, mentor):
    make_mentor(mentor)
    return mentorships.tryout_ask(mentee=mentee, mentor=mentor, question="How did you start?")


def _subject(kind, request):
    return request.getfixturevalue(
        {"mentorship": "mentorship", "request": "open_request", "tryout": "tryout"}[kind]
    )


def page_url(kind, pk):
    return reverse("conversations:thread", args=[kind, pk])


def api_url(kind, pk, tail="messages"):
    return f"/api/v1/conversations/{kind}/{pk}/{tail}"


def post(thread_user, kind, subject, body):
    thread = selectors.get_thread_for_user(thread_user, kind, subject.pk)
    return services.message_post(thread=thread, by=thread_user, body=body)


# --- pages ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["mentorship", "request", "tryout"])
def test_one_writes_the_other_reads_on_the_page(
    kind, request, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    subject = _subject(kind, request)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(mentor).post(page_url(kind, subject.pk), {"body": SECRET})
    assert response.status_code == 302
    page = csrf_client_for(mentee).get(page_url(kind, subject.pk))
    assert page.status_code == 200 and SECRET in page.content.decode()
    fragment = csrf_client_for(mentee).get(
        reverse("conversations:messages", args=[kind, subject.pk])
    )
    assert SECRET in fragment.content.decode()
    assert 'hx-trigger="every 5s"' in fragment.content.decode()
    assert [m.to for m in mail.outbox] == [[mentee.email]]
    assert SECRET in mail.outbox[0].body


def test_htmx_post_returns_the_refreshed_conversation(mentorship, mentee, csrf_client_for):
    response = csrf_client_for(mentee).post(
        page_url("mentorship", mentorship.pk), {"body": "Hello"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="conversation"' in html and "Hello" in html
    assert "<html" not in html


def test_a_page_post_needs_the_csrf_token(mentorship, mentee, csrf_client_for):
    response = csrf_client_for(mentee).post(
        page_url("mentorship", mentorship.pk), {"body": "Hello"}, without_csrf=True
    )
    assert response.status_code == 403
    assert not Message.objects.exists()


@pytest.mark.parametrize("kind", ["mentorship", "request", "tryout"])
def test_outsiders_and_managers_get_404(kind, request, mentee, outsider, manager, csrf_client_for):
    subject = _subject(kind, request)
    post(mentee, kind, subject, SECRET)
    for person in (outsider, manager):
        client = csrf_client_for(person)
        for url in (
            page_url(kind, subject.pk),
            reverse("conversations:messages", args=[kind, subject.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 404 and SECRET not in response.content.decode()
        assert client.post(page_url(kind, subject.pk), {"body": "x"}).status_code == 404
        listing = client.get(reverse("conversations:list"))
        assert listing.status_code == 200 and SECRET not in listing.content.decode()
    assert Message.objects.count() == 1


def test_an_unknown_kind_is_404(mentorship, mentee_client):
    assert mentee_client.get(page_url("programme", mentorship.pk)).status_code == 404


def test_anonymous_is_sent_to_log_in(mentorship, client):
    response = client.get(page_url("mentorship", mentorship.pk))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_message_is_checked(mentorship, mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    url = page_url("mentorship", mentorship.pk)
    for body in ("   ", "a\x00b", "x" * (BODY_MAX_LENGTH + 1)):
        assert client.post(url, {"body": body}).status_code == 422
    assert not Message.objects.exists()


# --- read state and the badge ---------------------------------------------------------------
def test_unread_counts_follow_each_person(mentorship, mentee, mentor, csrf_client_for):
    post(mentee, "mentorship", mentorship, "one")
    post(mentee, "mentorship", mentorship, "two")
    assert selectors.unread_message_count(user=mentor) == 2
    assert selectors.unread_message_count(user=mentee) == 0  # one's own messages are read
    badge = csrf_client_for(mentor).get(reverse("conversations:badge")).content.decode()
    assert ">2<" in badge
    listing = csrf_client_for(mentor).get(reverse("conversations:list")).content.decode()
    assert "2 baru" in listing  # the mentor reads Tandem in Indonesian
    unread = Notification.objects.filter(user=mentor, kind="conversation_message")
    assert unread.filter(read_at__isnull=True).count() == 2
    csrf_client_for(mentor).get(page_url("mentorship", mentorship.pk))
    assert selectors.unread_message_count(user=mentor) == 0
    assert not unread.filter(read_at__isnull=True).exists()  # read here, cleared there
    assert (
        "badge" not in csrf_client_for(mentor).get(reverse("conversations:badge")).content.decode()
    )


def test_a_poll_marks_read_exactly_what_it_shows(
    mentorship, mentee, mentor, csrf_client_for, monkeypatch
):
    """A message that arrives while the poll is being answered is either shown and read, or
    neither: never shown yet counted unread (the badge would call it new after it was seen).
    The poll reads the messages first, then marks read up to the last one it shows."""
    post(mentee, "mentorship", mentorship, "first")
    fetch = selectors.messages_for

    def a_message_arrives_then_fetch(**kwargs):
        post(mentee, "mentorship", mentorship, "just in")
        return fetch(**kwargs)

    monkeypatch.setattr(selectors, "messages_for", a_message_arrives_then_fetch)
    url = reverse("conversations:messages", args=["mentorship", mentorship.pk])
    page = csrf_client_for(mentor).get(url).content.decode()
    assert "first" in page and "just in" in page
    assert selectors.unread_message_count(user=mentor) == 0

    def fetch_then_a_message_arrives(**kwargs):
        shown = fetch(**kwargs)
        post(mentee, "mentorship", mentorship, "after the fetch")
        return shown

    monkeypatch.setattr(selectors, "messages_for", fetch_then_a_message_arrives)
    page = csrf_client_for(mentor).get(url).content.decode()
    assert "after the fetch" not in page
    assert selectors.unread_message_count(user=mentor) == 1


def test_every_page_links_the_badge(mentorship, mentee_client):
    html = mentee_client.get(reverse("mentorships:list")).content.decode()
    assert reverse("conversations:badge") in html and reverse("conversations:list") in html


def test_the_list_keeps_a_fixed_number_of_queries(
    mentee, mentor, outsider, mentee_client, django_assert_num_queries
):
    mentorship = make_active(mentee, mentor)
    post(mentor, "mentorship", mentorship, "hi")
    mentee_client.get(reverse("conversations:list"))
    with django_assert_num_queries(4):  # session, user, notifications badge, conversations
        assert mentee_client.get(reverse("conversations:list")).status_code == 200
    other = make_request(mentee, outsider)
    post(outsider, "request", other, "hello")
    with django_assert_num_queries(4):
        html = mentee_client.get(reverse("conversations:list")).content.decode()
    assert html.count('class="card') == 2


# --- read-only once over --------------------------------------------------------------------
def test_an_ended_mentorship_is_read_only(
    mentorship, mentee, mentor, csrf_client_for, token_client_for
):
    post(mentee, "mentorship", mentorship, SECRET)
    mentorships.mentorship_end(mentorship=mentorship, user=mentor, completed=True)
    client = csrf_client_for(mentee)
    page = client.get(page_url("mentorship", mentorship.pk)).content.decode()
    assert SECRET in page and "read-only" in page and 'name="body"' not in page
    assert 'hx-trigger="every' not in page  # nothing new can come: no polling
    response = client.post(page_url("mentorship", mentorship.pk), {"body": "Still there?"})
    assert response.status_code == 409 and "read-only" in response.content.decode()
    api = token_client_for(mentor).post(
        api_url("mentorship", mentorship.pk), {"body": "x"}, content_type="application/json"
    )
    assert api.status_code == 409 and "read-only" in api.json()["detail"]
    assert Message.objects.count() == 1


def test_an_answered_request_and_tryout_are_read_only(
    open_request, tryout, mentee, mentor, token_client_for
):
    post(mentor, "request", open_request, "Could you say more about your goal?")
    post(mentee, "request", open_request, "Of course: ...")
    mentorships.request_decline(req=open_request, user=mentor)
    mentorships.tryout_answer(tryout=tryout, user=mentor, answer="By asking.")
    client = token_client_for(mentee)
    for kind, pk in (("request", open_request.pk), ("tryout", tryout.pk)):
        response = client.post(api_url(kind, pk), {"body": "x"}, content_type="application/json")
        assert response.status_code == 409, kind
    assert len(client.get(api_url("request", open_request.pk)).json()) == 2


# --- email follows the preference -----------------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "emailed", "state"),
    [
        ("immediately", 1, Notification.Email.SENT),
        ("digest", 0, Notification.Email.DIGEST_PENDING),
        ("off", 0, Notification.Email.NONE),
    ],
)
def test_the_email_follows_the_preference(
    mode, emailed, state, mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    preference_set(user=mentor, kind="conversation_message", mode=mode)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(mentee, "mentorship", mentorship, "Hello")
    assert len(mail.outbox) == emailed
    notification = Notification.objects.get(user=mentor, kind="conversation_message")
    assert notification.email == state
    assert notification.url == page_url("mentorship", mentorship.pk)
    assert not Notification.objects.filter(user=mentee, kind="conversation_message").exists()


def test_the_email_is_in_the_recipients_language(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    mentor.language = "id"
    mentor.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(mentee, "mentorship", mentorship, "Halo")
    assert "Pesan baru dari" in mail.outbox[0].subject


# --- API --------------------------------------------------------------------------------------
def test_the_api_with_a_token(mentorship, mentee, mentor, token_client_for):
    mentee_api, mentor_api = token_client_for(mentee), token_client_for(mentor)
    url = api_url("mentorship", mentorship.pk)
    created = mentee_api.post(url, {"body": "  Hello  "}, content_type="application/json")
    assert created.status_code == 201 and created.json()["body"] == "Hello"
    assert created.json()["mine"] is True
    listing = mentor_api.get("/api/v1/conversations/").json()
    assert [(c["kind"], c["subject_id"], c["unread"], c["writable"]) for c in listing] == [
        ("mentorship", mentorship.pk, 1, True)
    ]
    messages = mentor_api.get(url).json()
    assert [(m["body"], m["mine"]) for m in messages] == [("Hello", False)]
    assert mentor_api.get(url + f"?after={messages[0]['id']}").json() == []
    assert mentor_api.get(url + "?after=-1").status_code == 422
    assert mentor_api.get(url + f"?after={2**64}").status_code == 422
    read = mentor_api.post(api_url("mentorship", mentorship.pk, "read"))
    assert read.status_code == 200 and read.json()["unread"] == 0
    assert mentor_api.get("/api/v1/conversations/").json()[0]["unread"] == 0


def test_the_api_with_the_browser_session_needs_csrf(mentorship, mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    url = api_url("mentorship", mentorship.pk)
    body = {"body": "Hello"}
    assert (
        client.post(url, body, content_type="application/json", without_csrf=True).status_code
        == 403
    )
    assert client.post(url, body, content_type="application/json").status_code == 201


@pytest.mark.parametrize("kind", ["mentorship", "request", "tryout"])
def test_the_api_refuses_outsiders(kind, request, mentee, outsider, token_client_for):
    subject = _subject(kind, request)
    post(mentee, kind, subject, SECRET)
    client = token_client_for(outsider)
    assert client.get(api_url(kind, subject.pk)).status_code == 404
    posted = client.post(api_url(kind, subject.pk), {"body": "x"}, content_type="application/json")
    assert posted.status_code == 404
    assert client.post(api_url(kind, subject.pk, "read")).status_code == 404
    assert client.get("/api/v1/conversations/").json() == []


@pytest.mark.parametrize(
    "payload",
    [
        {"body": ""},
        {"body": "a\x00b"},
        {"body": "x" * (BODY_MAX_LENGTH + 1)},
        {"body": "x", "to": 1},
    ],
)
def test_the_api_checks_the_body(payload, mentorship, mentee, token_client_for):
    response = token_client_for(mentee).post(
        api_url("mentorship", mentorship.pk), payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert not Message.objects.exists()


def test_the_api_refuses_an_unknown_kind(mentorship, mentee, token_client_for):
    response = token_client_for(mentee).get(api_url("programme", mentorship.pk))
    assert response.status_code == 422


# --- the model --------------------------------------------------------------------------------
def test_a_conversation_has_exactly_one_subject(mentorship, mentee, outsider):
    make_mentor(outsider)
    open_request = make_request(mentee, outsider)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(mentorship=mentorship, request=open_request)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create()


def test_participants_come_from_the_subject(mentorship, mentee, mentor, outsider):
    thread = selectors.get_thread_for_user(mentee, "mentorship", mentorship.pk)
    assert thread.is_participant(mentee) and thread.is_participant(mentor)
    assert not thread.is_participant(outsider)
    with pytest.raises(PermissionDenied):
        services.message_post(thread=thread, by=outsider, body="Hi")


# --- the pair's home and the request and try-out pages -----------------------------------------
def test_the_mentorship_page_shows_the_conversation_without_its_text(
    mentorship, mentee, mentor, mentor_client
):
    post(mentee, "mentorship", mentorship, SECRET)
    html = mentor_client.get(reverse("mentorships:detail", args=[mentorship.pk])).content.decode()
    assert 'id="pair-conversation"' in html and "1 baru" in html  # in the mentor's Indonesian
    assert page_url("mentorship", mentorship.pk) in html
    assert SECRET not in html


def test_the_request_and_tryout_pages_link_to_their_conversation(
    open_request, tryout, mentor_client
):
    html = mentor_client.get(
        reverse("mentorships:request", args=[open_request.pk])
    ).content.decode()
    assert page_url("request", open_request.pk) in html
    html = mentor_client.get(reverse("mentorships:list")).content.decode()
    assert page_url("tryout", tryout.pk) in html
