"""Exploding gradients and the material's §4.5 remedies: a deep ReLU net whose init and learning rate make
it explode, trained as is, with global-norm clipping, clip-by-value, weight decay, and clipping plus
weight decay. (Pascanu et al.'s one-unit toy, the cliff, is in explorer/cliff.py.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd
import torch

from explorer.engine import query
from explorer.engine.config import RunConfig, bound_problem, run_config_of
from explorer.engine.train import MAX_RECORDED, TABLES_ONLY, RunResult, run
from explorer.lessons.verdict import Sentence, apart
from explorer.lessons.verdict import short as fmt

ARMS = ("none", "clip_norm", "clip_value", "weight_decay", "clip_norm_decay")
REMEDY_FIELDS = {"clip_norm": 0.1, "clip_value": 0.01, "weight_decay": 0.01}  # the remedies' settings, widget steps
ARM_STEP_COLUMNS = [
    "arm",
    "step",
    "loss",
    "accuracy",
    "grad_norm_total",  # global ‖∂L/∂θ‖ before any clipping
    "grad_norm_applied",  # global norm of the gradient the optimizer used (after clipping)
    "max_entry",  # largest |∂L/∂θ_i| before clipping (clip-by-value arm only)
    "max_entry_applied",
    "clipped_share",  # share of gradient entries clip-by-value changed
    "fired",  # did clipping change the gradient at this step
    "weight_norm",  # ‖all weight matrices‖ before the step's update
]


# the tables only, the layers measured at every recorded step (their weight norm is drawn at every step)
EVERY_STEP = {**TABLES_ONLY, "layer_steps": MAX_RECORDED}


@dataclass(frozen=True)
class ExplodingConfig(query.Config):
    depth: int = 8
    width: int = 32
    init_scale: float = 1.5  # × He's std: every layer multiplies the signal by about 1.5
    lr: float = 0.1
    steps: int = 150
    clip_norm: float = 1.0
    clip_value: float = 0.05
    weight_decay: float = 0.05
    seed: int = 0

    RULES: ClassVar[Mapping[str, Any]] = {
        "depth": query.Int(2, 24),
        "width": query.Int(8, 128),
        "init_scale": query.Float(0.5, 4.0),
        "lr": query.Float(1e-4, 2.0),
        # every step is recorded (the engine records at most 201 steps, and this page measures the layers at each:
        # EVERY_STEP), so "how often clipping fired" is exact and each step has its weight norm
        "steps": query.Int(10, 200),
        "clip_norm": query.Float(1e-3, 1e4),
        "clip_value": query.Float(1e-4, 1e4),
        "weight_decay": query.Float(0.0, 1.0),
        "seed": query.Int(0, 2**31 - 1),
    }

    def run_config(self, arm: str = "none") -> RunConfig:
        """The engine's description of one arm: ReLU + He init, plain SGD, two spirals."""
        clip = self.clip_norm if arm in ("clip_norm", "clip_norm_decay") else None
        decay = self.weight_decay if arm in ("weight_decay", "clip_norm_decay") else 0.0
        fixed = dict(activation="relu", init="he", optimizer="sgd", batch_size=128, dataset="spirals")
        return run_config_of(self, **fixed, clip_norm=clip, weight_decay=decay)

    def estimated_seconds(self) -> float:
        """The five runs together, on the demo machine."""
        return len(ARMS) * self.run_config().estimated_seconds()

    def bound_problem(self) -> str | None:
        return bound_problem(self.estimated_seconds())


@dataclass(frozen=True)
class ExplodingResult:
    config: ExplodingConfig
    steps: pd.DataFrame  # ARM_STEP_COLUMNS, one row per arm and step
    diverged_at: dict[str, int | None]


def run_exploding(config: ExplodingConfig) -> ExplodingResult:
    """All five arms from the same init and batches; every one measured on a real run of the engine."""
    frames, diverged = [], {}
    for arm in ARMS:
        if arm == "clip_value":
            frame, diverged[arm] = run_clip_value(config.run_config(), config.clip_value)
        else:
            frame, diverged[arm] = arm_frame(run(config.run_config(arm), **EVERY_STEP))
        frames.append(frame.assign(arm=arm)[ARM_STEP_COLUMNS])
    return ExplodingResult(config, pd.concat(frames, ignore_index=True), diverged)


def arm_frame(result: RunResult) -> tuple[pd.DataFrame, int | None]:
    """One arm's steps in ARM_STEP_COLUMNS (without `arm`), from the engine's run."""
    steps = result.steps
    weight_norm = result.weights.groupby("step").weight_norm.apply(lambda norms: math.sqrt((norms**2).sum()))
    clip = result.config.clip_norm
    frame = pd.DataFrame(
        {
            "step": steps.step,
            "loss": steps.loss,
            "accuracy": steps.accuracy,
            "grad_norm_total": steps.grad_norm_total,
            "grad_norm_applied": steps.grad_norm_clipped,
            **{name: steps.get(name, math.nan) for name in ("max_entry", "max_entry_applied", "clipped_share")},
            "fired": steps.get("fired", (steps.grad_norm_total > clip) if clip is not None else False),
            "weight_norm": steps.step.map(weight_norm).to_numpy(),
        }
    )
    return frame, result.diverged_at


