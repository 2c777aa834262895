"""The PyTorch scoring path on CPU tensors: the same selections and assignments as NumPy.

On a machine with CUDA the same code runs on the GPU (`device="auto"`); CI has no GPU, so it
runs here on CPU tensors, which share every step but the device the tensors live on.
"""

from __future__ import annotations

import numpy as np
import pytest

from tandem.matching.tests.helpers import assert_same, require

require("torch")

import torch  # noqa: E402

from tandem.matching import gpu  # noqa: E402
from tandem.matching.assign import assign  # noqa: E402
from tandem.matching.candidates import IndexSource  # noqa: E402
from tandem.matching.kernel import Kernel, select_top  # noqa: E402
from tandem.matching.scoring import build_index  # noqa: E402
from tandem.matching.synthetic import cohort  # noqa: E402
from tandem.matching.types import Person  # noqa: E402


def _blocks() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    grid = (rng.integers(0, 4096, size=(40, 700)) / 4096).astype(np.float32)
    ties = np.repeat((rng.integers(0, 3, size=(40, 1)) / 4).astype(np.float32), 700, axis=1)
    few = grid.copy()
    few[:, 5:] = -np.inf  # fewer finite entries than k: the exact route
    mixed = grid.copy()
    mixed[::3] = ties[::3]  # some rows all tied, some not
    narrow = grid[:, :30]  # m <= 4k: every finite entry
    return [grid, ties, few, mixed, narrow]


@pytest.mark.parametrize("k", [1, 8, 50])
@pytest.mark.parametrize("which", range(5))
def test_torch_selection_is_numpys_selection(which: int, k: int) -> None:
    s = _blocks()[which]
    ids = np.arange(100, 100 + s.shape[0], dtype=np.int64)
    r1, c1, v1, kth1 = select_top(s, k, ids)
    r2, c2, v2, kth2 = gpu.select_top(torch.from_numpy(s), k, ids)
    finite = np.isfinite(v1)
    assert np.array_equal(np.isfinite(v2), finite)  # -inf entries may differ, never count
    assert np.array_equal(r1[finite], r2[finite])
    assert np.array_equal(c1[finite], c2[finite])
    assert v1[finite].tobytes() == v2[finite].tobytes()
    assert kth1.tobytes() == kth2.tobytes()


@pytest.mark.parametrize(
    ("n", "m", "objective", "k", "pool", "min_score"),
    [
        (600, 180, "coverage", 20, 128, 0.0),
        (400, 120, "score", 2, 4, 0.3),
        (300, 90, "coverage", 1, 1, 0.0),
    ],
)
def test_scoring_on_torch_tensors_gives_the_same_certified_assignment(
    n: int, m: int, objective: str, k: int, pool: int, min_score: float
) -> None:
    mentees, mentors = cohort(n, m, capacity=3, seed=n)
    index = build_index(mentees, mentors, text_dim=64)
    cap = np.array([p.free_slots for p in mentors], dtype=np.int64)
    kw = {"objective": objective, "k": k, "pool": pool, "min_score": min_score}
    numpy_result = assign(IndexSource(index, chunk=64, device="numpy"), cap, **kw)
    torch_result = assign(IndexSource(index, chunk=64, device="torch-cpu"), cap, **kw)
    assert_same(numpy_result, torch_result)
    assert numpy_result.certificate.rows_scanned > 0 or k == 20


def test_paused_mentors_and_look_alikes_on_torch() -> None:
    goals = ["lead a team", "move into product"]
    mentors = [
        Person(
            id=f"m{k}",
            languages=frozenset({"en"}),
            goals=goals[k % 2],
            capacity=2,
            paused=k % 7 == 0,
        )
        for k in range(120)
    ]
    mentees = [
        Person(id=f"e{k}", languages=frozenset({"en"}), goals=goals[k % 2]) for k in range(200)
    ]
    index = build_index(mentees, mentors)
    cap = np.array([p.free_slots for p in mentors], dtype=np.int64)
    here = assign(IndexSource(index, chunk=48, device="numpy"), cap, k=5, q=5, pool=5)
    there = assign(IndexSource(index, chunk=48, device="torch-cpu"), cap, k=5, q=5, pool=5)
    assert_same(here, there)
    assert not set(there.pairs.j.tolist()) & {k for k in range(120) if k % 7 == 0}


def test_auto_uses_the_gpu_exactly_when_pytorch_sees_one(monkeypatch: pytest.MonkeyPatch) -> None:
    mentees, mentors = cohort(20, 6, capacity=2, seed=1)
    index = build_index(mentees, mentors, text_dim=16)

    def kernel() -> Kernel:
        return Kernel(index.mentee_features, index.mentor_features, index.rules)

    monkeypatch.setattr(gpu, "cuda_available", lambda: False)
    assert kernel().resolved_device() == "numpy"
    monkeypatch.setattr(gpu, "cuda_available", lambda: True)
    assert kernel().resolved_device() == "cuda"
