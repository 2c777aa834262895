"""Over SMTP the claim commits while the server holds the whole message but not its final
dot: a worker killed before the claim has sent nothing (the row is still to send), killed
after the dot the row says the message may have gone out. Driven through Django's SMTP
backend against a recording stand-in for the server's connection."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.mail.backends.smtp import EmailBackend

from tandem.notifications.delivery import deliver, deliver_many
from tandem.notifications.models import OutgoingEmail

Status = OutgoingEmail.Status


class Server:
    """What the SMTP server saw, and the row's status at each moment that matters."""

    def __init__(self) -> None:
        self.delivered: list[bytes] = []
        self.status_at_body: list[str] = []
        self.status_at_dot: list[str] = []
        self.pending = b""
        self.on_body: Callable[[], None] = lambda: None
        self.refuse_recipients = False
        self.drop_after_dot = False
        self.closed = 0


class FakeSMTP:
    """The part of smtplib.SMTP that Django's backend and the delivery use."""

    does_esmtp = True

    def __init__(self, server: Server) -> None:
        self.server = server
        self.email_id = 0

    def has_extn(self, name: str) -> bool:
        return name == "size"

    def ehlo_or_helo_if_needed(self) -> None:
        pass

    def mail(self, sender: str, options: list[str]) -> tuple[int, bytes]:
        return 250, b"ok"

    def rcpt(self, recipient: str) -> tuple[int, bytes]:
        return (550, b"no such user") if self.server.refuse_recipients else (250, b"ok")

    def docmd(self, command: str) -> tuple[int, bytes]:
        assert command == "data"
        return 354, b"go ahead"

    def send(self, data: bytes) -> None:
        status = OutgoingEmail.objects.values_list("status", flat=True).get(pk=self.email_id)
        if data == b".\r\n":
            self.server.status_at_dot.append(status)
            if self.server.drop_after_dot:
                raise smtplib.SMTPServerDisconnected("connection lost")
            self.server.delivered.append(self.server.pending)
            self.server.pending = b""
        else:
            self.server.status_at_body.append(status)
            self.server.pending = data
            self.server.on_body()

    def getreply(self) -> tuple[int, bytes]:
        return 250, b"queued"

    def quit(self) -> None:
        self.close()

    def close(self) -> None:
        self.server.pending = b""  # a message without its dot is dropped
        self.server.closed += 1


@pytest.fixture
def server(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Server:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    server = Server()
    fakes: list[FakeSMTP] = []

    def connect(*args: Any, **kwargs: Any) -> FakeSMTP:
        fakes.append(FakeSMTP(server))
        return fakes[-1]

    monkeypatch.setattr(EmailBackend, "connection_class", property(lambda self: connect))
    # Each send names its row, so the stand-in can read the row's status at that moment.
    real_send = FakeSMTP.send

    def send(self: FakeSMTP, data: bytes) -> None:
        if data != b".\r\n":  # a body: it names its row in its Message-ID
            self.email_id = int(data.split(b"<tandem-", 1)[1].split(b"@", 1)[0])
        real_send(self, data)

    monkeypatch.setattr(FakeSMTP, "send", send)
    return server


def _email(n: int = 0) -> OutgoingEmail:
    return OutgoingEmail.objects.create(to=f"p{n}@example.com", subject="Hi", body_text="Hello")


@pytest.mark.django_db
def test_the_claim_commits_after_the_body_and_before_the_final_dot(server: Server) -> None:
    emails = [_email(n) for n in range(3)]
    assert deliver_many([e.pk for e in emails]) == {"sent": 3}
    assert server.status_at_body == [Status.QUEUED] * 3  # nothing claimed yet: not sent
    assert server.status_at_dot == [Status.SENDING] * 3  # claimed before it can go out
    assert len(server.delivered) == 3 and server.closed == 1  # one connection for the batch
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.SENT}


@pytest.mark.django_db
def test_a_row_claimed_by_another_worker_meanwhile_is_not_sent(server: Server) -> None:
    email, other = _email(0), _email(1)

    def another_worker_claims() -> None:
        if not server.delivered:
            OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.SENDING)

    server.on_body = another_worker_claims
    assert deliver_many([email.pk, other.pk]) == {"in-progress": 1, "sent": 1}
    assert len(server.delivered) == 1 and b"p1@example.com" in server.delivered[0]
    assert server.status_at_dot == [Status.SENDING]  # only the other email reached its dot


@pytest.mark.django_db
def test_refused_recipients_keep_the_row_for_a_retry(server: Server) -> None:
    server.refuse_recipients = True
    email = _email()
    assert deliver(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == Status.FAILED and email.attempts == 1 and server.delivered == []
    server.refuse_recipients = False
    assert deliver(email.pk) == "sent"


@pytest.mark.django_db
def test_a_connection_lost_after_the_dot_is_never_sent_again(server: Server) -> None:
    server.drop_after_dot = True
    email = _email()
    assert deliver(email.pk) == "unknown"
    email.refresh_from_db()
    assert email.status == Status.UNKNOWN
    server.drop_after_dot = False
    assert deliver(email.pk) == "in-progress"  # UNKNOWN is never retried
    assert server.delivered == []
