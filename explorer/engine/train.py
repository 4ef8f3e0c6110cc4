"""The training loop: one RunConfig in, one RunResult (plain DataFrames) out, measured layer by layer.

Step s means the network after s updates; step 0 is the untrained network. At a recorded step the loop
keeps the batch's loss, accuracy and gradient norm; at every k-th of them (the layer steps) it also
measures each layer's forward and backward pass, then the update that step applies.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F

from explorer.engine import runtime
from explorer.engine.config import RunConfig
from explorer.engine.data import make_dataset
from explorer.engine.histograms import frame as histograms_frame
from explorer.engine.histograms import histogram_steps
from explorer.engine.instruments import LayerProbe
from explorer.engine.model import MLP, build

# Recorded steps (the loss, the accuracy, the gradient's global norm: cheap) and, nested in them, the layer
# steps, where every layer is measured. A layer step costs most of a training step (its passes over each
# layer's z, h and dL/dz), so measured at every second step a 300-step run took ~1.4x its bare loop, and
# ~1.2x with every sixth or eighth (51, 39 layer steps); every tenth (31) leaves room. Tools log sparser
# still by default: PyTorch Lightning every 50 steps, wandb's gradient histograms every 1,000.
MAX_RECORDED = 201
MAX_LAYER_RECORDED = 31
BOUNDARY_GRID = 64

# What a run measures beyond the tables (layers, steps, weights) is drawn on the lab only: the lessons,
# which read the tables, ask for them alone with run(config, **TABLES_ONLY).
TABLES_ONLY = {"boundary": False, "histograms": False}

LAYER_COLUMNS = ["step", "layer", "grad_norm", "signal_norm", "update_ratio", "act_std", "saturation"]
STEP_COLUMNS = ["step", "loss", "accuracy", "grad_norm_total", "grad_norm_clipped"]


@dataclass(frozen=True)
class RunResult:
    config: RunConfig
    layers: pd.DataFrame  # LAYER_COLUMNS, one row per layer step and layer (depth + 1 = output)
    steps: pd.DataFrame  # STEP_COLUMNS, one row per recorded step (every layer step is one)
    weights: pd.DataFrame  # step, layer, weight_norm (||W_l||_F before that step's update)
    data: pd.DataFrame  # x1, x2, label: the training set
    # x1, x2, p: P(class 1) of the final network on a grid; empty if not finite, or not asked for
    boundary: pd.DataFrame
    diverged_at: int | None  # first step whose loss or gradients were not finite
    seconds: float  # wall time of the run, for the record (not part of any result's meaning)
    # step, layer, quantity, bin, low, high, count (nonzero counts only): hidden layers' z, activation,
    # signal |dL/dz| and weight gradient |dL/dW| at up to 21 layer steps (explorer/engine/histograms.py)
    histograms: pd.DataFrame = field(default_factory=lambda: histograms_frame([], "linear"))

    def nbytes(self) -> int:
        """The result's size in memory (its DataFrames), for a cache bounded by size."""
        frames = (self.layers, self.steps, self.weights, self.data, self.boundary, self.histograms)
        return int(sum(frame.memory_usage(index=True, deep=True).sum() for frame in frames))


def record_schedule(steps: int, most: int = MAX_RECORDED) -> list[int]:
    """Step 0, every stride-th step and the last one: at most `most`, evenly spaced."""
    stride = max(1, math.ceil(steps / (most - 1)))
    schedule = list(range(0, steps + 1, stride))
    if schedule[-1] != steps:
        schedule.append(steps)
    return schedule


def layer_schedule(recorded: list[int], most: int = MAX_LAYER_RECORDED) -> list[int]:
    """Every k-th recorded step, k the smallest that keeps at most `most` of them, and the last one: evenly
    spaced, step 0 and the last step included, each also a recorded step."""
    every = max(1, math.ceil((len(recorded) - 1) / (most - 1)))
    picked = recorded[::every]
    return picked if picked[-1:] == recorded[-1:] else picked + recorded[-1:]


def make_optimizer(config: RunConfig, params: list[torch.nn.Parameter]) -> torch.optim.Optimizer:
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=config.lr, weight_decay=config.weight_decay, foreach=True)
    if config.optimizer == "momentum":
        return torch.optim.SGD(params, lr=config.lr, momentum=0.9, weight_decay=config.weight_decay, foreach=True)
    if config.optimizer == "adam":
        return torch.optim.Adam(params, lr=config.lr, weight_decay=config.weight_decay, foreach=True)
    raise ValueError(f"optimizer: unknown {config.optimizer!r}")


