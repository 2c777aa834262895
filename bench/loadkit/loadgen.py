"""A bounded load generator for the load kit: virtual users browsing Tandem over loopback.

Each virtual user is a thread with its own keep-alive HTTP connection and signed-in session
(seeded, see seed.py). It picks a page class by weight, fetches it, thinks, and repeats;
a mentor also accepts one of their pending requests whenever the shared write pacer says a
write is due (`writes_per_minute` in all, only while writes are on). Every request is
recorded with its class, the phase it ran in, its start, its duration and its status.

Bounded by construction: only loopback addresses are accepted, every request has a timeout,
and every thread stops at the deadline given to `start` (or at `stop()`, or after
`max_requests` in all), whatever the caller does.
"""

from __future__ import annotations

import http.client
import itertools
import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
PAGES: dict[str, float] = {
    "home": 20,
    "find": 20,
    "directory": 10,
    "profile": 15,
    "mentorships": 15,
    "notifications": 10,
    "api": 10,
}
"""Page classes (GET) and their weights in a virtual user's browsing."""
WRITE = "accept"
"""The write class: a mentor accepting a pending request (a new mentorship)."""


def page_path(page: str, rng: random.Random, profiles: Sequence[int]) -> str:
    """The address of one request of this page class."""
    if page == "profile":
        return f"/people/{rng.choice(profiles)}/" if profiles else "/people/me/"
    return {
        "home": "/",
        "find": "/find/",
        "directory": "/people/",
        "mentorships": "/mentorships/",
        "notifications": "/notifications/",
        "api": "/api/v1/mentorships/requests",
    }[page]


# --- statistics -----------------------------------------------------------------------------


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks, as
    NumPy's default; NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile out of range: {q}")
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Sample:
    """One request: its class, phase, start (monotonic s), duration (s) and HTTP status
    (0: no answer, the connection failed or timed out)."""

    page: str
    phase: str
    start: float
    seconds: float
    status: int

    @property
    def end(self) -> float:
        return self.start + self.seconds

    @property
    def error(self) -> bool:
        """A failure the user saw: a server error or no answer."""
        return self.status == 0 or self.status >= 500


@dataclass
class Summary:
    n: int
    p50: float
    p95: float
    p99: float
    errors: int
    client_errors: int

    def row(self, name: str) -> str:
        return (
            f"{name:<14}{self.n:>7}{self.p50 * 1000:>9.0f}{self.p95 * 1000:>9.0f}"
            f"{self.p99 * 1000:>9.0f}{self.errors:>8}{self.client_errors:>8}"
        )


SUMMARY_HEADER = (
    f"{'class':<14}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'4xx':>8}"
)


def summarize(samples: Iterable[Sample]) -> Summary:
    """Percentiles of the answered requests' durations; errors counted apart."""
    samples = list(samples)
    answered = [s.seconds for s in samples if not s.error]
    return Summary(
        n=len(samples),
        p50=percentile(answered, 50),
        p95=percentile(answered, 95),
        p99=percentile(answered, 99),
        errors=sum(s.error for s in samples),
        client_errors=sum(400 <= s.status < 500 for s in samples),
    )


def by_class(samples: Iterable[Sample]) -> dict[str, Summary]:
    groups: dict[str, list[Sample]] = {}
    for s in samples:
        groups.setdefault(s.page, []).append(s)
    return {page: summarize(group) for page, group in sorted(groups.items())}


def longest_stall(samples: Iterable[Sample], start: float, end: float) -> float:
    """The longest stretch within [start, end] in which no request was answered: nobody got a
    page. Counts from `start` to the first answer and from the last answer to `end`."""
    ends = sorted(s.end for s in samples if not s.error and start <= s.end <= end)
    marks = [start, *ends, end]
    return max(b - a for a, b in itertools.pairwise(marks)) if end > start else 0.0


def rate(samples: Sequence[Sample], start: float, end: float) -> float:
    """Requests answered per second within [start, end]."""
    done = sum(1 for s in samples if not s.error and start <= s.end <= end)
    return done / (end - start) if end > start else math.nan


# --- the generator --------------------------------------------------------------------------


class Pacer:
    """Hands out writes at a steady rate (per minute, all users together), only while on."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else math.inf
        self.clock = clock
        self.on = False
        self._next = 0.0
        self._lock = threading.Lock()

    def switch(self, on: bool) -> None:
        with self._lock:
            if on and not self.on:
                self._next = self.clock() + self.interval / 2
            self.on = on

    def take(self) -> bool:
        """Whether the caller should write now (at most one caller per interval)."""
        with self._lock:
            now = self.clock()
            if not self.on or now < self._next:
                return False
            self._next = max(self._next + self.interval, now - self.interval)
            return True


class Connection:
    """A keep-alive HTTP/1.1 connection with a cookie jar, reopened after any failure."""

    def __init__(self, host: str, port: int, timeout: float, cookies: dict[str, str]) -> None:
        if host not in LOOPBACK:
            raise ValueError(f"the load generator only talks to loopback, not {host!r}")
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies = dict(cookies)
        self._conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "User-Agent": "tandem-loadkit"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._conn.request(method, path, body=body, headers=headers)
            response = self._conn.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, content
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, b""

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@dataclass
class VirtualUser:
    """One signed-in person: `role` "mentor" or "mentee", and a mentor's pending requests."""

    user: int
    role: str
    session: str
    pending: list[int] = field(default_factory=list)


