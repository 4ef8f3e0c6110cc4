"""The material's remedies (§4) as changes to a RunConfig, and the figures that compare two runs.

Each remedy is the real mechanism the engine runs (an nn activation with its matching init,
nn.BatchNorm1d / nn.LayerNorm, identity skips, clip_grad_norm_, the optimizer's weight decay).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd

from explorer.engine import measures, query
from explorer.engine.config import RunConfig
from explorer.lessons.verdict import Sentence, formatted

# remedy name -> the fields it changes. The ReLU family comes with He init, which keeps the signal's
# variance through units that output zero half the time (He et al. 2015). ELU keeps the config's init:
# its negative side is not zero, and He's factor 2 then makes a 10-layer net explode at lr 0.2.
REMEDIES: dict[str, dict] = {
    "relu": {"activation": "relu", "init": "he"},
    "leaky_relu": {"activation": "leaky_relu", "init": "he"},
    "elu": {"activation": "elu"},
    "batch_norm": {"norm": "batch"},
    "layer_norm": {"norm": "layer"},
    "residual": {"residual": True},
    "clipping": {"clip_norm": 1.0},
    "weight_decay": {"weight_decay": 1e-3},
}


@dataclass(frozen=True)
class RemedyChoice(query.Config):
    remedy: str = "relu"

    RULES: ClassVar[Mapping[str, Any]] = {"remedy": query.Choice(tuple(REMEDIES))}


def apply_remedy(config: RunConfig, remedy: str) -> RunConfig:
    if remedy not in REMEDIES:
        raise ValueError(f"remedy: must be one of {', '.join(REMEDIES)}; got {remedy!r}")
    return config.replace(**REMEDIES[remedy])


@dataclass(frozen=True)
class RemedyComparison:
    """The figures a verdict line quotes, from the two runs (NaN where a run recorded nothing)."""

    changed: bool  # False when the base config already had the remedy
    input_signal: tuple[float, float]  # layer-1 signal ||dL/dz_1|| at step 0, without and with
    signal_ratio: tuple[float, float]  # layer 1 / last hidden layer at step 0
    final_loss: tuple[float, float]
    final_accuracy: tuple[float, float]
    speed_gap: tuple[float, float]  # last hidden layer's mean update ratio over layer 1's
    diverged_at: tuple[int | None, int | None]


def compare_remedy(base_config: RunConfig, base, remedied_config: RunConfig, remedied) -> RemedyComparison:
    def input_signal(result) -> float:
        hidden = measures.hidden_at(result.layers, 0)
        return float(hidden.signal_norm.iloc[0]) if len(hidden) else math.nan

    def last(frame: pd.DataFrame, column: str) -> float:
        return float(frame[column].iloc[-1]) if len(frame) else math.nan

    pair = lambda f: (f(base), f(remedied))  # noqa: E731
    return RemedyComparison(
        changed=base_config != remedied_config,
        input_signal=pair(input_signal),
        signal_ratio=pair(lambda r: measures.signal_ratio(r.layers, 0)),
        final_loss=pair(lambda r: last(r.steps, "loss")),
        final_accuracy=pair(lambda r: last(r.steps, "accuracy")),
        speed_gap=pair(lambda r: measures.learning_speed_ratio(r.layers)),
        diverged_at=pair(lambda r: r.diverged_at),
    )


def tidy_pair(base, remedied, labels: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both runs' layers and steps stacked with a `run` column, for overlaid charts."""
    layers = pd.concat([base.layers.assign(run=labels[0]), remedied.layers.assign(run=labels[1])], ignore_index=True)
    steps = pd.concat([base.steps.assign(run=labels[0]), remedied.steps.assign(run=labels[1])], ignore_index=True)
    return layers, steps


def verdict(figures: RemedyComparison, remedy: str) -> list[Sentence]:
    """What the comparison says: that the base already had the remedy (when it did), and the figures of both
    runs (layer-1 signal, the flow ratio, final accuracy and loss)."""
    before, after = figures.input_signal
    said = [] if figures.changed else [Sentence("compare.unchanged", kind="info")]
    (ratio_before, ratio_after), (acc_before, acc_after) = figures.signal_ratio, figures.final_accuracy
    numbers = dict(
        remedy=Sentence(f"compare.remedy_{remedy}"),
        **formatted(".1e", before=before, after=after, ratio_before=ratio_before, ratio_after=ratio_after),
        **formatted(".0%", acc_before=acc_before, acc_after=acc_after),
        **formatted(".3f", loss_before=figures.final_loss[0], loss_after=figures.final_loss[1]),
    )
    return [*said, Sentence("compare.verdict", numbers), Sentence(f"compare.how_{remedy}", kind="caption")]