def trained_parameters(model: MLP, freeze_first: int) -> list[torch.nn.Parameter]:
    """Everything but the first `freeze_first` hidden blocks (which keep their gradients, not updates)."""
    blocks = model.hidden[freeze_first:]
    return [p for block in blocks for p in block.parameters()] + list(model.output.parameters())


def global_norm(grads: list[torch.Tensor]) -> float:
    """||all gradients||_2, as clip_grad_norm_ computes it (one foreach call: cheap at every step)."""
    return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads))).item()


def batch_indices(config: RunConfig, n: int, generator: torch.Generator) -> torch.Tensor:
    """(steps + 1, batch_size) indices, each row drawn without replacement, all in one call."""
    return torch.rand(config.steps + 1, n, generator=generator).argsort(dim=1)[:, : config.batch_size]


def setup(config: RunConfig):
    """Data, model, batches and optimizer of a run: shared with the benchmark's bare loop."""
    runtime.configure_threads()
    generator = torch.Generator().manual_seed(config.seed)
    points, labels = make_dataset(config.dataset, config.seed)
    x, y = torch.from_numpy(points), torch.from_numpy(labels)
    model = build(config, generator)
    batches = batch_indices(config, len(y), generator)
    params = trained_parameters(model, config.freeze_first)
    return x, y, model, batches, params, make_optimizer(config, params)


