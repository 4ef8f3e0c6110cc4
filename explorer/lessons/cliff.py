"""Pascanu, Mikolov & Bengio (2013)'s one-unit recurrent toy x_t = w·σ(x_{t-1}) + b: its loss surface over
(w, b), whose cliff is the exploding gradient, and gradient-descent paths with and without clipping.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import torch

from explorer.engine import query
from explorer.lessons.verdict import Sentence
from explorer.lessons.verdict import short as fmt

X0 = 0.5  # the unit's initial state
TARGET = 0.7  # the loss is (x_T - TARGET)^2
W_RANGE = (0.0, 10.0)
B_RANGE = (-8.0, 2.0)


@dataclass(frozen=True)
class CliffConfig(query.Config):
    """Gradient descent on (w, b) of x_t = w·σ(x_{t-1}) + b. Field names carry `toy_`: they share the URL
    with ExplodingConfig."""

    RULES: ClassVar[Mapping[str, Any]] = {
        "toy_w": query.Float(*W_RANGE),
        "toy_b": query.Float(*B_RANGE),
        "toy_lr": query.Float(1e-4, 1.0),
        "toy_steps": query.Int(1, 1000),
        "toy_clip": query.Float(1e-3, 1e6),
        "toy_horizon": query.Int(2, 100),
    }

    toy_w: float = 8.0
    toy_b: float = -2.0
    toy_lr: float = 0.01
    toy_steps: int = 200
    toy_clip: float = 20.0
    toy_horizon: int = 50


def toy_loss(w: torch.Tensor, b: torch.Tensor, horizon: int) -> torch.Tensor:
    """(x_T - TARGET)^2 elementwise over any shape of (w, b), with x_0 = X0 and x_t = w·σ(x_{t-1}) + b."""
    x = torch.full_like(w, X0)
    for _ in range(horizon):
        x = w * torch.sigmoid(x) + b
    return (x - TARGET) ** 2


def toy_gradient(w: float, b: float, horizon: int) -> tuple[float, float, float]:
    """Loss and autograd's (∂L/∂w, ∂L/∂b) at one point, in float64."""
    params = torch.tensor([w, b], dtype=torch.float64, requires_grad=True)
    loss = toy_loss(params[0], params[1], horizon)
    (grad,) = torch.autograd.grad(loss, params)
    return loss.item(), grad[0].item(), grad[1].item()


def cliff_surface(horizon: int, points: int = 121) -> pd.DataFrame:
    """Loss and ‖∇L‖ on a points × points grid over W_RANGE × B_RANGE (one batched autograd pass: each
    grid point's loss depends on its own (w, b) only, so the gradient of the sum is every point's own)."""
    w_axis = torch.linspace(*W_RANGE, points, dtype=torch.float64)
    b_axis = torch.linspace(*B_RANGE, points, dtype=torch.float64)
    w, b = torch.meshgrid(w_axis, b_axis, indexing="ij")
    w, b = w.clone().requires_grad_(), b.clone().requires_grad_()
    loss = toy_loss(w, b, horizon)
    grad_w, grad_b = torch.autograd.grad(loss.sum(), (w, b))
    return pd.DataFrame(
        {
            "w": w.detach().flatten().numpy(),
            "b": b.detach().flatten().numpy(),
            "loss": loss.detach().flatten().numpy(),
            "grad_norm": torch.hypot(grad_w, grad_b).flatten().numpy(),
        }
    )


