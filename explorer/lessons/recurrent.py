"""RNN vs LSTM through time: a recall-the-first-token task learned by nn.RNN (tanh) or nn.LSTM, with ‖∂L/∂h_t‖
measured by autograd at every time step t and the recurrent matrix's largest singular value λ₁ over training.

The task: `seq_len` random symbols, the first one marked; after the last, name the first. Only the hidden
state can carry it there, so learning it needs the gradient of the loss to reach t = 1.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from explorer.engine import query, runtime, train
from explorer.engine.config import bound_problem

CELLS = ("rnn", "lstm")
FORGET_BIASES = (0.0, 1.0, 3.0)  # the LSTMs the page always compares
N_SYMBOLS = 4  # what has to be recalled: chance is 1/4
N_INPUTS = N_SYMBOLS + 1  # the one-hot symbol and a "remember this one" marker
INPUT_STD = 0.5  # input weights: one-hot inputs pick one column, so this is the drive's std per unit
BATCH = 32
EVAL_SIZE = 512  # a fixed held-out set, so the accuracy curve has no batch noise
MAX_RECORDED = 100
UNROLL_BUDGET = 4000  # time steps unrolled for measurement per run: fewer recorded steps for long sequences
# Measured on the demo machine: 2.56e6 work units (seq_len × steps × hidden) take ~4 s for either cell.
SECONDS_PER_WORK_UNIT = 4.0 / 2.56e6
TIME_GRAD_COLUMNS = ["step", "t", "grad_norm"]
HELD_OUT_COLUMNS = ["step", "loss", "accuracy"]
SPECTRAL_COLUMNS = ["step", "sigma_max"]


@dataclass(frozen=True)
class SequenceConfig(query.Config):
    cell: str = "rnn"
    seq_len: int = 30
    hidden: int = 32
    # std of every recurrent weight (both cells) in units of 1/√hidden. 0.58 ≈ 1/√3 is PyTorch's own
    # default, U(−1/√hidden, 1/√hidden); a Gaussian matrix's λ₁ is about 2 × this scale.
    recurrent_scale: float = 0.58
    forget_bias: float = 1.0  # the LSTM's forget-gate bias at init (the RNN has no gates)
    lr: float = 0.01
    steps: int = 300
    seed: int = 0

    RULES: ClassVar[Mapping[str, Any]] = {
        "cell": query.Choice(CELLS),
        "seq_len": query.Int(2, 200),
        "hidden": query.Int(4, 64),
        "recurrent_scale": query.Float(0.05, 4.0),
        "forget_bias": query.Float(-5.0, 5.0),
        "lr": query.Float(1e-4, 1.0),
        "steps": query.Int(0, 1000),
        "seed": query.Int(0, 2**31 - 1),
    }

    def work_units(self) -> float:
        return float(self.seq_len * max(self.steps, 1) * self.hidden)

    def estimated_seconds(self) -> float:
        """What this run should take on the demo machine (one torch thread)."""
        return self.work_units() * SECONDS_PER_WORK_UNIT

    def too_large(self) -> bool:
        """Beyond the shared bound on its own (a page view that runs several adds them up)."""
        return bound_problem(self.estimated_seconds()) is not None


@dataclass(frozen=True)
class SequenceResult:
    config: SequenceConfig
    time_grads: pd.DataFrame  # TIME_GRAD_COLUMNS: ‖∂L/∂h_t‖ (Frobenius over the batch), t = 1 … seq_len
    steps: pd.DataFrame  # HELD_OUT_COLUMNS: loss and accuracy on the held-out set
    spectral: pd.DataFrame  # SPECTRAL_COLUMNS: λ₁ of weight_hh_l0 (for the LSTM: its four gates stacked)
    chance: float  # the accuracy of guessing
    seconds: float  # wall time, for the record


class Recaller(nn.Module):
    """One nn.RNN / nn.LSTM layer reading the sequence, and a linear readout of its last hidden state."""

    def __init__(self, cell: str, hidden: int):
        super().__init__()
        self.cell = cell
        if cell == "rnn":
            self.core: nn.RNNBase = nn.RNN(N_INPUTS, hidden, nonlinearity="tanh", batch_first=True)
        else:
            self.core = nn.LSTM(N_INPUTS, hidden, batch_first=True)
        self.readout = nn.Linear(hidden, N_SYMBOLS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The fast path: the whole sequence in one nn.RNN / nn.LSTM call."""
        out, _ = self.core(x)
        return self.readout(out[:, -1])

    def unrolled(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """The same network, one time step at a time, so every h_t is a tensor autograd reports on. It calls
        the ATen cell ops nn.RNNCell / nn.LSTMCell use, with this nn.RNN / nn.LSTM's own parameters."""
        core = self.core
        weights = (core.weight_ih_l0, core.weight_hh_l0, core.bias_ih_l0, core.bias_hh_l0)
        h = x.new_zeros(x.shape[0], core.hidden_size)
        c = torch.zeros_like(h)
        hs: list[torch.Tensor] = []
        for t in range(x.shape[1]):
            if self.cell == "rnn":
                h = torch.rnn_tanh_cell(x[:, t], h, *weights)
            else:
                h, c = torch.lstm_cell(x[:, t], (h, c), *weights)
            if h.requires_grad:
                h.retain_grad()
            hs.append(h)
        return self.readout(h), hs


def init_weights(model: Recaller, config: SequenceConfig, generator: torch.Generator) -> None:
    hidden, core = config.hidden, model.core
    with torch.no_grad():
        core.weight_ih_l0.normal_(0.0, INPUT_STD, generator=generator)
        core.weight_hh_l0.normal_(0.0, config.recurrent_scale / math.sqrt(hidden), generator=generator)
        core.bias_ih_l0.zero_()
        core.bias_hh_l0.zero_()
        if config.cell == "lstm":
            # PyTorch orders the gates i, f, g, o; the forget gate's bias is bias_ih + bias_hh.
            core.bias_ih_l0[hidden : 2 * hidden] = config.forget_bias
        model.readout.weight.normal_(0.0, 1.0 / math.sqrt(hidden), generator=generator)
        model.readout.bias.zero_()


def make_batch(size: int, seq_len: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(size, seq_len, N_INPUTS) inputs and the first symbol as target. The distractors are the same symbols,
    so a symbol's input weights get gradient from every step; only the part reaching t = 1 says what to keep
    (with distinct symbols Adam would learn the task from however tiny a gradient)."""
    tokens = torch.randint(N_SYMBOLS, (size, seq_len), generator=generator)
    x = torch.zeros(size, seq_len, N_INPUTS)
    x[..., :N_SYMBOLS] = F.one_hot(tokens, N_SYMBOLS).float()
    x[:, 0, N_SYMBOLS] = 1.0
    return x, tokens[:, 0]


def record_schedule(steps: int, seq_len: int) -> list[int]:
    """The engine's schedule with at most MAX_RECORDED steps, fewer for long sequences (each recorded step
    unrolls the whole sequence)."""
    return train.record_schedule(steps, most=max(20, min(MAX_RECORDED, UNROLL_BUDGET // seq_len)))


def sigma_max(model: Recaller) -> float:
    """λ₁, the largest singular value (spectral norm) of weight_hh_l0."""
    weights = model.core.weight_hh_l0.detach()
    if not torch.isfinite(weights).all():  # the SVD would fail; the weights have overflowed
        return math.nan
    return torch.linalg.matrix_norm(weights, ord=2).item()


def initialise(config: SequenceConfig) -> tuple[Recaller, torch.Generator, tuple[torch.Tensor, torch.Tensor]]:
    """The initialised network, the generator that then draws the training batches, and the held-out set."""
    runtime.configure_threads()
    generator = torch.Generator().manual_seed(config.seed)
    model = Recaller(config.cell, config.hidden)
    init_weights(model, config, generator)
    return model, generator, make_batch(EVAL_SIZE, config.seq_len, generator)


def run_sequence(config: SequenceConfig) -> SequenceResult:
    """Train `config.steps` Adam steps on fresh batches. At each recorded step (step s = the network after s
    updates) measure ‖∂L/∂h_t‖ on that step's batch, λ₁, and loss and accuracy on the held-out set."""
    started = time.perf_counter()
    model, generator, (x_eval, y_eval) = initialise(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    schedule = set(record_schedule(config.steps, config.seq_len))
    grad_rows: list[tuple] = []
    step_rows: list[tuple] = []
    spectral_rows: list[tuple] = []

    for step in range(config.steps + 1):
        record = step in schedule
        x, y = make_batch(BATCH, config.seq_len, generator)
        if record:
            with torch.no_grad():
                logits = model(x_eval)
                step_rows.append(
                    (
                        step,
                        F.cross_entropy(logits, y_eval).item(),
                        (logits.argmax(dim=1) == y_eval).float().mean().item(),
                    )
                )
            spectral_rows.append((step, sigma_max(model)))
            logits, hs = model.unrolled(x)
        else:
            logits = model(x)
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(logits, y).backward()
        if record:
            grad_rows.extend((step, t, torch.linalg.vector_norm(h.grad).item()) for t, h in enumerate(hs, start=1))
        if step < config.steps:
            optimizer.step()

    return SequenceResult(
        config=config,
        time_grads=pd.DataFrame(grad_rows, columns=TIME_GRAD_COLUMNS),
        steps=pd.DataFrame(step_rows, columns=HELD_OUT_COLUMNS),
        spectral=pd.DataFrame(spectral_rows, columns=SPECTRAL_COLUMNS),
        chance=1.0 / N_SYMBOLS,
        seconds=time.perf_counter() - started,
    )


# ----- figures the page reports, computed from a result --------------------------------------------------


def grads_at(result: SequenceResult, step: int) -> pd.Series:
    """‖∂L/∂h_t‖ indexed by t at a recorded step."""
    frame = result.time_grads
    return frame[frame.step == step].set_index("t").grad_norm


def reach(result: SequenceResult, step: int = 0) -> float:
    """‖∂L/∂h_1‖ / ‖∂L/∂h_T‖: the share of the gradient at the last step that reaches the first."""
    grads = grads_at(result, step)
    if grads.empty or not grads.iloc[-1] > 0:
        return math.nan
    return float(grads.iloc[0] / grads.iloc[-1])


def per_step_factor(result: SequenceResult, step: int = 0) -> float:
    """The geometric-mean factor by which each step back in time multiplies ‖∂L/∂h_t‖."""
    ratio, steps_back = reach(result, step), result.config.seq_len - 1
    if not ratio > 0 or steps_back < 1:
        return math.nan
    return ratio ** (1.0 / steps_back)


def lambda_at(result: SequenceResult, step: int = 0) -> float:
    return float(result.spectral.set_index("step").sigma_max.get(step, math.nan))


def pascanu_bound(result: SequenceResult, step: int = 0) -> pd.Series:
    """λ₁^(T−t)·‖∂L/∂h_T‖ by t: a tanh RNN's ‖∂L/∂h_t‖ cannot exceed it, as ‖∂h_t/∂h_{t−1}‖ ≤ γ·λ₁ with
    γ = max tanh′ = 1 (Pascanu, Mikolov & Bengio 2013)."""
    grads = grads_at(result, step)
    if grads.empty:
        return grads
    steps_back = pd.Series(grads.index.max() - grads.index, index=grads.index, dtype=float)
    return grads.iloc[-1] * lambda_at(result, step) ** steps_back


def learned_at(result: SequenceResult, threshold: float = 0.9) -> int | None:
    """The first recorded step with held-out accuracy ≥ threshold, or None."""
    hits = result.steps[result.steps.accuracy >= threshold]
    return int(hits.step.iloc[0]) if len(hits) else None


def canonical(config: SequenceConfig) -> SequenceConfig:
    """The same run with the fields it ignores at their defaults (one cache entry per distinct run)."""
    return config.replace(forget_bias=SequenceConfig.forget_bias) if config.cell == "rnn" else config


def _forget_bias(result: SequenceResult) -> float:
    return result.config.forget_bias if result.config.cell == "lstm" else math.nan


def profile(result: SequenceResult, step: int, series: str) -> pd.DataFrame:
    """Tidy t, grad_norm, series, cell, forget_bias, dashed of one run at one recorded step (not dashed: measured)."""
    return _tidy(grads_at(result, step), series, result.config.cell, _forget_bias(result), dashed=False)


def bound_profile(result: SequenceResult, step: int, series: str) -> pd.DataFrame:
    """The Pascanu bound of a tanh RNN at one step, in the same tidy form (dashed)."""
    return _tidy(pascanu_bound(result, step), series, "rnn", math.nan, dashed=True)


def _tidy(by_t: pd.Series, series: str, cell: str, forget_bias: float, *, dashed: bool) -> pd.DataFrame:
    return pd.DataFrame(
        {"t": by_t.index, "grad_norm": by_t.values, "series": series, "cell": cell, "forget_bias": forget_bias}
    ).assign(dashed=dashed)


def accuracy_frame(result: SequenceResult, series: str) -> pd.DataFrame:
    return result.steps.assign(series=series, cell=result.config.cell, forget_bias=_forget_bias(result))
