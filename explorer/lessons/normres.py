"""The material's §4.2 (BatchNorm) and §4.3 (residual connections), measured on untrained networks.

Every figure is one forward and backward pass (step 0) of the lab's own network (engine.model: hidden
blocks linear -> norm -> activation, + an identity skip h_l = h_(l-1) + f(z_l) when residual), measured
with the lab's instruments: z_l is the input of the activation (after the norm), its spread is the std of
its entries over the batch and units, its saturation the share of units whose derivative is below 5% of
the activation's maximum, and the signal δ_l = ∂L/∂z_l is autograd's gradient there.

- BATCHNORM: a sigmoid net with large weights (LeCun x 4), with and without nn.BatchNorm1d: how spread
  out z_l is, and how many units sit in the sigmoid's flat tails.
- VARIANTS x DEPTHS: the article's plain sigmoid net (LeCun x 1) at depth 30 and 60, plain, with
  BatchNorm, with skips, with both: the share of the signal that reaches layer 1 (measures.flow_kind).
- The weight gradient under BatchNorm scales as 1/a when the weights are scaled by a (Ioffe & Szegedy
  2015, §3.3): measured by lessons.presets.ioffe2015.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import torch
import torch.nn.functional as F

from explorer.engine import activations, measures
from explorer.engine.config import RunConfig
from explorer.engine.instruments import LayerProbe, norms
from explorer.engine.train import setup

BATCHNORM = {
    norm: RunConfig(depth=30, activation="sigmoid", init="lecun", init_scale=4.0, norm=norm, steps=0)
    for norm in ("none", "batch")
}
VARIANTS = {  # name -> (norm, residual)
    "plain": ("none", False),
    "batch": ("batch", False),
    "residual": ("none", True),
    "both": ("batch", True),
}
DEPTHS = (30, 60)
SKIP_BASE = RunConfig(activation="sigmoid", init="lecun", init_scale=1.0, steps=0)

# A verdict on BatchNorm and saturation: it "fixes" saturation when the share of saturated units falls to
# at most half of what it was (and there was at least 1% to begin with); its spread counts as fixed when
# every layer's z has a std within 10% of 1 (BatchNorm's target at initialisation: gamma = 1, beta = 0).
SATURATION_FLOOR = 0.01
SATURATION_CUT = 0.5
SPREAD_TOLERANCE = 0.1


def skip_config(variant: str, depth: int) -> RunConfig:
    norm, residual = VARIANTS[variant]
    return SKIP_BASE.replace(depth=depth, norm=norm, residual=residual)


def all_configs() -> list[RunConfig]:
    """Every network the page measures (for the compute bound: each is one step-0 pass)."""
    return list(BATCHNORM.values()) + [skip_config(v, d) for v in VARIANTS for d in DEPTHS]


def step_zero(config: RunConfig) -> pd.DataFrame:
    """Per hidden layer at step 0: z_std, saturation, signal_norm (‖∂L/∂z_l‖ over the batch)."""
    x, y, model, batches, _, _ = setup(config)
    probe = LayerProbe(model, config.activation)
    idx = batches[0]
    F.cross_entropy(probe.forward(x[idx]), y[idx]).backward()
    hidden = [z.detach() for z in probe.z[:-1]]  # the last z is the output layer's logits
    stacked = torch.stack(hidden)
    return pd.DataFrame(
        {
            "step": 0,
            "layer": range(1, config.depth + 1),
            "z_std": stacked.flatten(1).double().std(dim=1).tolist(),
            "saturation": activations.saturated_fraction(config.activation, stacked).tolist(),
            "signal_norm": norms([z.grad for z in probe.z[:-1]]),
        }
    )


@dataclass(frozen=True)
class BatchNormFigures:
    layers: pd.DataFrame  # step_zero of both nets, with a "norm" column
    spread: dict[str, tuple[float, float]]  # norm -> (smallest, largest) z std over the layers
    saturation: dict[str, float]  # norm -> mean saturated share over the layers
    verdict: str  # fixes, already_fine, not_fixed


def batchnorm_verdict(saturation_off: float, saturation_on: float, spread_on: tuple[float, float]) -> str:
    if saturation_off < SATURATION_FLOOR:
        return "already_fine"
    spread_fixed = all(abs(s - 1.0) <= SPREAD_TOLERANCE for s in spread_on)
    if saturation_on <= SATURATION_CUT * saturation_off and spread_fixed:
        return "fixes"
    return "not_fixed"


def batchnorm() -> BatchNormFigures:
    frames = {norm: step_zero(config) for norm, config in BATCHNORM.items()}
    spread = {norm: (float(f.z_std.min()), float(f.z_std.max())) for norm, f in frames.items()}
    saturation = {norm: float(f.saturation.mean()) for norm, f in frames.items()}
    layers = pd.concat([f.assign(norm=norm) for norm, f in frames.items()], ignore_index=True)
    verdict = batchnorm_verdict(saturation["none"], saturation["batch"], spread["batch"])
    return BatchNormFigures(layers, spread, saturation, verdict)


@dataclass(frozen=True)
class SkipFigures:
    table: pd.DataFrame  # variant, depth, ratio (layer 1 / last hidden), kind, z_std_max, saturation
    layers: pd.DataFrame  # variant, depth, layer, z_std, saturation, signal_norm


def skips() -> SkipFigures:
    rows, per_layer = [], []
    for variant in VARIANTS:
        for depth in DEPTHS:
            frame = step_zero(skip_config(variant, depth))
            first, last = frame.signal_norm.iloc[0], frame.signal_norm.iloc[-1]
            ratio = float(first / last) if last > 0 else float("nan")  # measures.signal_ratio's definition
            rows.append(
                {
                    "variant": variant,
                    "depth": depth,
                    "ratio": ratio,
                    "kind": measures.flow_kind(ratio),
                    "z_std_max": float(frame.z_std.max()),
                    "saturation": float(frame.saturation.mean()),
                }
            )
            per_layer.append(frame.assign(variant=variant, depth=depth))
    return SkipFigures(pd.DataFrame(rows), pd.concat(per_layer, ignore_index=True))


# Verdicts on the skip table. Each compares two measured ratios; the factor thresholds are the flow
# verdict's own (measures: a factor of 10 either way).
HELP_FACTOR = 10.0  # skips "help" when layer 1 gets at least 10x the plain net's share
SATURATION_RISE = 0.1  # skips alone "saturate" when they add at least 10 points of saturated units


def _ratio_text(ratio: float) -> str:
    if ratio != ratio:
        return "—"
    if ratio == 0:
        return "0"
    return f"{ratio:.3g}" if 1e-2 <= ratio < 1e3 else f"{ratio:.1e}"


def skip_findings(table: pd.DataFrame) -> list[tuple[str, dict[str, str]]]:
    """(catalogue key under norm., numbers) for each finding the table supports, in reading order."""
    at = table.set_index(["variant", "depth"])
    shallow, deep = DEPTHS
    found: list[tuple[str, dict[str, str]]] = []
    for depth in DEPTHS:
        plain, residual = at.loc[("plain", depth), "ratio"], at.loc[("residual", depth), "ratio"]
        numbers = {"depth": str(depth), "plain": _ratio_text(plain), "residual": _ratio_text(residual)}
        helps = residual >= HELP_FACTOR * plain if plain == plain and residual == residual else False
        found.append(("finding_skips_help" if helps else "finding_skips_no_help", numbers))
    batch = at.loc[("batch", shallow), "ratio"], at.loc[("batch", deep), "ratio"]
    grows = batch[1] > batch[0] and batch[1] > measures.EXPLODING_ABOVE
    found.append(
        (
            "finding_batch_grows" if grows else "finding_batch_level",
            {"shallow": str(shallow), "deep": str(deep), "low": _ratio_text(batch[0]), "high": _ratio_text(batch[1])},
        )
    )
    both = at.loc[("both", deep), "ratio"]
    found.append(
        (
            "finding_both_smaller" if both < batch[1] else "finding_both_not_smaller",
            {
                "depth": str(deep),
                "batch": _ratio_text(batch[1]),
                "both": _ratio_text(both),
                "kind": at.loc[("both", deep), "kind"],
            },
        )
    )
    rise = at.loc[("residual", deep), "saturation"] - at.loc[("plain", deep), "saturation"]
    if rise >= SATURATION_RISE:
        found.append(
            (
                "finding_skips_saturate",
                {
                    "depth": str(deep),
                    "std": f"{at.loc[('residual', deep), 'z_std_max']:.3g}",
                    "share": f"{at.loc[('residual', deep), 'saturation']:.0%}",
                    "both_share": f"{at.loc[('both', deep), 'saturation']:.0%}",
                },
            )
        )
    return found


def ratio_text(ratio: float) -> str:
    """A signal ratio as the page prints it: 3 significant digits between 0.01 and 1000, else 1.0e-05."""
    return _ratio_text(ratio)
