"""`make bench-load`: Tandem's load-and-fault kit (issue 19), on the real stack, on loopback.

It creates a PostgreSQL database of its own, seeds 10,000 people, starts gunicorn with
deploy/gunicorn.conf.py (4 sync workers) behind nginx with deploy/nginx/tandem-proxy.conf,
the default and bulk task workers, the scheduler and an SMTP sink, then drives virtual users
through nginx:

1. steady load: windows of page views alone, then windows of page views with accepts (each
   accept a new mentorship), for the ratio of page p95 with writes to p95 without;
2. four faults under that load: a web worker killed, every database connection dropped
   (pg_terminate_backend), the bulk task worker killed twice during a 300-email reminder
   batch (and restarted, as systemd would), twenty slow clients trickling login POSTs;
3. capacity: the same users without think time;
4. a drain (the scheduler's sweeper recovers what the kills left), then the accounting:
   emails sent, lost and duplicated (against what the SMTP sink received), tasks stranded,
   and the business rules.

Everything it starts is ended when it stops, on success, on an error or on Ctrl-C, and its
database is dropped. Exit status 1 when a done-criterion of the issue fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.loadkit import loadgen
from bench.loadkit.loadgen import LoadGenerator, VirtualUser
from bench.loadkit.smtpsink import read_log

SIZES: dict[str, dict[str, Any]] = {
    # About 3 minutes of load (plus ~30 s to migrate and seed, and the drain).
    "small": {
        "users": 10_000,
        "vu_mentors": 10,
        "vu_mentees": 40,
        "warm": 10,
        "window": 15,
        "windows": 4,
        "fault": 12,
        "slow": 20,
        "capacity": 12,
        "drain": 150,
    },
    # About 12 minutes of load.
    "full": {
        "users": 10_000,
        "vu_mentors": 15,
        "vu_mentees": 85,
        "warm": 15,
        "window": 60,
        "windows": 6,
        "fault": 30,
        "slow": 60,
        "capacity": 60,
        "drain": 300,
    },
}
SLOW_CLIENTS = 20
SETTLE = 3.0
"""Seconds before each window that count in none."""
RATIO_LIMIT = 1.5
TASK_FAULT_BOUND = 150.0
"""Seconds the task-worker fault waits at most for each moment to kill in."""
KIT_ENV = {
    # Recovery within a short run: the sweeper requeues a task RUNNING this long (production:
    # 1800 s) and an email queued this long with no delivery task (production: 600 s).
    "TASKS_RUNNING_TIMEOUT": "30",
    "EMAIL_REQUEUE_AFTER": "20",
    "LOG_LEVEL": "WARNING",
    # The lexical encoder: the multilingual one reads every mentor's kept vector, and
    # computing 10,000 people's takes a quarter of an hour of CPU (`tandem embed`), far too
    # long for a seed; a page does the same work with either (one dot product per mentor).
    "TANDEM_TEXT_ENCODER": "lexical",
    "STATIC_MANIFEST": "0",
    "DJANGO_SETTINGS_MODULE": "tandem.settings",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/loadkit/run.py",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="Sizes: small (default, about 3 minutes of load) and full (about 12).",
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--users", type=int, help="people in the database (default 10,000)")
    parser.add_argument("--vus", type=int, help="virtual users (a fifth of them mentors)")
    parser.add_argument(
        "--accepts-per-minute",
        type=float,
        default=30,
        help="accepts in the write windows, all users together (default 30)",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to create the kit's database on (it is dropped after)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the logs' folder")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


class Stop(Exception):
    """SIGTERM or SIGHUP: end as Ctrl-C does."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise Stop(signal.strsignal(signum))


