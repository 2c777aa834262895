from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("connection refused by the SMTP server")


class CountingBackend(locmem.EmailBackend):
    """The test outbox, counting the connections opened (as an SMTP backend would)."""

    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return True
