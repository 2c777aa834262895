"""A loopback SMTP server that accepts every message and counts each Message-ID it receives,
so the kit can tell emails sent from emails lost (never received) and duplicated (received
twice). A message counts only once its DATA ends with the final dot, as with a real server:
a client killed halfway has sent nothing.

The kit runs it as a process of its own (`python bench/loadkit/smtpsink.py LOG PORTFILE`),
so that the load generator's threads never slow its answers; it appends each Message-ID it
receives to LOG, one a line, flushed at once."""

from __future__ import annotations

import argparse
import asyncio
import re
import signal
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import IO

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class SmtpSink:
    """Runs in a thread of its own: `with SmtpSink() as sink: ... sink.port, sink.received`."""

    def __init__(self, host: str = "127.0.0.1", log: IO[str] | None = None) -> None:
        self.host = host
        self.log = log
        self.port = 0
        self.received: Counter[str] = Counter()
        self.messages = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="smtp-sink", daemon=True)
        self._server: asyncio.Server | None = None

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self.received)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._session, self.host, 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            self._loop.close()

    def _delivered(self, data: bytes) -> None:
        head = data.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        message_id = found.group(1).decode("ascii", "replace") if found else "<none>"
        with self._lock:
            self.messages += 1
            self.received[message_id] += 1
            if self.log is not None:
                self.log.write(message_id + "\n")
                self.log.flush()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        try:
            await say("220 loadkit sink ESMTP")
            while True:
                line = await asyncio.wait_for(reader.readline(), 60)
                if not line:
                    return
                verb = line.strip().split(b" ", 1)[0].upper()
                if verb == b"EHLO":
                    writer.write(b"250-loadkit\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    await writer.drain()
                elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                    await say("250 OK")
                elif verb == b"DATA":
                    await say("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while True:
                        part = await asyncio.wait_for(reader.readline(), 60)
                        if not part:
                            return  # the client went away mid-message: nothing delivered
                        if part in (b".\r\n", b".\n"):
                            break
                        lines.append(part[1:] if part.startswith(b"..") else part)
                    self._delivered(b"".join(lines))
                    await say("250 OK queued")
                elif verb == b"QUIT":
                    await say("221 Bye")
                    return
                else:
                    await say("502 Command not implemented")
        except (TimeoutError, ConnectionError):
            return
        finally:
            writer.close()


def read_log(path: Path) -> Counter[str]:
    """The Message-IDs a sink process received, with how many times each."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return Counter()
    return Counter(line for line in text.splitlines() if line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The load kit's SMTP sink, as a process.")
    parser.add_argument("log", type=Path, help="appends each Message-ID received here")
    parser.add_argument("portfile", type=Path, help="writes the port it listens on here")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with args.log.open("a") as log, SmtpSink(log=log) as sink:
        args.portfile.write_text(str(sink.port))
        while not stop.wait(0.5):
            pass
    sys.exit(0)


if __name__ == "__main__":
    main()
