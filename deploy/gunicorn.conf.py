"""gunicorn settings for Tandem behind nginx: `gunicorn -c deploy/gunicorn.conf.py tandem.wsgi`.

nginx (deploy/nginx/) buffers each request and response whole, so a slow client never
holds one of these sync workers; the workers only ever talk to nginx over loopback or a
unix socket. Every value can be changed by the environment variable named beside it."""

from __future__ import annotations

import os
from typing import Any

# Loopback only: nginx is the one thing that talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "sync"
# A request nginx has passed on is answered within this, or the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 2

# Load Django and warm it once in the master; workers fork from the warm copy, so a
# replacement worker answers its first request at once.
preload_app = True
# Replace each worker after about this many requests (jittered so they never all restart
# together): bounds any slow leak without a visible pause.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
proxy_allow_ips = "127.0.0.1"


def when_ready(server: Any) -> None:
    """In the master, after the app is loaded and before any worker forks. The warm-up
    closes its database connections, so no worker inherits (and shares) one."""
    from tandem.core.warmup import warm_up

    try:
        warmed = warm_up()
    except Exception:  # a cold start is slower, not broken: serve anyway
        server.log.exception("Tandem warm-up failed; workers start cold")
        return
    server.log.info("Tandem warmed up: %s", ", ".join(f"{k}={v}" for k, v in warmed.items()))