class LoadGenerator:
    """Virtual users against `host:port`, recording every request into `samples`."""

    def __init__(
        self,
        host: str,
        port: int,
        users: Sequence[VirtualUser],
        *,
        profiles: Sequence[int] = (),
        think: tuple[float, float] = (0.5, 1.5),
        writes_per_minute: float = 12,
        timeout: float = 30.0,
        max_requests: int = 1_000_000,
        seed: int = 2026,
    ) -> None:
        if host not in LOOPBACK:
            raise ValueError(f"the load generator only talks to loopback, not {host!r}")
        self.host, self.port, self.users = host, port, list(users)
        self.profiles = list(profiles)
        self.think = think
        self.thinking = True
        self.timeout = timeout
        self.max_requests = max_requests
        self.pacer = Pacer(writes_per_minute)
        self.phase = "warm-up"
        self.samples: list[Sample] = []
        self.accepted: list[int] = []
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._seed = seed
        self.deadline = 0.0

    def start(self, seconds: float) -> None:
        """Start every virtual user; all of them stop by themselves after `seconds`."""
        self.deadline = time.monotonic() + seconds
        for k, user in enumerate(self.users):
            thread = threading.Thread(
                target=self._run, args=(user, random.Random(self._seed + k)), daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, wait: float | None = None) -> None:
        """Stop every virtual user and wait for them (at most a request's timeout each)."""
        self.stopped.set()
        for thread in self._threads:
            thread.join(self.timeout + 1 if wait is None else wait)

    def running(self) -> int:
        return sum(t.is_alive() for t in self._threads)

    def writes(self, on: bool) -> None:
        self.pacer.switch(on)

    def _go(self) -> bool:
        return (
            not self.stopped.is_set()
            and time.monotonic() < self.deadline
            and len(self.samples) < self.max_requests
        )

    def _record(self, page: str, start: float, status: int) -> None:
        sample = Sample(page, self.phase, start, time.monotonic() - start, status)
        with self._lock:
            self.samples.append(sample)

    def _fetch(self, conn: Connection, page: str, method: str, path: str) -> int:
        start = time.monotonic()
        status, _body = conn.request(method, path)
        self._record(page, start, status)
        return status

    def _run(self, user: VirtualUser, rng: random.Random) -> None:
        conn = Connection(self.host, self.port, self.timeout, {"sessionid": user.session})
        pages, weights = list(PAGES), list(PAGES.values())
        pending = list(user.pending)
        rng.shuffle(pending)
        # Stagger the start so the users do not arrive in step.
        self.stopped.wait(rng.uniform(0, self.think[1]))
        try:
            while self._go():
                if user.role == "mentor" and pending and self.pacer.take():
                    self._accept(conn, pending.pop())
                else:
                    page = rng.choices(pages, weights)[0]
                    self._fetch(conn, page, "GET", page_path(page, rng, self.profiles))
                if self.thinking:
                    self.stopped.wait(rng.uniform(*self.think))
        finally:
            conn.close()

    def _accept(self, conn: Connection, request_id: int) -> None:
        """Open the request (as a person would, which also sets the CSRF cookie), accept it,
        and retry once if no answer came (a retried accept is refused, never doubled)."""
        self._fetch(conn, "request", "GET", f"/mentorships/requests/{request_id}/")
        path = f"/mentorships/requests/{request_id}/accept/"
        status = self._fetch(conn, WRITE, "POST", path)
        if status == 0 or status >= 500:
            self.stopped.wait(1.0)
            status = self._fetch(conn, WRITE, "POST", path)
        if status in (200, 302):
            with self._lock:
                self.accepted.append(request_id)


def phase_samples(samples: Iterable[Sample], *phases: str, pages: bool = True) -> list[Sample]:
    """The samples of these phases; with `pages`, only page views (no writes, no request
    pages opened on the way to a write)."""
    return [s for s in samples if s.phase in phases and (not pages or s.page in PAGES)]


def describe(summary: dict[str, Summary]) -> list[str]:
    return [SUMMARY_HEADER, *(s.row(name) for name, s in summary.items())]


def as_dict(summary: Summary) -> dict[str, Any]:
    return {
        "n": summary.n,
        "p50_ms": round(summary.p50 * 1000, 1),
        "p95_ms": round(summary.p95 * 1000, 1),
        "p99_ms": round(summary.p99 * 1000, 1),
        "errors": summary.errors,
        "client_errors": summary.client_errors,
    }