def run(
    config: RunConfig,
    progress: Callable[[float], None] | None = None,
    *,
    prepare: Callable[[MLP, torch.Tensor], None] | None = None,
    histograms: bool = True,
    boundary: bool = True,
    clip: Callable[[list[torch.nn.Parameter]], dict[str, Any]] | None = None,
    layer_steps: int = MAX_LAYER_RECORDED,
) -> RunResult:
    """Train and measure. `prepare(model, inputs)`, if given, changes the freshly initialised network in
    place before training starts (the pretraining page pretrains it there); step 0 is measured after it.
    `clip(params)`, if given, changes the gradients in place after their norm is measured and before the
    update (the exploding page clips by value there); what it returns is recorded as extra step columns.
    `boundary=False` leaves the decision boundary empty: only the lab draws it, and its 4,096-point forward
    pass is about half of a steps = 0 run at width 256 (callers that only read the tables skip it).
    `layer_steps` caps the layer steps (`layer_schedule`); MAX_RECORDED measures the layers at every
    recorded step."""
    started = time.perf_counter()
    x, y, model, batches, params, optimizer = setup(config)
    if prepare is not None:
        prepare(model, x)
    probe = LayerProbe(model, config.activation)
    recorded = record_schedule(config.steps)
    layer_recorded = layer_schedule(recorded, layer_steps)
    schedule, layer_at = set(recorded), set(layer_recorded)
    histogram_at = set(histogram_steps(layer_recorded))
    histogram_records: list[tuple] = []
    every_parameter = list(model.parameters())  # frozen layers too: their gradients are measured
    # per recorded step its step figures and right answers, per layer step its forward stats and norms: tensors
    # that become columns once, at the end (a conversion per step cost more than the measuring)
    step_rows: list[tuple] = []
    layer_steps_done: list[int] = []
    stats: list[torch.Tensor] = []
    correct: list[torch.Tensor] = []
    measured_norms: list[torch.Tensor] = []
    clip_rows: list[dict[str, Any]] = []
    diverged_at = None
    report_every = max(1, config.steps // 50)

    for step in range(config.steps + 1):
        record, measure = step in schedule, step in layer_at
        idx = batches[step]
        xb, yb = x[idx], y[idx]
        logits = probe.forward(xb) if measure else model(xb)
        loss = F.cross_entropy(logits, yb)
        for parameter in every_parameter:  # model.zero_grad walks the module tree at every step
            parameter.grad = None
        loss.backward()
        if config.clip_norm is not None:
            total = torch.nn.utils.clip_grad_norm_(params, config.clip_norm).item()
        else:
            total = global_norm([p.grad for p in params])
        loss_value = loss.item()
        if not (math.isfinite(loss_value) and math.isfinite(total)):
            diverged_at = step
            break
        clipped_by_hook = clip(params) if clip is not None else None

        if measure:
            layer_steps_done.append(step)
            stats.append(probe.forward_stats())
            if histograms and step in histogram_at:
                histogram_records.extend((step, quantity, table) for quantity, table in probe.histograms())
            probe.snapshot_weights()
        if record:
            with torch.no_grad():  # the count of right answers; over the batch at the end, as .float().mean() does
                correct.append(torch.eq(logits.argmax(dim=1), yb).sum())
            if clipped_by_hook is not None:
                clip_rows.append(clipped_by_hook)
                clipped = global_norm([p.grad for p in params])
            else:
                clipped = min(total, config.clip_norm) if config.clip_norm is not None else total
            step_rows.append((step, loss_value, total, clipped))
        if step < config.steps:
            optimizer.step()
        if measure:
            measured_norms.append(probe.norms())
        if progress is not None and step % report_every == 0:
            progress(step / max(config.steps, 1))

    last_is_final = layer_steps_done[-1:] == [config.steps]
    measured = _columns(stats, measured_norms, config.depth + 1, last_is_final=last_is_final)
    accuracy = torch.stack(correct).float().div_(batches.shape[1]).tolist() if correct else []
    step_rows = [row[:2] + (a,) + row[2:] for row, a in zip(step_rows, accuracy, strict=True)]
    points = pd.DataFrame({"x1": x[:, 0].numpy(), "x2": x[:, 1].numpy(), "label": y.numpy()})
    return RunResult(
        config=config,
        layers=_layer_frame(layer_steps_done, config.depth + 1, measured, LAYER_COLUMNS[2:]),
        steps=_frame(step_rows, STEP_COLUMNS).join(pd.DataFrame(clip_rows))
        if clip_rows
        else _frame(step_rows, STEP_COLUMNS),
        weights=_layer_frame(layer_steps_done, config.depth + 1, measured, ["weight_norm"]),
        data=points,
        boundary=decision_boundary(model, x) if boundary else _no_boundary(),
        diverged_at=diverged_at,
        seconds=time.perf_counter() - started,
        histograms=histograms_frame(histogram_records, config.activation),
    )


def _columns(stats: list[torch.Tensor], norms: list[torch.Tensor], n_layers: int, last_is_final: bool) -> dict:
    """The per-layer columns (float64 arrays, a step's layers 1..n_layers after one another) from each
    recorded step's forward stats and norms. update_ratio = ||dW|| / ||W|| (IEEE division, as numpy's),
    NaN at the final step, which applies no update."""
    if not stats:
        return {column: np.zeros(0) for column in LAYER_COLUMNS[2:] + ["weight_norm"]}
    act_std, saturation = torch.stack(stats).double().view(len(stats), 2, n_layers).unbind(1)
    signal, grad, weight, update = torch.stack(norms).view(len(norms), 4, n_layers).unbind(1)
    ratio = update / weight
    if last_is_final:
        ratio[-1] = math.nan
    found = {"grad_norm": grad, "signal_norm": signal, "update_ratio": ratio, "act_std": act_std}
    found |= {"saturation": saturation, "weight_norm": weight}
    return {column: values.flatten().numpy() for column, values in found.items()}


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Typed even when empty (a run that overflowed at step 0): integer step/layer, float measurements."""
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "int64" if c in ("step", "layer") else "float64" for c in columns})


def _layer_frame(steps: list[int], n_layers: int, measured: dict[str, np.ndarray], columns: list[str]) -> pd.DataFrame:
    """Rows (step, layer, *columns) of each recorded step's layers 1..n_layers, typed like _frame."""
    return pd.DataFrame(
        {
            "step": np.repeat(np.array(steps, dtype=np.int64), n_layers),
            "layer": np.tile(np.arange(1, n_layers + 1, dtype=np.int64), len(steps)),
        }
        | {column: measured[column] for column in columns}
    )


def decision_boundary(model: MLP, x: torch.Tensor, grid: int = BOUNDARY_GRID) -> pd.DataFrame:
    """P(class 1) of the network (eval mode: BatchNorm uses its running statistics) over the data's box."""
    low, high = x.min(dim=0).values - 0.3, x.max(dim=0).values + 0.3
    g1, g2 = torch.meshgrid(torch.linspace(low[0], high[0], grid), torch.linspace(low[1], high[1], grid), indexing="ij")
    inputs = torch.stack([g1.flatten(), g2.flatten()], dim=1)
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(inputs), dim=1)[:, 1]
    model.train()
    if not torch.isfinite(p).all():
        return _no_boundary()
    return pd.DataFrame({"x1": inputs[:, 0].numpy(), "x2": inputs[:, 1].numpy(), "p": p.numpy()})


def _no_boundary() -> pd.DataFrame:
    return pd.DataFrame(columns=["x1", "x2", "p"])