def clip_by_value(threshold: float) -> Callable[[list[torch.nn.Parameter]], dict[str, Any]]:
    """The engine's clip hook for torch.nn.utils.clip_grad_value_: every gradient entry is cut to
    [-threshold, threshold] on its own, which also turns the gradient's direction (global-norm clipping
    only shortens it). It reports the largest entry before and after, and the share of entries cut."""

    def clip(params: list[torch.nn.Parameter]) -> dict[str, Any]:
        grads = [p.grad for p in params]
        max_entry = max(g.abs().max().item() for g in grads)
        n_clipped = sum(int((g.abs() > threshold).sum()) for g in grads)
        torch.nn.utils.clip_grad_value_(params, threshold)
        return {
            "max_entry": max_entry,
            "max_entry_applied": max(g.abs().max().item() for g in grads),
            "clipped_share": n_clipped / sum(g.numel() for g in grads),
            "fired": n_clipped > 0,
        }

    return clip


def run_clip_value(run_config: RunConfig, clip_value: float) -> tuple[pd.DataFrame, int | None]:
    """The engine's run (same data, init, batches, SGD) with clip-by-value before each update."""
    return arm_frame(run(run_config, clip=clip_by_value(clip_value), **EVERY_STEP))


# ----- figures for the verdict ----------------------------------------------------------------------------


def arm_summary(result: ExplodingResult) -> pd.DataFrame:
    """Per arm: steps survived, largest pre-clip norm, how often clipping fired, final loss and weight norm."""
    rows = []
    for arm in ARMS:
        steps = result.steps[result.steps.arm == arm]
        rows.append(
            {
                "arm": arm,
                "diverged_at": math.nan if result.diverged_at[arm] is None else float(result.diverged_at[arm]),
                "start_grad_norm": float(steps.grad_norm_total.iloc[0]) if len(steps) else math.nan,
                "max_grad_norm": float(steps.grad_norm_total.max()) if len(steps) else math.nan,
                "fired_share": float(steps.fired.astype(bool).mean()) if len(steps) else math.nan,
                "final_loss": float(steps.loss.tail(10).mean()) if len(steps) else math.nan,
                "start_weight_norm": float(steps.weight_norm.iloc[0]) if len(steps) else math.nan,
                "final_weight_norm": float(steps.weight_norm.iloc[-1]) if len(steps) else math.nan,
                "final_grad_norm": float(steps.grad_norm_total.tail(10).mean()) if len(steps) else math.nan,
            }
        )
    return pd.DataFrame(rows).set_index("arm")


def percent(share: float, spec: str = ".0%") -> str:
    """A share as a percentage that reads 0% or 100% only when it is: clipping that fired on 1 step of 201
    fired on 0.5% of them, not on "0%"."""
    return apart(share, spec, 1.0) if share > 0.5 else apart(share, spec, 0.0)


def fate(summary: pd.DataFrame, arm: str, steps: int) -> Sentence:
    """An arm overflowed at a step, or survived all `steps` with its final loss."""
    row = summary.loc[arm]
    if not math.isnan(row.diverged_at):
        return Sentence("exploding.fate_diverged", {"step": int(row.diverged_at)})
    return Sentence("exploding.fate_survived", {"steps": steps, "loss": fmt(row.final_loss)})


def verdict(result: ExplodingResult) -> list[Sentence]:
    """One sentence per remedy, each with the figures measured on its arm."""
    config, summary = result.config, arm_summary(result)
    clip_steps = result.steps[result.steps.arm == "clip_norm"]
    value_steps = result.steps[result.steps.arm == "clip_value"]
    none, clip, both = summary.loc["none"], summary.loc["clip_norm"], summary.loc["clip_norm_decay"]
    fates = {arm: fate(summary, arm, config.steps) for arm in ARMS}
    return [
        Sentence(
            "exploding.verdict_none",
            dict(start=fmt(none.start_grad_norm), peak=fmt(none.max_grad_norm), fate=fates["none"]),
        ),
        Sentence(
            "exploding.verdict_clip_norm",
            dict(
                threshold=f"{config.clip_norm:g}",
                share=percent(clip.fired_share),
                applied=fmt(clip_steps.grad_norm_applied.max()) if len(clip_steps) else "—",
                fate=fates["clip_norm"],
            ),
        ),
        Sentence(
            "exploding.verdict_clip_value",
            dict(
                threshold=f"{config.clip_value:g}",
                share=percent(summary.loc["clip_value"].fired_share),
                entries=percent(value_steps.clipped_share.mean(), ".1%") if len(value_steps) else "—",
                fate=fates["clip_value"],
            ),
        ),
        Sentence(
            "exploding.verdict_decay",
            dict(
                decay=f"{config.weight_decay:g}",
                fate=fates["weight_decay"],
                w_clip=fmt(clip.final_weight_norm),
                w_both=fmt(both.final_weight_norm),
                g_clip=fmt(clip.final_grad_norm),
                g_both=fmt(both.final_grad_norm),
            ),
        ),
    ]
