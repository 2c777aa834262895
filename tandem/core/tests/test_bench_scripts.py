"""The benchmarks of `make bench` still run, at small sizes, through the command line they
are run with. They measure and print; nothing here looks at a time. This only catches a
benchmark that a change in the app left behind (bench_programs once stopped at its first
line when creating a programme became a granted right, and nobody saw it until the next
`make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

SMOKE = {
    "bench_programs.py": ["300"],
    "bench_people_import.py": ["300"],
}


@pytest.mark.parametrize(("script", "args"), SMOKE.items(), ids=list(SMOKE))
def test_a_benchmark_runs_at_a_small_size(script: str, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
