"""Test helpers: the optional extras (skip loudly without them, fail where CI requires
them), and what "the same assignment" means.

CI installs the `distributed` and `s3` extras, moto and PyTorch (CPU build) with the test extra, and
.ci/run sets TANDEM_REQUIRE_EXTRAS=1: there a missing one is a failure, never a silent skip.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import numpy as np
import pytest

from tandem.matching.assign import Assignment

INSTALL = {
    "distributed": 'pip install -e ".[distributed]"',
    "torch": 'pip install -e ".[test]" (PyTorch, CPU build) or ".[gpu]"',
    "storages": 'pip install -e ".[s3]" (or ".[test]")',
    "moto": 'pip install -e ".[test]" (the S3 server of the attachments tests)',
}


def require(module: str) -> None:
    """Skip the calling test module without `module`, or fail when extras are required."""
    if importlib.util.find_spec(module) is not None:
        return
    message = f"{module} is not installed: {INSTALL[module]}"
    sys.stderr.write(f"\n!! SKIPPED: {message}\n")
    if os.environ.get("TANDEM_REQUIRE_EXTRAS") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


def assert_same(a: Assignment, b: Assignment) -> None:
    """Same pairs in the same order with the same float32 scores, same certificate, gap 0."""
    assert np.array_equal(a.pairs.i, b.pairs.i)
    assert np.array_equal(a.pairs.j, b.pairs.j)
    assert a.pairs.score.dtype == b.pairs.score.dtype == np.float32
    assert a.pairs.score.tobytes() == b.pairs.score.tobytes()
    assert a.total_score == b.total_score
    assert a.certificate == b.certificate
    assert a.certificate.gap == 0
