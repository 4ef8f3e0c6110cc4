"""Torch settings of every thread that runs a network: the intra-op thread count and flush-to-zero of
subnormal floats (both are CPU state of the calling thread), and the inter-op threads."""

from __future__ import annotations

import contextlib
import os
import threading

import torch
import torch._dynamo  # noqa: F401  torch.optim imports it on first use (~1.4 s): pay that at start-up instead

# One intra-op thread per run. The networks are small (at most 256 wide, batch at most 1024): a second
# thread speeds one default run by only a few percent (python -m benchmarks measures it), while a shared
# demo on 2 cores serves concurrent sessions best with each run on a core of its own. One thread also
# keeps a run's numbers bit-for-bit the same on machines with different core counts.
DEFAULT_THREADS = 1
# The intra-op thread count is OpenMP state of the calling thread: a count set in one thread (say a
# Streamlit script thread) leaves another (the main thread, the next script thread) at the default,
# and a different count gives different float sums. So every thread that runs a network sets it.
# Flush-to-zero: a vanishing signal falls below float32's smallest normal number (~1.2e-38), and on many
# Intel CPUs every operation on such a subnormal value takes ~100x longer (a depth-64 sigmoid net ran 14x
# slower per step there), which breaks the run bound's estimate. Flushed, those values become 0; the
# recorded norms are accumulated in float64 (instruments.py), so a norm reads 0 only when its entries do.
# The FTZ/DAZ bits are per-thread MXCSR state; threads created afterwards (OpenMP's) inherit them.
FLUSH_SUBNORMALS = True
_this_thread = threading.local()
_interop_set = False


def configure_threads() -> None:
    global _interop_set
    if getattr(_this_thread, "configured", False):
        return
    torch.set_flush_denormal(FLUSH_SUBNORMALS)
    torch.set_num_threads(int(os.environ.get("EXPLORER_TORCH_THREADS", DEFAULT_THREADS)))
    _this_thread.configured = True
    if not _interop_set:
        with contextlib.suppress(RuntimeError):  # settable only before any inter-op work; a host may have done some
            torch.set_num_interop_threads(1)
        _interop_set = True
