"""Per-layer instruments attached from outside the model: forward hooks keep each layer's z_l and h_l,
autograd fills z_l.grad (retain_grad), and foreach norms reduce everything in a few calls per step.

Layer l = 1..depth are the hidden blocks (z_l = input of the activation, after the norm); layer
depth+1 is the output layer, whose z is the logits (the softmax lives inside the loss).

Norms are accumulated in float64 (NORM_DTYPE): in float32 the squares of entries below ~1e-19 underflow
to 0, so a depth-40 sigmoid net's layer-1 signal read 0 while its entries were ~6e-29. In float64 a norm
reads 0 only when its float32 entries are 0 (flushed below ~1.2e-38, see runtime.py).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from explorer.engine import activations, histograms
from explorer.engine.model import MLP

NORM_DTYPE = torch.float64


def norms(tensors: list[torch.Tensor]) -> list[float]:
    """||t||_2 of each tensor, squares summed in float64 (one foreach call)."""
    return torch.stack(torch._foreach_norm(tensors, 2, NORM_DTYPE)).tolist()


class LayerProbe:
    """Hooks attach for a recorded forward pass only (start() ... the output layer's hook), so the steps
    that are not recorded run the model's plain call path."""

    def __init__(self, model: MLP, activation: str):
        self.activation = activation
        self.model = model
        self.z: list[torch.Tensor] = []
        self.h: list[torch.Tensor] = []
        self.weights = [block.linear.weight for block in model.hidden] + [model.output.weight]
        self._handles: list = []
        self._stacks: tuple[torch.Tensor, torch.Tensor] | None = None
        self._offset_cache: dict[tuple[int, ...], torch.Tensor] = {}

    def _keep_hidden(self, module, inputs, output) -> None:
        self._keep(inputs[0], output)

    def _keep_output(self, module, inputs, logits) -> None:
        self._keep(logits, logits)
        self.remove()  # the last module of the forward pass: the next steps run without hooks

    def _keep(self, z: torch.Tensor, h: torch.Tensor) -> None:
        if z.requires_grad:
            z.retain_grad()
        self.z.append(z)
        self.h.append(h)

    def start(self) -> None:
        """Record the next forward pass."""
        self.remove()
        self.z, self.h, self._stacks = [], [], None
        self._handles = [block.act.register_forward_hook(self._keep_hidden) for block in self.model.hidden]
        self._handles.append(self.model.output.register_forward_hook(self._keep_output))

    def forward_stats(self) -> tuple[list[float], list[float]]:
        """act_std and saturation per layer of the recorded forward pass."""
        hidden_z, hidden_h = self._stacked()
        with torch.no_grad():
            act_std = _std_rows(hidden_h.flatten(1)).tolist() + [_std_rows(self.h[-1].reshape(1, -1)).item()]
            saturation = activations.saturated_fraction(self.activation, hidden_z).tolist() + [math.nan]
        return act_std, saturation

    def _stacked(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The hidden layers' z and h of the recorded pass as (layers, batch, width) stacks, made once per pass
        (every hidden layer has the same shape)."""
        if self._stacks is None:
            with torch.no_grad():
                self._stacks = (torch.stack(self.z[:-1]), torch.stack(self.h[:-1]))
        return self._stacks

    def backward_stats(self) -> tuple[list[float], list[float]]:
        """signal_norm = ||dL/dz_l|| and grad_norm = ||dL/dW_l|| per layer, after backward()."""
        signal_norm, grad_norm, _ = self.backward_and_weight_norms()
        return signal_norm, grad_norm

    def backward_and_weight_norms(self) -> tuple[list[float], list[float], list[float]]:
        """signal_norm, grad_norm and ||W_l|| per layer in one foreach call (after backward())."""
        signals = [z.grad if z.grad is not None else torch.full((), math.nan) for z in self.z]
        with torch.no_grad():
            every = norms(signals + [w.grad for w in self.weights] + [w.detach() for w in self.weights])
        n = len(self.weights)
        return every[:n], every[n : 2 * n], every[2 * n :]

    def histograms(self) -> list[tuple[str, np.ndarray]]:
        """(quantity, counts of shape (layers, bins)) of the recorded pass's hidden layers: z, activation,
        signal dL/dz, and the weight gradient dL/dW (after backward())."""
        depth = len(self.z) - 1
        hidden_z, hidden_h = self._stacked()
        per_layer = self._offsets([hidden_z[0].numel()] * depth)
        grads = [w.grad for w in self.weights[:-1]]
        signal_list = [t.grad for t in self.z[:-1]]
        with torch.no_grad():
            found = [
                ("z", histograms.counts(hidden_z.flatten(), per_layer, depth, "z", self.activation)),
                ("activation", histograms.counts(hidden_h.flatten(), per_layer, depth, "activation", self.activation)),
            ]
            if all(g is not None for g in signal_list):
                signals = torch.stack(signal_list).flatten()
                found.append(("signal", histograms.counts(signals, per_layer, depth, "signal", self.activation)))
            if all(g is not None for g in grads):
                owners = self._offsets([g.numel() for g in grads])
                flat = torch.cat([g.flatten() for g in grads])
                found.append(("weight_grad", histograms.counts(flat, owners, depth, "weight_grad", self.activation)))
        return [(quantity, table.numpy()) for quantity, table in found]

    def _offsets(self, sizes: list[int]) -> torch.Tensor:
        """histograms.layer_offsets of these layer sizes, made once per run."""
        key = tuple(sizes)
        if key not in self._offset_cache:
            self._offset_cache[key] = histograms.layer_offsets(sizes, histograms.N_BINS)
        return self._offset_cache[key]

    def snapshot_weights(self) -> list[torch.Tensor]:
        with torch.no_grad():
            return list(torch._foreach_mul([w.detach() for w in self.weights], 1.0))  # copies, in one call

    def update_norms(self, before: list[torch.Tensor]) -> list[float]:
        """||W_after - W_before|| per layer for the update just applied."""
        with torch.no_grad():
            deltas = torch._foreach_sub([w.detach() for w in self.weights], before)
            return norms(deltas)

    def weight_norms(self) -> list[float]:
        with torch.no_grad():
            return norms([w.detach() for w in self.weights])

    def remove(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []


def _std_rows(rows: torch.Tensor) -> torch.Tensor:
    """Population std of each row, two-pass: stable, and ~10x faster than Tensor.std on CPU here."""
    centred = rows - rows.mean(dim=1, keepdim=True)
    return centred.pow_(2).mean(dim=1).sqrt_()