class Kit:
    def __init__(self, args: argparse.Namespace) -> None:
        from bench.loadkit.stack import Database

        self.args = args
        self.size = dict(SIZES[args.size])
        if args.users:
            self.size["users"] = args.users
        if args.vus:
            self.size["vu_mentors"] = max(1, args.vus // 5)
            self.size["vu_mentees"] = max(1, args.vus - self.size["vu_mentors"])
        self.workdir = Path(tempfile.mkdtemp(prefix="tandem-loadkit-"))
        self.db = Database(args.pg_url)
        self.processes: Any = None
        self.sink_log = self.workdir / "smtp-received.log"
        self.sink_port = 0
        self.gen: LoadGenerator | None = None
        self.timeline: list[tuple[str, float, float]] = []
        self.cpu: dict[str, float] = {}
        self.load_average: list[float] = []
        """The kit's own CPU (load generator included), in cores, per phase."""
        self.faults: dict[str, dict[str, Any]] = {}
        self.rng = random.Random(args.seed)
        self.django_ready = False
        self.db_created = False
        self.app_port = self.proxy_port = 0
        self.data: dict[str, Any] = {}

    # --- setting up and tearing down ---------------------------------------------------

    def __enter__(self) -> Kit:
        signal.signal(signal.SIGTERM, _on_signal)
        signal.signal(signal.SIGHUP, _on_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End everything this kit started, whatever state it is in."""
        steps: list[Callable[[], None]] = []
        if self.gen is not None:
            steps.append(lambda: self.gen.stop(wait=5) if self.gen else None)
        if self.processes is not None:
            steps.append(self.processes.close)
        if self.django_ready:
            from django.db import connections

            steps.append(connections.close_all)
        if self.db_created:
            steps.append(self.db.drop)
        for step in steps:
            try:
                step()
            except Exception as exc:  # keep cleaning up
                print(f"(cleanup: {exc})", file=sys.stderr)
        if self.args.keep:
            print(f"logs kept in {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            **KIT_ENV,
            "DATABASE_URL": self.db.url,
            "TANDEM_DATA_DIR": str(self.workdir / "data"),
            "SECRET_KEY": "loadkit-" + "k" * 50,
            "EMAIL_PORT": str(self.sink_port),
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "GUNICORN_WORKERS": "4",
            "GUNICORN_ACCESS_LOG": str(self.workdir / "access.log"),
        }

    def prepare(self) -> dict[str, Any]:
        """Database, Django in this process (for the faults and the accounting), migrations,
        seed."""
        from bench.loadkit.stack import Processes, free_port, nginx_binary

        nginx_binary()  # before anything is created: fail early without it
        self.processes = Processes(self.workdir, dict(os.environ))
        portfile = self.workdir / "smtp.port"
        sink = self.processes.start(
            "smtp-sink",
            [sys.executable, "bench/loadkit/smtpsink.py", str(self.sink_log), str(portfile)],
        )
        deadline = time.monotonic() + 30
        while not portfile.exists() or not portfile.read_text():
            if sink.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the SMTP sink did not start (see smtp-sink.log)")
            time.sleep(0.1)
        self.sink_port = int(portfile.read_text())
        self.app_port, self.proxy_port = free_port(), free_port()
        self.db.create()
        self.db_created = True
        os.environ.update(self.env())
        import django

        django.setup()
        self.django_ready = True
        from django.core.management import call_command

        from bench.loadkit import seed

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter() - started
        data = seed.seed(
            users=self.size["users"],
            vu_mentors=self.size["vu_mentors"],
            vu_mentees=self.size["vu_mentees"],
            pending=30,
            batch=300,
            password="loadkit-password-2026",
        )
        data["migrate_seconds"] = round(migrated, 1)
        data["seed_seconds"] = round(time.perf_counter() - started - migrated, 1)
        self.data = data
        return data

    def start_stack(self) -> None:
        from bench.loadkit.stack import nginx_binary, nginx_config, wait_for_http

        nginx = nginx_binary()
        self.processes.env = self.env()
        gunicorn = self.processes.start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "tandem.wsgi"],
        )
        config = nginx_config(self.workdir, self.app_port, self.proxy_port)
        proxy = self.processes.start("nginx", [nginx, "-c", str(config), "-p", str(self.workdir)])
        # As deploy/systemd runs them (Restart=always): one worker per queue, the scheduler.
        for queue in ("default", "bulk"):
            self.processes.tandem(
                f"worker-{queue}",
                *("db_worker", "--queue-name", queue, "--no-reload"),
                *("--worker-id", f"loadkit-{queue}"),
                restart=True,
            )
        self.processes.tandem("scheduler", "scheduler", "--interval", "10", restart=True)
        wait_for_http(self.app_port, gunicorn, "gunicorn")
        wait_for_http(self.proxy_port, proxy, "nginx")

    # --- the run -------------------------------------------------------------------------

    def phase(self, name: str, seconds: float, action: Callable[[], None] | None = None) -> None:
        assert self.gen is not None
        self.gen.phase = name
        start, cpu = time.monotonic(), time.process_time()
        if action is not None:
            action()
        remaining = start + seconds - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
        end = time.monotonic()
        self.timeline.append((name, start, end))
        self.cpu[name] = (time.process_time() - cpu) / (end - start)

    def run(self) -> None:
        size = self.size
        users = [
            VirtualUser(v["user"], v["role"], v["session"], v["pending"]) for v in self.data["vus"]
        ]
        planned = (
            size["warm"]
            + (size["window"] + SETTLE) * size["windows"]
            + size["fault"] * 2
            + 2 * TASK_FAULT_BOUND
            + size["slow"]
            + size["capacity"]
            + 60
        )
        self.gen = LoadGenerator(
            "127.0.0.1",
            self.proxy_port,
            users,
            profiles=self.data["profiles"],
            writes_per_minute=self.args.accepts_per_minute,
            seed=self.args.seed,
        )
        self.load_average = [os.getloadavg()[0]]
        self.gen.start(planned)  # a hard bound: every virtual user stops by then anyway
        self.phase("warm-up", size["warm"])
        # Page views alone first, so that nothing a write caused (a rebuild, a queue) is
        # still being digested in the baseline; then the same with accepts in the mix.
        # (Alternating them let the old index's rebuilds slow both alike: a ratio near 1 at a
        # p95 of 17 s.)
        for k in range(size["windows"]):
            writes = k >= size["windows"] // 2
            self.gen.writes(writes)
            self.phase("settle", SETTLE)
            self.phase("writes" if writes else "reads", size["window"])
        self.gen.writes(True)  # the faults strike under the full mix
        self.phase("fault:web-worker", size["fault"], self.kill_web_worker)
        self.phase("fault:db-connections", size["fault"], self.drop_connections)
        self.phase("fault:task-worker", 1, self.kill_task_worker_mid_batch)
        self.phase("fault:slow-clients", size["slow"] + 2, self.slow_clients)
        self.gen.writes(False)
        self.gen.thinking = False
        self.phase("capacity", size["capacity"])
        self.gen.stop()
        self.load_average.append(os.getloadavg()[0])

    def kill_web_worker(self) -> None:
        from bench.loadkit.stack import children

        master = self.processes.procs["gunicorn"].pid
        time.sleep(2)
        before = children(master)
        victim = self.rng.choice(before)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        respawned = None
        while time.monotonic() - killed < 30:
            now = children(master)
            if victim not in now and len(now) >= len(before):
                respawned = time.monotonic() - killed
                break
            time.sleep(0.05)
        self.faults["web-worker"] = {"killed": victim, "respawned_s": _round(respawned)}

    def drop_connections(self) -> None:
        from bench.loadkit import db

        time.sleep(2)
        self.faults["db-connections"] = {"terminated": db.drop_connections()}

    def kill_task_worker_mid_batch(self) -> None:
        """Kill the bulk worker twice, as in the incident: while the reminder run stamps the
        batch, and while an email batch is being sent; each time restart it 2 s later."""
        from bench.loadkit import db

        moved = db.make_batch_due()
        kills = []
        moments: list[tuple[str, Callable[[dict[str, int]], bool]]] = [
            (
                "during the reminder run",
                lambda p: p["reminder_run_running"] > 0 and 20 <= p["stamped"] < moved,
            ),
            ("during an email batch", lambda p: p["batch_running"] > 0 and p["sent"] >= 5),
        ]
        for what, due in moments:
            deadline = time.monotonic() + TASK_FAULT_BOUND
            progress = db.batch_progress()
            while not due(progress) and time.monotonic() < deadline:
                time.sleep(0.1)
                progress = db.batch_progress()
            if not due(progress):
                kills.append({"when": what, "killed": False, "progress": progress})
                continue
            self.processes.kill("worker-bulk")  # the supervisor starts it again, as systemd
            kills.append({"when": what, "killed": True, "progress": progress})
            self.processes.wait_running("worker-bulk")
        self.faults["task-worker"] = {"batch": moved, "kills": kills}

    def slow_clients(self) -> None:
        from bench.loadkit.slowclients import SlowClients

        time.sleep(1)
        start = time.monotonic()
        with SlowClients(self.proxy_port, SLOW_CLIENTS, self.size["slow"]) as slow:
            time.sleep(self.size["slow"])
        self.faults["slow-clients"] = {
            "clients": SLOW_CLIENTS,
            "opened": slow.opened,
            "cut_off": slow.cut_off,
            "window": (start, time.monotonic()),
        }

    def drain(self) -> dict[str, Any]:
        """Wait for the workers to finish and the sweeper to recover what the kills left;
        then stop the scheduler and let the workers finish its last tick."""
        from bench.loadkit import db

        started = time.monotonic()
        deadline = started + self.size["drain"]
        calm = 0
        last = -1
        while time.monotonic() < deadline:
            left = db.quiet()  # a task stranded RUNNING, or an orphan email, keeps it busy
            received = sum(read_log(self.sink_log).values())
            calm = calm + 1 if not left["tasks"] and not left["emails"] and received == last else 0
            if calm >= 3:
                break
            last = received
            time.sleep(1)
        self.processes.stop("scheduler")
        end = time.monotonic() + 30
        while db.quiet()["tasks"] and time.monotonic() < end:
            time.sleep(0.5)
        return {"seconds": round(time.monotonic() - started, 1), "left": db.quiet()}

    # --- figures -------------------------------------------------------------------------

    def figures(self, drained: dict[str, Any]) -> dict[str, Any]:
        from bench.loadkit import db
        from bench.loadkit.stack import proxy_timeouts

        assert self.gen is not None
        samples = self.gen.samples
        spans = {name: (start, end) for name, start, end in self.timeline}
        steady = [s for s in samples if s.phase in ("reads", "writes")]
        reads = loadgen.summarize(loadgen.phase_samples(samples, "reads"))
        writes = loadgen.summarize(loadgen.phase_samples(samples, "writes"))
        steady_time = sum(e - s for n, s, e in self.timeline if n in ("reads", "writes"))
        steady_done = sum(1 for s in steady if not s.error)
        cap_start, cap_end = spans["capacity"]
        capacity = [s for s in samples if s.phase == "capacity"]
        faults: dict[str, Any] = {}
        for name, start, end in self.timeline:
            if name.startswith("fault:"):
                window = [s for s in samples if s.phase == name]
                faults[name.removeprefix("fault:")] = {
                    "requests": len(window),
                    "errors": sum(s.error for s in window),
                    "seconds": round(end - start, 1),
                }
        for name, detail in self.faults.items():
            faults.setdefault(name, {}).update(detail)
        slow = faults.get("slow-clients", {})
        if "window" in slow:
            start, end = slow.pop("window")
            window = [s for s in samples if start <= s.start and s.end <= end + 30]
            slow["longest_stall_s"] = round(loadgen.longest_stall(samples, start, end), 2)
            slow["slowest_request_s"] = round(max((s.seconds for s in window), default=0), 2)
            slow["errors"] = sum(s.error for s in window)
        timeouts = proxy_timeouts()
        accounting = db.account(read_log(self.sink_log), self.gen.accepted)
        return {
            "size": self.args.size,
            "users": self.data["users"],
            "mentors": self.data["mentors"],
            "virtual_users": len(self.data["vus"]),
            "seeding": {
                "migrate_s": self.data["migrate_seconds"],
                "seed_s": self.data["seed_seconds"],
            },
            "requests_per_s": round(steady_done / steady_time, 1) if steady_time else None,
            "capacity_per_s": round(loadgen.rate(capacity, cap_start, cap_end), 1),
            "capacity": loadgen.as_dict(loadgen.summarize(capacity)),
            "classes": {
                k: loadgen.as_dict(v)
                for k, v in loadgen.by_class(
                    s for s in steady if s.page in loadgen.PAGES or s.page == loadgen.WRITE
                ).items()
            },
            "pages_without_writes": loadgen.as_dict(reads),
            "pages_with_writes": loadgen.as_dict(writes),
            "write_ratio": round(writes.p95 / reads.p95, 2) if reads.p95 else None,
            "accepts": len(self.gen.accepted),
            "accepts_in_write_windows": sum(
                1 for s in samples if s.phase == "writes" and s.page == loadgen.WRITE
            ),
            "kit_cpu_share": {k: round(v, 2) for k, v in self.cpu.items()},
            "load_average": [round(x, 2) for x in self.load_average],
            "cpus": os.cpu_count(),
            "errors": sum(s.error for s in samples),
            "faults": faults,
            "proxy_timeout_s": timeouts.get("client_body_timeout"),
            "drain": drained,
            "index_changes_logged": db.index_version(),
            "process_exits": [
                {"process": name, "status": status, "killed_by_the_kit": killed}
                for name, status, killed in self.processes.exits
            ],
            **accounting,
        }


def verdict(f: dict[str, Any]) -> list[tuple[str, bool]]:
    stall = f["faults"].get("slow-clients", {}).get("longest_stall_s")
    kills = f["faults"].get("task-worker", {}).get("kills", [])
    return [
        ("0 emails lost (every email not delivered says so in its row)", f["emails"]["lost"] == 0),
        ("0 emails duplicated", f["emails"]["duplicated"] == 0),
        ("0 tasks stranded", f["tasks"]["stranded"] == 0),
        ("the task worker was killed mid-batch", any(k["killed"] for k in kills)),
        (
            "no stall longer than the proxy's timeout under slow clients",
            stall is not None and stall < (f["proxy_timeout_s"] or 0),
        ),
        (
            f"page p95 with writes <= {RATIO_LIMIT} x without",
            f["write_ratio"] is not None and f["write_ratio"] <= RATIO_LIMIT,
        ),
        ("business rules held", not any(f["rules"].values())),
        (
            # Each of the kit's kills may leave the task it was running for the sweeper; a
            # worker that died by itself with a task in hand leaves one more.
            "no task was left RUNNING but by the kit's kills",
            len(f["tasks"].get("requeued", [])) <= sum(1 for k in kills if k["killed"]),
        ),
    ]


def report(f: dict[str, Any]) -> str:
    e, t = f["emails"], f["tasks"]
    lines = [
        f"Tandem load-and-fault kit ({f['size']}): {f['users']:,} users "
        f"({f['mentors']:,} mentors), {f['virtual_users']} virtual users through nginx; "
        f"migrate {f['seeding']['migrate_s']} s, seed {f['seeding']['seed_s']} s",
        "",
        f"requests/s: {f['requests_per_s']} under the steady mix; capacity "
        f"{f['capacity_per_s']} with no think time (p95 {f['capacity']['p95_ms']:.0f} ms)",
        "",
        "steady load, per page class (ms; errors = 5xx or no answer):",
        *loadgen.describe(
            {
                k: loadgen.Summary(
                    v["n"],
                    v["p50_ms"] / 1000,
                    v["p95_ms"] / 1000,
                    v["p99_ms"] / 1000,
                    v["errors"],
                    v["client_errors"],
                )
                for k, v in f["classes"].items()
            }
        ),
        "",
        f"write/no-write page p95 ratio: {f['write_ratio']} "
        f"({f['pages_with_writes']['p95_ms']:.0f} ms with {f['accepts_in_write_windows']} accepts "
        f"in the mix, "
        f"{f['pages_without_writes']['p95_ms']:.0f} ms without)",
        f"machine: {f['cpus']} CPUs, load average {f['load_average'][0]} when the load "
        f"started and {f['load_average'][-1]} when it stopped (other work on the machine "
        "slows every figure)",
        f"errors in the whole run: {f['errors']}; the kit itself used "
        f"{f['kit_cpu_share'].get('reads', 0):.2f} of a core under the steady mix and "
        f"{f['kit_cpu_share'].get('capacity', 0):.2f} at capacity",
        "",
        "faults:",
    ]
    for name, fault in f["faults"].items():
        fault = dict(fault)
        kills = fault.pop("kills", None)
        detail = ", ".join(f"{k} {v}" for k, v in fault.items())
        for kill in kills or []:
            p = kill["progress"]
            state = "killed" if kill["killed"] else "NOT killed (the moment never came)"
            detail += (
                f"; {state} {kill['when']} ({p['stamped']} reminders stamped, "
                f"{p['sent']} of their emails sent)"
            )
        lines.append(f"  {name}: {detail}")
    lines += [
        f"  (proxy timeout: client_body_timeout {f['proxy_timeout_s']} s)",
        "",
        f"emails: sent {e['sent']}, lost {e['lost']}, duplicated {e['duplicated']} "
        f"(outbox rows {e['rows']}; in flight at a kill {e['in_flight_at_a_kill']}: delivered "
        f"{e['in_flight_delivered']}, not delivered and marked so {e['in_flight_undelivered']}; "
        f"lost by status {e['lost_by_status']}; "
        f"reminders {e['reminders']}; accepts {e['accepts']})",
        f"tasks stranded: {t['stranded']} (rows by status {t['by_status']}; failed after "
        f"losing their workers: {t['worker_lost']}; requeued by the sweeper: "
        f"{', '.join(t.get('requeued', [])) or 'none'})",
        f"business rules: {f['rules']}",
        "processes that exited (each started again, as systemd does): "
        + (", ".join(_exit(x) for x in f["process_exits"]) or "none")
        + (
            " (a task worker whose connection is cut while it polls exits, by django-tasks'"
            " design; it held no task)"
            if not all(x["killed_by_the_kit"] for x in f["process_exits"])
            else ""
        ),
        f"drain: {f['drain']}; changes that reached the mentor index: {f['index_changes_logged']}",
        "",
    ]
    for what, ok in verdict(f):
        lines.append(f"{'PASS' if ok else 'FAIL'}  {what}")
    if f["load_average"] and f["load_average"][0] > (f["cpus"] or 1) / 2:
        lines.append(
            f"WARN  other work kept the machine busy (load average {f['load_average'][0]} on "
            f"{f['cpus']} CPUs before the kit's load began): latencies, capacity and the "
            "ratio measure the contention too; run it again on a quiet machine"
        )
    if e["in_flight_undelivered"]:
        lines.append(
            f"NOTE  {e['in_flight_undelivered']} email(s) were being sent when the worker was "
            "killed and never reached the server; at most once means they are not sent again: "
            "the row stays SENDING, then UNKNOWN, for an operator (see bench/README-load.md)"
        )
    return "\n".join(lines)


def _exit(x: dict[str, Any]) -> str:
    why = "killed by the kit" if x["killed_by_the_kit"] else f"exit status {x['status']}"
    return f"{x['process']} ({why})"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with Kit(args) as kit:
        data = kit.prepare()
        print(
            f"seeded {data['users']:,} users ({data['mentors']:,} mentors) in "
            f"{data['migrate_seconds']} s (migrate) + {data['seed_seconds']} s; starting the stack",
            flush=True,
        )
        kit.start_stack()
        print("stack up; load running", flush=True)
        kit.run()
        print("load done; draining", flush=True)
        drained = kit.drain()
        figures = kit.figures(drained)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    print(report(figures))
    return 0 if all(ok for _what, ok in verdict(figures)) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, Stop) as exc:
        print(f"stopped ({exc or 'Ctrl-C'}); everything the kit started was ended", file=sys.stderr)
        sys.exit(130)
