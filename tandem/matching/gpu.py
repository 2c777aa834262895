"""Scoring on a GPU with PyTorch (the `gpu` extra): the same pairs as NumPy, bit for bit.

The mentors' feature rows stay on the device; each chunk of mentees is one float32 matmul
there, and the selection (`select_top`, a step-for-step port of `kernel.select_top`) runs on
the device too, so only the kept entries cross to the host. The features are exact in
float32 (`scoring.MENTEE_GRID`): any summation order gives the same scores, as long as the
matmul really is float32. TF32 (10-bit mantissas) would not be, so it is switched off.

Used when PyTorch sees CUDA (`Kernel.device == "auto"`); the tests run the same code on CPU
tensors (`device="torch-cpu"`), which is how CI checks it without a GPU.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from tandem.matching.kernel import Selected, jitter, sample_plan
from tandem.matching.pairs import FloatArray, IntArray, slice_rows, tie_offset, top_per_row

EXTRA = 'pip install -e ".[gpu]"'


def torch_available() -> bool:
    """Whether PyTorch is installed (without importing it)."""
    return importlib.util.find_spec("torch") is not None


GPU_DEVICE_FILES = ("/proc/driver/nvidia/version", "/dev/nvidiactl", "/dev/kfd")
"""On Linux, a GPU driver leaves one of these (NVIDIA; AMD's ROCm, which PyTorch also calls
cuda). Without any, CUDA cannot be there and PyTorch (seconds to import) is not asked."""


def cuda_available() -> bool:
    """Whether PyTorch is installed and sees a CUDA device."""
    if not torch_available():
        return False
    if sys.platform == "linux" and not any(os.path.exists(f) for f in GPU_DEVICE_FILES):
        return False
    import torch

    return bool(torch.cuda.is_available())


def _torch_device(device: str) -> Any:
    if not torch_available():
        raise RuntimeError(f"scoring on {device} needs PyTorch: {EXTRA}")
    import torch

    if device == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("scoring on cuda needs a GPU that PyTorch can see")
        # Exact float32 products and sums; TF32 would round the features.
        torch.backends.cuda.matmul.allow_tf32 = False
        return torch.device("cuda")
    if device == "torch-cpu":
        return torch.device("cpu")
    raise ValueError(f"unknown device {device!r}")


class TorchScorer:
    """The mentors' rows on a PyTorch device, scoring chunks of mentees against them."""

    def __init__(self, mentor_features: FloatArray, inactive: IntArray, device: str) -> None:
        import torch

        self.torch = torch
        self.device = _torch_device(device)
        self.mentors_t = torch.from_numpy(np.ascontiguousarray(mentor_features)).to(self.device)
        self.inactive = torch.from_numpy(inactive).to(self.device)

    def scores(self, mentee_rows: FloatArray, inactive: bool) -> TorchScores:
        """One chunk's scores on the device (mentors who take nobody at -inf if asked)."""
        a = self.torch.from_numpy(np.ascontiguousarray(mentee_rows)).to(self.device)
        s = a @ self.mentors_t.T
        if inactive and self.inactive.numel():
            s[:, self.inactive] = -float("inf")
        return TorchScores(s)


@dataclass
class TorchScores:
    """A score block as a PyTorch tensor, kept on its device."""

    s: Any

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.s.shape[0]), int(self.s.shape[1])

    def select(self, k: int, ids: IntArray, minus: FloatArray | None = None) -> Selected:
        t = self.s
        if minus is not None:
            t = t - _tensor(minus, t)[None, :]
        return select_top(t, k, ids)

    def at(self, r: IntArray, c: IntArray) -> FloatArray:
        values = self.s[_tensor(r, self.s), _tensor(c, self.s)]
        return np.asarray(values.cpu().numpy(), dtype=np.float32)

    def rows(self, which: IntArray) -> FloatArray:
        return np.asarray(self.s[_tensor(which, self.s)].cpu().numpy(), dtype=np.float32)


def _tensor(a: Any, like: Any) -> Any:
    import torch

    return torch.from_numpy(np.ascontiguousarray(a)).to(like.device)


def select_top(t: Any, k: int, ids: IntArray) -> Selected:
    """`kernel.select_top` on a tensor: the same threshold, the same exact route, the same
    jittered keys; the entries found come to the host and `top_per_row` orders them there.

    Only the set of entries matters to `top_per_row`, so PyTorch's own orders (`nonzero`,
    `topk`) cannot change the result.
    """
    import torch

    n_rows, m = int(t.shape[0]), int(t.shape[1])
    if m <= 4 * k:
        nz = torch.nonzero(torch.isfinite(t))
        r, c = nz[:, 0], nz[:, 1]
        return _top(r, c, t[r, c], n_rows, k, m, ids)
    step, q = sample_plan(m, k)
    sample = t[:, ::step]
    # The q-th largest sampled value per row: the value np.partition puts at position -q.
    tau = torch.topk(sample, q, dim=1, sorted=True).values[:, q - 1]
    above = t >= tau[:, None]
    counts = above.sum(dim=1)
    exact_mask = (counts < k) | (counts > 16 * k + 64)
    above[exact_mask] = False
    nz = torch.nonzero(above)
    del above
    rs, cs = [nz[:, 0]], [nz[:, 1]]
    exact = torch.nonzero(exact_mask).flatten()
    if exact.numel():
        cols = torch.arange(m, device=t.device, dtype=torch.int64)
        offsets = torch.from_numpy(tie_offset(ids, m)).to(t.device)
        step_rows = slice_rows(m)
        for at in range(0, int(exact.numel()), step_rows):
            some = exact[at : at + step_rows]
            rot = (cols[None, :] + offsets[some][:, None]) % m
            key = t[some].to(torch.float64) - rot.to(torch.float64) * jitter(m)
            del rot
            rs.append(some.repeat_interleave(k))
            cs.append(torch.topk(key, k, dim=1, sorted=False).indices.flatten())
    r, c = torch.cat(rs), torch.cat(cs)
    return _top(r, c, t[r, c], n_rows, k, m, ids)


def _top(r: Any, c: Any, v: Any, n_rows: int, k: int, m: int, ids: IntArray) -> Selected:
    rh = r.cpu().numpy().astype(np.int64)
    ch = c.cpu().numpy().astype(np.int64)
    vh = np.asarray(v.cpu().numpy(), dtype=np.float32)
    r_top, c_top, v_top, kth, _ = top_per_row(rh, ch, vh, n_rows, k, m, ids)
    return r_top, c_top, v_top, kth
