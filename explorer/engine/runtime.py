"""Torch settings: the intra-op thread count (set in every thread that runs a network) and inter-op threads."""

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
_this_thread = threading.local()
_interop_set = False


def configure_threads() -> None:
    global _interop_set
    if getattr(_this_thread, "configured", False):
        return
    torch.set_num_threads(int(os.environ.get("EXPLORER_TORCH_THREADS", DEFAULT_THREADS)))
    _this_thread.configured = True
    if not _interop_set:
        with contextlib.suppress(RuntimeError):  # settable only before any inter-op work; a host may have done some
            torch.set_num_interop_threads(1)
        _interop_set = True
