"""Greedy layer-wise pretraining (the material's §4.4, after Hinton 2006): each hidden layer of a deep
sigmoid MLP is trained in turn as an autoencoder on the previous layer's output, then the whole net is
fine-tuned; the same net from the same random init, fine-tuned alone, is the control.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from explorer.engine import measures, query
from explorer.engine.config import DATASETS, RunConfig, bound_problem, run_config_of
from explorer.engine.model import MLP
from explorer.engine.train import TABLES_ONLY, record_schedule, run
from explorer.lessons.verdict import Sentence

ARMS = ("pretrained", "random")


@dataclass(frozen=True)
class PretrainConfig(query.Config):
    depth: int = 6
    width: int = 32
    pretrain_steps: int = 200  # autoencoder updates per hidden layer
    pretrain_lr: float = 0.01  # Adam's step size for the autoencoders
    steps: int = 300  # fine-tuning steps (plain SGD, as in the lab's default)
    lr: float = 0.5
    batch_size: int = 128
    # moons: pretraining visibly speeds fine-tuning; on spirals neither arm leaves ln 2 in 300 steps
    dataset: str = "moons"
    seed: int = 0

    RULES: ClassVar[Mapping[str, Any]] = {
        "depth": query.Int(2, 12),
        "width": query.Int(4, 128),
        "pretrain_steps": query.Int(0, 1000),
        "pretrain_lr": query.Float(1e-4, 1.0),
        "steps": query.Int(1, 1000),
        "lr": query.Float(1e-3, 10.0),
        "batch_size": query.Int(16, 512),
        "dataset": query.Choice(DATASETS),
        "seed": query.Int(0, 2**31 - 1),
    }

    def run_config(self) -> RunConfig:
        """The network both arms share: sigmoid, LeCun init, SGD fine-tuning."""
        return run_config_of(self, activation="sigmoid", init="lecun", optimizer="sgd")

    def estimated_seconds(self) -> float:
        """Both fine-tuning runs, plus one encoder-decoder stage per hidden layer, on the demo machine."""
        stage = RunConfig(depth=1, width=self.width, steps=self.pretrain_steps, batch_size=self.batch_size)
        return 2 * self.run_config().estimated_seconds() + self.depth * stage.estimated_seconds()

    def bound_problem(self) -> str | None:
        return bound_problem(self.estimated_seconds())


@dataclass(frozen=True)
class PretrainResult:
    config: PretrainConfig
    stages: pd.DataFrame  # layer, step, recon_loss: each autoencoder's reconstruction MSE while it trains
    layers: pd.DataFrame  # arm + LAYER_COLUMNS: fine-tuning records of both arms
    steps: pd.DataFrame  # arm + the engine's STEP_COLUMNS
    weights: pd.DataFrame  # arm, layer, weight_norm at the start of fine-tuning
    diverged_at: dict[str, int | None]  # per arm: first fine-tuning step that was not finite


def pretrain_layers(model: MLP, x: torch.Tensor, config: PretrainConfig) -> pd.DataFrame:
    """Train each hidden block in turn as the encoder of an autoencoder, in place; returns the loss curves.

    Stage l sees the outputs of the already-pretrained blocks 1..l-1 on the whole dataset (fixed), encodes
    them with block l (linear + sigmoid) and decodes with a fresh linear layer, minimising the MSE. The
    decoder is discarded afterwards: only the encoder's weights carry over into fine-tuning.
    """
    generator = torch.Generator().manual_seed(config.seed + 1)  # a stream apart from the init and the batches
    schedule = set(record_schedule(config.pretrain_steps))
    rows: list[tuple] = []
    with torch.no_grad():
        inputs = x.clone()
    for layer, block in enumerate(model.hidden, start=1):
        fan_in = block.linear.in_features
        decoder = nn.Linear(config.width, fan_in)
        with torch.no_grad():
            nn.init.normal_(decoder.weight, 0.0, 1.0 / math.sqrt(config.width), generator=generator)
            nn.init.zeros_(decoder.bias)
        params = list(block.parameters()) + list(decoder.parameters())
        # Adam: the reconstruction gradients of a sigmoid code are small and uneven; SGD would need a
        # per-layer learning rate to make progress in a few hundred steps.
        optimizer = torch.optim.Adam(params, lr=config.pretrain_lr)
        batches = torch.rand(config.pretrain_steps + 1, len(inputs), generator=generator).argsort(dim=1)
        batches = batches[:, : config.batch_size]
        for step in range(config.pretrain_steps + 1):
            target = inputs[batches[step]]
            loss = F.mse_loss(decoder(block(target)), target)
            if step in schedule:
                rows.append((layer, step, loss.item()))
            if step == config.pretrain_steps or not math.isfinite(loss.item()):
                break
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            inputs = block(inputs)
    return pd.DataFrame(rows, columns=["layer", "step", "recon_loss"])


def run_pretraining(config: PretrainConfig) -> PretrainResult:
    """Both arms from the same seed: the same init, the same fine-tuning batches, the same SGD."""
    run_config = config.run_config()
    layer_frames, step_frames, weight_frames = [], [], []
    diverged: dict[str, int | None] = {}
    stages = pd.DataFrame(columns=["layer", "step", "recon_loss"])
    found: dict[str, pd.DataFrame] = {}

    def pretrain(model: MLP, x: torch.Tensor) -> None:
        found["stages"] = pretrain_layers(model, x, config)

    for arm in ARMS:
        result = run(run_config, prepare=pretrain if arm == "pretrained" else None, **TABLES_ONLY)
        start = result.weights[result.weights.step == 0]  # the weights fine-tuning starts from
        weight_frames.append(
            pd.DataFrame({"arm": arm, "layer": start.layer.to_numpy(), "weight_norm": start.weight_norm.to_numpy()})
        )
        layer_frames.append(result.layers.assign(arm=arm))
        step_frames.append(result.steps.assign(arm=arm))
        diverged[arm] = result.diverged_at
    return PretrainResult(
        config=config,
        stages=found.get("stages", stages),
        layers=_arm_first(pd.concat(layer_frames, ignore_index=True)),
        steps=_arm_first(pd.concat(step_frames, ignore_index=True)),
        weights=pd.concat(weight_frames, ignore_index=True),
        diverged_at=diverged,
    )


def _arm_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["arm"] + [c for c in frame.columns if c != "arm"]]


# ----- figures for the verdict ----------------------------------------------------------------------------


def start_signal(result: PretrainResult) -> pd.DataFrame:
    """Per hidden layer, ‖∂L/∂z_l‖ at the first fine-tuning step: columns pretrained, random."""
    at = result.layers[(result.layers.step == 0) & (result.layers.layer <= result.config.depth)]
    return at.pivot(index="layer", columns="arm", values="signal_norm").reindex(columns=list(ARMS))


def mean_update_ratios(result: PretrainResult) -> pd.DataFrame:
    """Per layer, the mean ‖ΔW‖/‖W‖ over fine-tuning: columns pretrained, random."""
    means = measures.mean_update_ratio(result.layers, by=("arm",)).unstack("arm")
    return means.reindex(columns=list(ARMS))


def final_loss(result: PretrainResult, arm: str, window: int = 10) -> float:
    """Mean batch loss over the last `window` recorded fine-tuning steps (one batch is noisy)."""
    steps = result.steps[result.steps.arm == arm]
    return float(steps.loss.tail(window).mean()) if len(steps) else math.nan


# ----- the verdict: each sentence carries the measured figures; the wording follows their sign -----------

SAME_SIGNAL = 1.1  # a layer-1 signal within ×1.1 of the control's counts as the same
SAME_LOSS = 0.02  # final losses within this (nats) count as the same
NEAR_GUESS = 0.68  # both final losses above this (ln 2 ≈ 0.693 is a 50/50 guess): neither learned much


def sci(value: float) -> str:
    return f"{value:.2e}" if math.isfinite(value) else "—"


@dataclass(frozen=True)
class Figures:
    """What the page quotes: layer 1's signal in each arm and their ratio, the flow from the last hidden layer
    to layer 1 per arm, layer 1's mean update ratio per arm, the final losses."""

    first: int
    signal: dict[str, float]
    signal_gain: float
    flow: dict[str, float]
    update_ratio: dict[str, float]
    loss: dict[str, float]


