"""The load-and-fault kit in bench/loadkit (the full run is `make bench-load`, not a test):
its statistics, its bounds (loopback only, stops by itself), its SMTP sink, and that the
command `make bench-load` runs parses its options."""

from __future__ import annotations

import http.server
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import numpy as np
import pytest

from bench.loadkit import loadgen, stack
from bench.loadkit.loadgen import LoadGenerator, Pacer, Sample, VirtualUser
from bench.loadkit.smtpsink import SmtpSink, read_log

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("q", [0, 1, 25, 50, 95, 99, 100])
def test_percentiles_match_numpys(q: float) -> None:
    values = np.random.default_rng(7).exponential(0.2, size=501).tolist()
    assert loadgen.percentile(values, q) == pytest.approx(np.percentile(values, q))
    assert loadgen.percentile([3.0], q) == 3.0


def test_a_percentile_of_nothing_is_nan_and_out_of_range_is_refused() -> None:
    assert np.isnan(loadgen.percentile([], 50))
    with pytest.raises(ValueError):
        loadgen.percentile([1.0], 101)


def _sample(start: float, seconds: float, status: int = 200, page: str = "home") -> Sample:
    return Sample(page, "reads", start, seconds, status)


def test_a_summary_leaves_failures_out_of_the_percentiles_and_counts_them() -> None:
    samples = [_sample(0, 0.1), _sample(0, 0.2), _sample(0, 30.0, 0), _sample(0, 0.3, 502)]
    samples.append(_sample(0, 0.05, 403))
    summary = loadgen.summarize(samples)
    assert summary.n == 5 and summary.errors == 2 and summary.client_errors == 1
    assert summary.p50 == pytest.approx(0.1) and summary.p99 < 0.3


def test_the_longest_stall_is_the_longest_time_without_an_answer() -> None:
    samples = [_sample(0, 1), _sample(1, 1), _sample(2, 7), _sample(3, 1, status=0)]
    # answers end at 1, 2 and 9 within [0, 10]: the longest gap is 2 -> 9
    assert loadgen.longest_stall(samples, 0, 10) == pytest.approx(7)
    assert loadgen.longest_stall([], 0, 4) == pytest.approx(4)
    assert loadgen.rate(samples, 0, 10) == pytest.approx(0.3)


def test_the_pacer_hands_out_writes_at_its_rate_only_while_on() -> None:
    now = [0.0]
    pacer = Pacer(per_minute=60, clock=lambda: now[0])
    assert not pacer.take()
    pacer.switch(True)
    taken = 0
    for _ in range(1000):  # 10 s in steps of 10 ms
        now[0] += 0.01
        taken += pacer.take()
    assert 9 <= taken <= 11
    pacer.switch(False)
    now[0] += 5
    assert not pacer.take()


def test_the_generator_refuses_anything_but_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        LoadGenerator("example.org", 80, [])
    with pytest.raises(ValueError, match="loopback"):
        loadgen.Connection("10.0.0.1", 80, 1.0, {})


