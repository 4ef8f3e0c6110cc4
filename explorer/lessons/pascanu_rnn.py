"""The tanh RNN of the Pascanu, Mikolov & Bengio (2013) preset: an orthogonal recurrent matrix scaled to a
chosen spectral norm, and ||dL/dh_t|| at every time step for a loss on the last state (float64)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from explorer.engine import runtime

PASCANU = {"hidden": 32, "inputs": 4, "length": 60, "batch": 16, "lambda1": 0.9, "lambda_contrast": 2.0}


def rnn_setup(spectral_norm: float, seed: int = 0) -> tuple[nn.RNN, torch.Tensor, torch.Tensor]:
    """A tanh nn.RNN whose recurrent matrix is orthogonal times `spectral_norm` (every singular value equal
    to it, so the bound is as tight as it gets), random inputs (length, batch, inputs) and a readout."""
    runtime.configure_threads()
    hidden, inputs, length, batch = (int(PASCANU[k]) for k in ("hidden", "inputs", "length", "batch"))
    generator = torch.Generator().manual_seed(seed)
    rnn = nn.RNN(inputs, hidden, nonlinearity="tanh").double()
    with torch.no_grad():
        recurrent, _ = torch.linalg.qr(torch.randn(hidden, hidden, generator=generator, dtype=torch.float64))
        rnn.weight_hh_l0.copy_(spectral_norm * recurrent)
        rnn.weight_ih_l0.copy_(torch.randn(hidden, inputs, generator=generator, dtype=torch.float64) / inputs**0.5)
        rnn.bias_ih_l0.zero_()
        rnn.bias_hh_l0.zero_()
    x = torch.randn(length, batch, inputs, generator=generator, dtype=torch.float64)
    readout = torch.randn(hidden, generator=generator, dtype=torch.float64)
    return rnn, x, readout


def rnn_state_gradients(spectral_norm: float, *, seed: int = 0) -> np.ndarray:
    """||dL/dh_t|| for t = 0..T-1 of `rnn_setup`'s RNN, for a loss on the last state only: the gradient
    at every earlier h_t is all carried back through the recurrence."""
    rnn, x, readout = rnn_setup(spectral_norm, seed)
    state = torch.zeros(1, x.shape[1], rnn.hidden_size, dtype=torch.float64)
    states = []
    for t in range(x.shape[0]):  # one step per call, so every h_t is a tensor autograd can report on
        _, state = rnn(x[t : t + 1], state)
        state.retain_grad()
        states.append(state)
    rnn_loss(state, readout).backward()
    return np.array([s.grad.norm().item() for s in states])


def rnn_loss(last_state: torch.Tensor, readout: torch.Tensor) -> torch.Tensor:
    return (last_state @ readout).pow(2).mean()