def figures(result: PretrainResult) -> Figures:
    signal, ratios = start_signal(result), mean_update_ratios(result)
    first, last_hidden = int(signal.index.min()), int(signal.index.max())
    return Figures(
        first=first,
        signal={arm: float(signal.loc[first, arm]) for arm in ARMS},
        signal_gain=float(signal.loc[first, "pretrained"] / signal.loc[first, "random"]),
        flow={arm: float(signal.loc[first, arm] / signal.loc[last_hidden, arm]) for arm in ARMS},
        update_ratio={arm: float(ratios.loc[first, arm]) for arm in ARMS},
        loss={arm: final_loss(result, arm) for arm in ARMS},
    )


def verdict(found: Figures, steps: int) -> list[Sentence]:
    gain = found.signal_gain
    if gain > SAME_SIGNAL:
        word = Sentence("pretrain.word_larger", {"factor": f"{gain:.3g}"})
    elif gain < 1 / SAME_SIGNAL:
        word = Sentence("pretrain.word_smaller", {"factor": f"{1 / gain:.3g}"})
    else:
        word = Sentence("pretrain.word_same")
    pretrained, random = found.loss["pretrained"], found.loss["random"]
    losses = {"steps": steps, "p": f"{pretrained:.3f}", "r": f"{random:.3f}"}
    if not (math.isfinite(pretrained) and math.isfinite(random)):
        loss = Sentence("pretrain.verdict_loss_missing")
    elif abs(pretrained - random) < SAME_LOSS:
        loss = Sentence("pretrain.verdict_loss_same", losses)
    else:
        loss = Sentence(
            "pretrain.verdict_loss_better" if pretrained < random else "pretrain.verdict_loss_worse", losses
        )
    said = [
        Sentence(
            "pretrain.verdict_signal",
            {"p": sci(found.signal["pretrained"]), "r": sci(found.signal["random"]), "word": word},
        ),
        Sentence(
            "pretrain.verdict_updates",
            {"p": sci(found.update_ratio["pretrained"]), "r": sci(found.update_ratio["random"])},
        ),
        loss,
    ]
    if min(found.loss.values()) > NEAR_GUESS:
        said.append(Sentence("pretrain.verdict_chance"))
    return said