class _Pages(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _users(n: int) -> list[VirtualUser]:
    return [VirtualUser(k, "mentee", f"session{k}") for k in range(n)]


def test_the_generator_stops_by_itself_at_its_deadline(site: int) -> None:
    gen = LoadGenerator("127.0.0.1", site, _users(3), think=(0.01, 0.02), timeout=2)
    started = time.monotonic()
    gen.start(0.8)
    deadline = started + 5
    while gen.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gen.running() == 0, "a virtual user outlived the deadline"
    assert time.monotonic() - started < 3
    assert gen.samples and all(s.status == 200 for s in gen.samples)
    assert {s.page for s in gen.samples} <= set(loadgen.PAGES)


def test_the_generator_stops_after_its_request_budget(site: int) -> None:
    gen = LoadGenerator("127.0.0.1", site, _users(2), think=(0, 0), timeout=2, max_requests=25)
    gen.start(60)
    deadline = time.monotonic() + 10
    while gen.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gen.running() == 0 and 25 <= len(gen.samples) <= 27


def test_the_sink_counts_each_message_id_and_nothing_half_sent() -> None:
    with SmtpSink() as sink:
        message = EmailMessage()
        message["Message-ID"] = "<tandem-7@127.0.0.1>"
        message["Subject"] = "Hello"
        message.set_content("Hi")
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as smtp:
            smtp.send_message(message, "a@example.com", ["b@example.com"])
            smtp.send_message(message, "a@example.com", ["b@example.com"])
        with socket.create_connection(("127.0.0.1", sink.port), timeout=5) as raw:
            raw.recv(1024)
            raw.sendall(b"HELO x\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n")
            raw.sendall(b"Message-ID: <tandem-8@127.0.0.1>\r\n\r\nhalf")  # then goes away
        time.sleep(0.3)
        assert sink.counts() == {"<tandem-7@127.0.0.1>": 2}


def test_the_sink_process_log_is_read_back_as_counts(tmp_path: Path) -> None:
    log = tmp_path / "received.log"
    assert read_log(log) == {}
    log.write_text("<tandem-1@h>\n<tandem-2@h>\n<tandem-1@h>\n")
    assert read_log(log) == {"<tandem-1@h>": 2, "<tandem-2@h>": 1}


def test_the_proxy_timeouts_are_read_from_the_deployed_configuration() -> None:
    timeouts = stack.proxy_timeouts()
    assert timeouts["client_body_timeout"] == 10 and timeouts["proxy_read_timeout"] == 35


def test_every_kit_database_has_its_own_name_never_the_dev_one() -> None:
    db = stack.Database("postgres://postgres@127.0.0.1:5432/postgres")
    assert db.name.startswith(stack.PREFIX) and db.url.endswith("/" + db.name)


def test_make_bench_load_parses_its_options() -> None:
    result = subprocess.run(
        [sys.executable, "bench/loadkit/run.py", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--size" in result.stdout and "--accepts-per-minute" in result.stdout
    makefile = (REPO / "Makefile").read_text()
    assert "bench/loadkit/run.py --size $(BENCH_LOAD_SIZE)" in makefile


def test_the_verdict_fails_on_a_lost_email_or_a_slow_page() -> None:
    from bench.loadkit.run import verdict

    figures = {
        "emails": {"lost": 0, "duplicated": 0},
        "tasks": {"stranded": 0, "requeued": ["tasks.send_due_reminders"]},
        "faults": {
            "slow-clients": {"longest_stall_s": 0.4},
            "task-worker": {"kills": [{"killed": True}]},
        },
        "proxy_timeout_s": 10.0,
        "write_ratio": 1.2,
        "rules": {"mentors_over_capacity": 0},
        "process_exits": [{"killed_by_the_kit": True}],
    }
    assert all(ok for _what, ok in verdict(figures))
    figures["emails"]["lost"] = 1
    figures["write_ratio"] = 1.8
    figures["tasks"]["requeued"].append("tasks.deliver_email")  # more than the kit's one kill
    failed = [what for what, ok in verdict(figures) if not ok]
    assert len(failed) == 3


def test_supervised_processes_come_back_like_systemds_and_all_end_on_close(
    tmp_path: Path,
) -> None:
    processes = stack.Processes(tmp_path, {"PATH": "/usr/bin:/bin"})
    processes.RESTART_AFTER = 0.1
    try:
        first = processes.start("sleeper", ["sleep", "30"], restart=True)
        processes.start("once", ["sleep", "30"])
        processes.kill("sleeper")
        assert processes.wait_running("sleeper", timeout=10)
        again = processes.procs["sleeper"]
        assert again.pid != first.pid
        assert processes.exits == [("sleeper", -9, True)]
    finally:
        processes.close()
    assert again.poll() is not None and processes.procs == {}