def cliff_slice(w: float, horizon: int, points: int = 801) -> pd.DataFrame:
    """Loss and |∂L/∂b| along b at fixed w: the cliff as a wall. The wall is far thinner than any grid
    (its width shrinks like (w·σ')^-T), so each jump between neighbouring grid points is located by
    bisection and sampled at geometrically closer offsets: the gradient's climb toward it is measured."""
    grid = np.linspace(*B_RANGE, points)
    with torch.no_grad():
        loss = toy_loss(torch.full((points,), w, dtype=torch.float64), torch.from_numpy(grid), horizon).numpy()
    steps = np.abs(np.diff(loss))
    jumps = np.flatnonzero(steps > max(20 * float(np.median(steps)), 0.5))[:MAX_WALLS]
    spacing = grid[1] - grid[0]
    extra = [
        wall + side * spacing * 10.0**-k
        for wall in (_locate_wall(w, grid[i], grid[i + 1], horizon) for i in jumps)
        for side in (-1, 1)
        for k in range(1, 15)
    ]
    b = torch.tensor(np.unique(np.concatenate([grid, extra])), dtype=torch.float64, requires_grad=True)
    loss_b = toy_loss(torch.full_like(b, w), b, horizon)
    (grad_b,) = torch.autograd.grad(loss_b.sum(), b)
    return pd.DataFrame({"b": b.detach().numpy(), "loss": loss_b.detach().numpy(), "grad_b": grad_b.abs().numpy()})


MAX_WALLS = 4


def _locate_wall(w: float, low: float, high: float, horizon: int, iterations: int = 60) -> float:
    """Bisection for the b where the loss jumps between `low` and `high` (to float64 resolution)."""

    def loss_at(b: float) -> float:
        with torch.no_grad():
            return toy_loss(torch.tensor(w, dtype=torch.float64), torch.tensor(b, dtype=torch.float64), horizon).item()

    loss_low, loss_high = loss_at(low), loss_at(high)
    for _ in range(iterations):
        middle = 0.5 * (low + high)
        loss_middle = loss_at(middle)
        if abs(loss_middle - loss_low) < abs(loss_middle - loss_high):
            low, loss_low = middle, loss_middle
        else:
            high, loss_high = middle, loss_middle
    return 0.5 * (low + high)


def descent_path(config: CliffConfig, clip: bool) -> pd.DataFrame:
    """Plain gradient descent from (toy_w, toy_b); with `clip`, a gradient longer than toy_clip is rescaled
    to that length first (Pascanu et al.'s norm clipping: the direction is kept)."""
    w, b = config.toy_w, config.toy_b
    rows = []
    for step in range(config.toy_steps + 1):
        loss, grad_w, grad_b = toy_gradient(w, b, config.toy_horizon)
        norm = math.hypot(grad_w, grad_b)
        fired = clip and norm > config.toy_clip
        rows.append((step, w, b, loss, norm, fired))
        if step == config.toy_steps or not (math.isfinite(loss) and math.isfinite(norm)):
            break
        scale = config.toy_clip / norm if fired else 1.0
        w, b = w - config.toy_lr * scale * grad_w, b - config.toy_lr * scale * grad_b
    return pd.DataFrame(rows, columns=["step", "w", "b", "loss", "grad_norm", "fired"])


def descent_paths(config: CliffConfig) -> pd.DataFrame:
    """Both paths, with column `arm`: plain and clipped."""
    return pd.concat(
        [descent_path(config, clip=False).assign(arm="plain"), descent_path(config, clip=True).assign(arm="clipped")],
        ignore_index=True,
    )


def largest_jump(path: pd.DataFrame) -> tuple[int, float]:
    """The step whose update moved (w, b) the farthest, and how far."""
    if len(path) < 2:
        return 0, 0.0
    distance = np.hypot(np.diff(path.w.to_numpy()), np.diff(path.b.to_numpy()))
    step = int(np.argmax(distance))
    return int(path.step.iloc[step]), float(distance[step])


def path_verdict(path: pd.DataFrame, key: str, threshold: float) -> Sentence:
    """A descent path's figures: its largest gradient, its largest jump (and when), where it ended, and how
    often clipping at `threshold` fired."""
    jump_step, jump = largest_jump(path)
    end = path.iloc[-1]
    return Sentence(
        key,
        dict(
            peak=fmt(path.grad_norm.max()),
            jump=fmt(jump),
            jump_step=jump_step,
            w=fmt(end.w),
            b=fmt(end.b),
            loss=fmt(end.loss),
            fired=int(path.fired.sum()),
            threshold=f"{threshold:g}",
        ),
    )
