"""A loss surface small enough to see whole: one logistic neuron p = σ(w·x + b) on a fixed 12-point
dataset, mean cross-entropy over its two parameters (w, b).

Training a network is finding a minimum of its loss; with two parameters the loss is a landscape over
the plane and gradient descent is a walk downhill on it. The walk is real: torch autograd gives each
step's gradient. `SurfaceConfig` is the page's URL-backed setting and the cache key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F

from explorer.engine import query, runtime
from explorer.lessons.verdict import Sentence, formatted

# One input per point, labels overlapping around x ≈ 0.5 so no parameter fits them all and the minimum
# is finite; the inputs are not centred, so for the logistic unit w and b are coupled (a tilted valley).
INPUTS = (-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5)
LABELS = (0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1)
WINDOW = (-5.0, 5.0)  # the plotted square, both parameters
GRID = 61  # points per side: 0.1667 apart
CONVERGED_GRAD = 1e-3  # ‖∇L‖ below this counts as "at the minimum"


@dataclass(frozen=True)
class SurfaceConfig(query.Config):
    lr: float = 1.0
    start_w: float = -4.0
    start_b: float = 4.0
    steps: int = 60

    RULES: ClassVar[Mapping[str, Any]] = {
        "lr": query.Float(1e-3, 100.0),
        "start_w": query.Float(*WINDOW),
        "start_b": query.Float(*WINDOW),
        "steps": query.Int(1, 500),
    }


def dataset() -> tuple[torch.Tensor, torch.Tensor]:
    return torch.tensor(INPUTS, dtype=torch.float64), torch.tensor(LABELS, dtype=torch.float64)


def loss(w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of p = σ(w·x + b) over the dataset, for each (w, b) (broadcasts; the
    stable form from logits, so no log(0) anywhere on the plane)."""
    x, y = dataset()
    z = w[..., None] * x + b[..., None]
    return F.binary_cross_entropy_with_logits(z, y.expand_as(z), reduction="none").mean(dim=-1)


