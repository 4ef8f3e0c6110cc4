"""Process-wide torch settings, applied once before the first tensor operation."""

from __future__ import annotations

import contextlib
import os

import torch
import torch._dynamo  # noqa: F401  torch.optim imports it on first use (~1.4 s): pay that at start-up instead

# One intra-op thread per run. The networks are small (at most 256 wide, batch at most 1024): a second
# thread speeds one default run by only a few percent (python -m benchmarks measures it), while a shared
# demo on 2 cores serves concurrent sessions best with each run on a core of its own. One thread also
# keeps a run's numbers bit-for-bit the same on machines with different core counts.
DEFAULT_THREADS = 1
_configured = False


def configure_threads() -> None:
    global _configured
    if _configured:
        return
    threads = int(os.environ.get("EXPLORER_TORCH_THREADS", DEFAULT_THREADS))
    torch.set_num_threads(threads)
    with contextlib.suppress(RuntimeError):  # settable only before any inter-op work; a host may have done some
        torch.set_num_interop_threads(1)
    _configured = True
