"""Slow clients: connections that send a login POST's headers and then its body one byte a
second, as in the incident (twenty of them took all four sync workers straight at gunicorn).
Bounded: one thread, loopback only, stops after `seconds` or on `stop`."""

from __future__ import annotations

import socket
import threading
import time

from bench.loadkit.loadgen import LOOPBACK


class SlowClients:
    def __init__(self, port: int, count: int, seconds: float, host: str = "127.0.0.1") -> None:
        if host not in LOOPBACK:
            raise ValueError(f"slow clients only talk to loopback, not {host!r}")
        self.host, self.port, self.count, self.seconds = host, port, count, seconds
        self.stop = threading.Event()
        self.opened = 0
        self.cut_off = 0  # connections the server closed on them (nginx's client timeouts)
        self.thread = threading.Thread(target=self._run, name="slow-clients", daemon=True)

    def __enter__(self) -> SlowClients:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(10)

    def _run(self) -> None:
        body = b"login=someone%40example.com&password=" + b"x" * 100
        head = (
            "POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        sockets: list[socket.socket] = []
        try:
            for _ in range(self.count):
                try:
                    s = socket.create_connection((self.host, self.port), timeout=2)
                    s.sendall(head)
                except OSError:
                    self.cut_off += 1
                    continue
                sockets.append(s)
                self.opened += 1
            deadline = time.monotonic() + self.seconds
            offset = 0
            while not self.stop.is_set() and time.monotonic() < deadline and sockets:
                for s in list(sockets):
                    try:
                        s.sendall(body[offset : offset + 1])
                    except OSError:
                        self.cut_off += 1
                        sockets.remove(s)
                        s.close()
                offset = min(offset + 1, len(body) - 1)
                self.stop.wait(1.0)
        finally:
            for s in sockets:
                s.close()
