"""An email backend for kill-the-worker tests: each message is appended to a file of its
own process's (EMAIL_TEST_DIR), a little slowly, so a test can kill the worker mid-batch
and count afterwards what really went out."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        out = Path(os.environ["EMAIL_TEST_DIR"]) / f"sent-{os.getpid()}.txt"
        for message in email_messages:
            time.sleep(0.05)
            with out.open("a") as f:
                f.write(message.extra_headers["Message-ID"] + "\n")
                f.flush()
                os.fsync(f.fileno())
        return len(email_messages)