def gradient(w: float, b: float) -> tuple[float, float]:
    """∇L = (∂L/∂w, ∂L/∂b) at one point, by autograd."""
    params = torch.tensor([w, b], dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(loss(params[0], params[1]), params)
    return float(grad[0]), float(grad[1])


def surface() -> pd.DataFrame:
    """The loss on a GRID x GRID lattice over WINDOW: columns w, b, loss."""
    runtime.configure_threads()
    axis = torch.linspace(*WINDOW, GRID, dtype=torch.float64)
    w, b = torch.meshgrid(axis, axis, indexing="ij")
    return pd.DataFrame({"w": w.flatten().numpy(), "b": b.flatten().numpy(), "loss": loss(w, b).flatten().numpy()})


def minimum() -> tuple[float, float, float]:
    """(w*, b*, L*): the loss is convex here (labels overlap, so the minimum is finite and unique);
    Newton's method with autograd's Hessian finds it to float64 precision."""
    runtime.configure_threads()
    point = torch.zeros(2, dtype=torch.float64)
    objective = lambda p: loss(p[0], p[1])  # noqa: E731
    for _ in range(50):
        step = torch.linalg.solve(
            torch.autograd.functional.hessian(objective, point), torch.autograd.functional.jacobian(objective, point)
        )
        point = point - step
        if float(step.norm()) < 1e-15:
            break
    return float(point[0]), float(point[1]), float(objective(point))


def critical_lr() -> float:
    """2/λ_max of the Hessian at the minimum: near the minimum, gradient descent with a larger learning
    rate overshoots along the steepest direction by more than it corrects, and cannot settle there."""
    w_star, b_star, _ = minimum()
    point = torch.tensor([w_star, b_star], dtype=torch.float64)
    hessian = torch.autograd.functional.hessian(lambda p: loss(p[0], p[1]), point)
    return 2.0 / float(torch.linalg.eigvalsh(hessian).max())


@dataclass(frozen=True)
class Descent:
    config: SurfaceConfig
    path: pd.DataFrame  # step, w, b, loss, grad_norm: the point where step `step` starts
    surface: pd.DataFrame
    minimum: tuple[float, float, float]  # w*, b*, L*
    critical_lr: float  # 2/λ_max at the minimum
    outcome: str  # converged | descending | oscillating | rose | diverged
    diverged_at: int | None  # the first step whose loss or gradient was not finite
    left_window: bool  # the path went outside the plotted square
    distance: float  # from the end point to the minimum

    @property
    def start_loss(self) -> float:
        return float(self.path.loss.iloc[0])

    @property
    def final(self) -> pd.Series:
        return self.path.iloc[-1]

    @property
    def rises(self) -> int:
        """How many steps made the loss go up."""
        return int((self.path.loss.diff() > 1e-12).sum())


def descend(config: SurfaceConfig) -> Descent:
    """Plain gradient descent (w, b) ← (w, b) − lr·∇L from the start point, each gradient by autograd."""
    runtime.configure_threads()
    params = torch.tensor([config.start_w, config.start_b], dtype=torch.float64, requires_grad=True)
    rows: list[tuple[int, float, float, float, float]] = []
    diverged_at = None
    for step in range(config.steps + 1):
        value = loss(params[0], params[1])
        (grad,) = torch.autograd.grad(value, params)
        point = params.detach()
        if not (torch.isfinite(value) and torch.isfinite(grad).all() and torch.isfinite(point).all()):
            diverged_at = step
            break
        rows.append((step, float(point[0]), float(point[1]), float(value.detach()), float(grad.norm())))
        if step < config.steps:
            with torch.no_grad():
                params -= config.lr * grad
    path = pd.DataFrame(rows, columns=["step", "w", "b", "loss", "grad_norm"])
    w_star, b_star, loss_star = minimum()
    coordinates = path[["w", "b"]].to_numpy()
    return Descent(
        config=config,
        path=path,
        surface=surface(),
        minimum=(w_star, b_star, loss_star),
        critical_lr=critical_lr(),
        outcome=_outcome(path, diverged_at),
        diverged_at=diverged_at,
        left_window=bool(((coordinates < WINDOW[0]) | (coordinates > WINDOW[1])).any()),
        distance=math.hypot(path.w.iloc[-1] - w_star, path.b.iloc[-1] - b_star) if len(path) else math.inf,
    )


def _outcome(path: pd.DataFrame, diverged_at: int | None) -> str:
    if diverged_at is not None:
        return "diverged"
    losses = path.loss.to_numpy()
    if path.grad_norm.iloc[-1] < CONVERGED_GRAD:
        return "converged"
    if losses[-1] > losses[0]:
        return "rose"
    if (np.diff(losses) > 1e-12).any():  # same threshold as `rises`
        return "oscillating"
    return "descending"


def verdict(result: Descent, config: SurfaceConfig) -> list[Sentence]:
    """How the descent ended (converged, still descending, oscillating, diverged, ...) beside the critical
    learning rate, and a note when the path left the plotted window; each with the measured numbers."""
    end, (w_star, b_star, loss_star) = result.final, result.minimum
    numbers = dict(
        steps=int(end.step),
        rises=result.rises,
        step=result.diverged_at,
        distance=f"{result.distance:.3g}",
        **formatted(".4g", lr=config.lr, w=end.w, b=end.b, min_w=w_star, min_b=b_star, critical=result.critical_lr),
        **formatted(".6g", loss=end.loss, start_loss=result.start_loss, min_loss=loss_star),
        **formatted(".2e", grad=end.grad_norm, gap=end.loss - loss_star),
    )
    kind = "success" if result.outcome in ("converged", "descending") else "warning"
    rate = "why.rate_above" if config.lr > result.critical_lr else "why.rate_below"
    said = [Sentence(f"why.outcome_{result.outcome}", numbers, kind), Sentence(rate, numbers, kind)]
    return said + ([Sentence("why.left_window", numbers, "info")] if result.left_window else [])
