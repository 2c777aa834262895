"""The real stack for the load kit, on loopback: a PostgreSQL database of its own, gunicorn
with deploy/gunicorn.conf.py (4 sync workers), nginx with deploy/nginx/tandem-proxy.conf in
front, the two task workers and the scheduler, all started here and all ended by `close()`
(each process runs in a session of its own, so ending it ends its children too)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
PREFIX = "tandem_loadkit_"
"""Every kit database is named this plus the kit's process id."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nginx_binary() -> str:
    """Debian's nginx: $NGINX, else on the PATH, else /usr/sbin/nginx."""
    found = (
        os.environ.get("NGINX")
        or shutil.which("nginx")
        or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    )
    if not found or not Path(found).exists():
        raise SystemExit(
            "nginx is not installed (apt-get install -y nginx-light), or set NGINX=/path/to/nginx"
        )
    return found


def proxy_timeouts() -> dict[str, float]:
    """nginx's timeouts (seconds) as deploy/nginx/tandem-proxy.conf sets them."""
    out: dict[str, float] = {}
    for line in (DEPLOY / "nginx" / "tandem-proxy.conf").read_text().splitlines():
        words = line.split("#", 1)[0].replace(";", " ").split()
        if len(words) == 2 and words[0].endswith("_timeout") and words[1].endswith("s"):
            out[words[0]] = float(words[1][:-1])
    return out


def nginx_config(workdir: Path, app_port: int, proxy_port: int) -> Path:
    """An unprivileged nginx around the repository's proxy settings (as in test_deploy)."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / name).mkdir(exist_ok=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    path = workdir / "nginx.conf"
    path.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    upstream tandem_app {{ server 127.0.0.1:{app_port} fail_timeout=0; keepalive 8; }}
    server {{
        listen 127.0.0.1:{proxy_port};
        include {DEPLOY}/nginx/tandem-proxy.conf;
    }}
}}
"""
    )
    return path


class Database:
    """A PostgreSQL database of the kit's own, created and dropped here (never the dev one).
    Databases left by kits that died without cleaning up (their process is gone) are
    dropped first."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url.rstrip("/")
        self.name = f"{PREFIX}{os.getpid()}"
        base, _sep, _db = self.admin_url.rpartition("/")
        self.url = f"{base}/{self.name}"

    def _admin(self) -> object:
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5)

    def create(self) -> None:
        with self._admin() as conn:  # type: ignore[attr-defined]
            names = [r[0] for r in conn.execute("SELECT datname FROM pg_database")]
            for name in names:
                pid = name.removeprefix(PREFIX)
                if name.startswith(PREFIX) and pid.isdigit() and not _alive(int(pid)):
                    self._drop(conn, name)
            self._drop(conn, self.name)
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with self._admin() as conn:  # type: ignore[attr-defined]
            self._drop(conn, self.name)

    @staticmethod
    def _drop(conn: object, name: str) -> None:
        execute = conn.execute  # type: ignore[attr-defined]
        execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        execute(f'DROP DATABASE IF EXISTS "{name}"')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Processes:
    """Every process the kit starts. Each runs in a session of its own, so that Ctrl-C in the
    terminal reaches only the kit, which then ends them all, children included.

    Those started with `restart=True` are supervised as systemd's `Restart=always` does in
    deploy/systemd: one that exits is started again `RESTART_AFTER` seconds later, and every
    exit is recorded (`exits`: name, exit status, whether the kit killed it)."""

    RESTART_AFTER = 1.0

    def __init__(self, logdir: Path, env: dict[str, str]) -> None:
        self.logdir, self.env = logdir, env
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.argv: dict[str, list[str]] = {}
        self.supervised: set[str] = set()
        self.killed: set[int] = set()
        self.exits: list[tuple[str, int, bool]] = []
        self._logs: list[IO[bytes]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()

    def _supervise(self) -> None:
        while not self._closing.wait(0.2):
            with self._lock:
                dead = [
                    (name, proc)
                    for name, proc in self.procs.items()
                    if name in self.supervised and proc.poll() is not None
                ]
            for name, proc in dead:
                with self._lock:
                    if self.procs.get(name) is not proc or self._closing.is_set():
                        continue
                    self.exits.append((name, proc.returncode, proc.pid in self.killed))
                    del self.procs[name]
                if self._closing.wait(self.RESTART_AFTER):
                    return
                with self._lock:
                    if name not in self.procs and not self._closing.is_set():
                        self._spawn(name, self.argv[name])

    def start(
        self, name: str, argv: Sequence[str], *, restart: bool = False
    ) -> subprocess.Popen[bytes]:
        with self._lock:
            self.argv[name] = list(argv)
            if restart:
                self.supervised.add(name)
            return self._spawn(name, list(argv))

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        log = (self.logdir / f"{name}.log").open("ab")
        self._logs.append(log)
        proc = subprocess.Popen(
            list(argv),
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def tandem(self, name: str, *args: str, restart: bool = False) -> subprocess.Popen[bytes]:
        return self.start(name, [sys.executable, "-m", "tandem", *args], restart=restart)

    def kill(self, name: str) -> int:
        """SIGKILL the process and its group at once (a crash); its pid. A supervised one is
        started again by the supervisor, as systemd would."""
        with self._lock:
            proc = self.procs[name]
            self.killed.add(proc.pid)
        _signal_group(proc, signal.SIGKILL)
        proc.wait()
        return proc.pid

    def wait_running(self, name: str, timeout: float = 30) -> bool:
        """Wait until a supervised process runs again; whether it does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                proc = self.procs.get(name)
                if proc is not None and proc.poll() is None:
                    return True
            time.sleep(0.1)
        return False

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
        with self._lock:
            self.supervised.discard(name)
            proc = self.procs.pop(name, None)
        if proc is None:
            return
        if proc.poll() is None:
            _signal_group(proc, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout)
        _signal_group(proc, signal.SIGKILL)  # whatever of its group is left
        if proc.poll() is None:
            proc.wait()

    def close(self) -> None:
        self._closing.set()
        self._supervisor.join(5)
        for name in reversed(list(self.procs)):
            self.stop(name, signal.SIGINT if name == "gunicorn" else signal.SIGTERM)
        for log in self._logs:
            log.close()


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def children(pid: int) -> list[int]:
    """The process ids whose parent is `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def wait_for_http(port: int, proc: subprocess.Popen[bytes], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} (see its log)")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer on port {port} within {timeout} s")
