"""Per-layer instruments: a recorded step runs the model's traced forward pass (MLP.traced: the same
operations as model(x)) to keep each layer's z_l and h_l, autograd fills z_l.grad (retain_grad), and a few
stacked reductions measure everything. The training path never reads what they keep.

Layer l = 1..depth are the hidden blocks (z_l = input of the activation, after the norm); layer
depth+1 is the output layer, whose z is the logits (the softmax lives inside the loss).

Norms are accumulated in float64 (NORM_DTYPE): in float32 the squares of entries below ~1e-19 underflow
to 0, so a depth-40 sigmoid net's layer-1 signal read 0 while its entries were ~6e-29. In float64 a norm
reads 0 only when its float32 entries are 0 (flushed below ~1.2e-38, see runtime.py).

Speed: a recorded step is about half of all steps, so its cost is most of a run's overhead. The hidden
layers' z and h are stacked once and reduced in one call each (a row of a stack is reduced exactly as the
tensor alone: the same sums, bit for bit); the norms are foreach calls over the tensors as they are; the
results stay tensors until the run ends.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from explorer.engine import activations, histograms
from explorer.engine.histograms import N_BINS
from explorer.engine.model import MLP

NORM_DTYPE = torch.float64
# The kinds of norm `LayerProbe.norms` measures, each a row of layers 1..depth+1.
NORM_KINDS = ("signal_norm", "grad_norm", "weight_norm", "update_norm")


def norms(tensors: list[torch.Tensor]) -> list[float]:
    """||t||_2 of each tensor, squares summed in float64 (one foreach call)."""
    return torch.stack(torch._foreach_norm(tensors, 2, NORM_DTYPE)).tolist()


class LayerProbe:
    """Measures the recorded steps of one run. `forward(x)` is such a step's forward pass; after backward(),
    `forward_stats`, `histograms`, `snapshot_weights` (before the update) and then `norms()` (after it)."""

    def __init__(self, model: MLP, activation: str):
        self.activation = activation
        self.model = model
        self.z: list[torch.Tensor] = []
        self.h: list[torch.Tensor] = []
        self.weights = [block.linear.weight for block in model.hidden] + [model.output.weight]
        self._stacks: tuple[torch.Tensor, torch.Tensor] | None = None
        self._offset_cache: dict[tuple[int, ...] | None, torch.Tensor] = {}
        # views of the weights (the optimizer updates them in place), and the weights as they were before a
        # recorded step's update, copied into these at each snapshot
        self._now = [w.detach() for w in self.weights]
        self._before = [w.clone() for w in self._now]
        self._nan = torch.full((1,), math.nan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The recorded forward pass: the logits of model(x), keeping z_l and h_l (the logits for both at
        the output layer) and retaining each z_l's gradient."""
        logits, self.z, self.h = self.model.traced(x)
        self.z.append(logits)
        self.h.append(logits)
        for z in self.z:
            if z.requires_grad:
                z.retain_grad()
        self._stacks = None
        return logits

    def forward_stats(self) -> torch.Tensor:
        """act_std of layers 1..depth+1, then saturation of the same layers (NaN at the output layer), float32."""
        hidden_z, hidden_h = self._stacked()
        with torch.no_grad():
            saturation = activations.saturated_fraction(self.activation, hidden_z)
            return torch.cat(
                [_std_rows(hidden_h.flatten(1)), _std_rows(self.h[-1].reshape(1, -1)), saturation, self._nan]
            )

    def _stacked(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The hidden layers' z and h of the recorded pass as (layers, batch, width) stacks, made once per pass
        (every hidden layer has the same shape)."""
        if self._stacks is None:
            depth = len(self.z) - 1
            with torch.no_grad():
                both = torch.stack(self.z[:-1] + self.h[:-1])  # one copy of both
            self._stacks = (both[:depth], both[depth:])
        return self._stacks

    def _signal_list(self) -> list[torch.Tensor]:
        """dL/dz_l of each layer after backward() (NaNs where autograd left none)."""
        return [z.grad if z.grad is not None else torch.full_like(z, math.nan) for z in self.z]

    def snapshot_weights(self) -> None:
        """Copy the weights before the update."""
        with torch.no_grad():
            torch._foreach_copy_(self._before, self._now)

    def norms(self) -> torch.Tensor:
        """Float64 rows NORM_KINDS x layers 1..depth+1, flat: ||dL/dz_l||, ||dL/dW_l||, ||W_l|| (from the
        snapshot taken before the update) and ||W_after - W_before|| (0 if no update was applied). Taken after
        optimizer.step(): the optimizers here read the gradients and leave them as backward() made them.
        Each a foreach norm of the tensors as they are: stacking them first (one reduction over rows) cost a
        copy of every weight, and at width 256 the rows' float64 reduction was 5x slower than the foreach."""
        grads = [w.grad if w.grad is not None else torch.full_like(w, math.nan) for w in self.weights]
        with torch.no_grad():
            found = [
                torch._foreach_norm(tensors, 2, NORM_DTYPE) for tensors in (self._signal_list(), grads, self._before)
            ]
            torch._foreach_sub_(self._before, self._now)  # -(the update): the same norm
            found.append(torch._foreach_norm(self._before, 2, NORM_DTYPE))
            return torch.stack([norm for kind in found for norm in kind])

    def histograms(self) -> list[tuple[str, np.ndarray]]:
        """(quantity, counts of shape (layers, bins)) of the recorded pass's hidden layers: z, activation,
        signal dL/dz, and the weight gradient dL/dW (after backward())."""
        depth = len(self.z) - 1
        hidden_z, hidden_h = self._stacked()
        rows = self._offsets(depth, None)
        grads = [w.grad for w in self.weights[:-1]]
        with torch.no_grad():
            found = [
                ("z", histograms.counts(hidden_z.view(depth, -1), rows, depth, "z", self.activation)),
                ("activation", histograms.counts(hidden_h.view(depth, -1), rows, depth, "activation", self.activation)),
            ]
            if all(z.grad is not None for z in self.z[:-1]):
                signals = torch.stack([z.grad.reshape(-1) for z in self.z[:-1]])
                found.append(("signal", histograms.counts(signals, rows, depth, "signal", self.activation)))
            if all(g is not None for g in grads):
                owners = self._offsets(depth, tuple(g.numel() for g in grads))
                flat = torch.cat([g.flatten() for g in grads])
                found.append(("weight_grad", histograms.counts(flat, owners, depth, "weight_grad", self.activation)))
        return [(quantity, table.numpy()) for quantity, table in found]

    def _offsets(self, depth: int, sizes: tuple[int, ...] | None) -> torch.Tensor:
        """histograms.row_offsets of the hidden layers, or layer_offsets of layers of these sizes: made once."""
        if sizes not in self._offset_cache:
            rows = sizes is None
            made = histograms.row_offsets(depth, N_BINS) if rows else histograms.layer_offsets(list(sizes), N_BINS)
            self._offset_cache[sizes] = made
        return self._offset_cache[sizes]


def _std_rows(rows: torch.Tensor) -> torch.Tensor:
    """Population std of each row, two-pass: stable, and ~10x faster than Tensor.std on CPU here. The squared
    deviations come from mse_loss in one pass: its (a - b) * (a - b) are the floats of (a - b).pow(2)."""
    mean = rows.mean(dim=1, keepdim=True)
    return F.mse_loss(rows, mean.expand_as(rows), reduction="none").mean(dim=1).sqrt_()
