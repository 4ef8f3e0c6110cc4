"""The tour's experiments: each step's run through the engine and the lesson modules, read off into a
Measurement on the scale of the step's options. `measure(key)` is what the page caches."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from explorer.engine import measures, theory
from explorer.engine.config import RunConfig
from explorer.engine.train import TABLES_ONLY, run
from explorer.lessons import chain, cost, derivatives, exploding, presets, pretrain, recurrent, shallow, surface
from explorer.lessons.tour import STEPS, Measurement

CONFIGS = {step.key: step.config for step in STEPS}


def _pairs(**values: float) -> tuple[tuple[str, float], ...]:
    return tuple((name, float(value)) for name, value in values.items())


def _signal(config: RunConfig) -> tuple[float, float | None]:
    """Layer 1's step-0 signal over the last hidden layer's: measured, and the mean-field prediction."""
    measured = measures.signal_ratio(run(config, **TABLES_ONLY).layers, 0)
    prediction = theory.predict_signal(config)
    predicted = float(prediction.frame.predicted.iloc[0]) if prediction.applicable else None
    return measured, predicted


def _agrees(measured: float, predicted: float | None, decades: float = 1.0) -> bool:
    return predicted is not None and abs(math.log10(measured / predicted)) < decades


def why(config: surface.SurfaceConfig) -> Measurement:
    descent = surface.descend(config)
    low = descent.minimum[2]
    left = (float(descent.final.loss) - low) / (descent.start_loss - low)
    figures = _pairs(start=descent.start_loss, end=descent.final.loss, low=low, steps=config.steps)
    return Measurement(left, figures=figures, holds=descent.outcome == "descending" and left < 1e-2)


def slow(config: RunConfig) -> Measurement:
    layers = run(config, **TABLES_ONLY).layers
    means = measures.mean_update_ratio(layers)
    ratio = measures.learning_speed_ratio(layers)
    figures = _pairs(first=means.iloc[0], last=means.iloc[-2], layers=config.depth)
    return Measurement(ratio, figures=figures, holds=ratio >= 100)


def shallow_step(config: RunConfig) -> Measurement:
    k = config.freeze_first
    vanishing = shallow.compare_frozen(config)
    flowing = shallow.compare_frozen(shallow.FLOWING.replace(freeze_first=k))
    figures = _pairs(k=k, rest=config.depth - k, signal=vanishing.signal_ratio)
    return Measurement(
        vanishing.max_gap,
        references=_pairs(flowing=flowing.max_gap),
        figures=figures,
        holds=vanishing.overlap and not flowing.overlap,
    )


def chain_step(config: chain.ChainConfig) -> Measurement:
    result = chain.compute(config)
    grads = result.layers.set_index("layer")
    by_hand = abs(grads.grad_w[1] / grads.grad_w[4])
    autograd = abs(grads.grad_w_autograd[1] / grads.grad_w_autograd[4])
    slopes = result.neurons.slope
    between = result.factors.set_index("key").factor[["w4", "w3", "w2"]].prod()  # the three w·σ′(z)
    h3 = result.neurons.set_index("layer").h[3]
    figures = _pairs(w1=grads.grad_w[1], w4=grads.grad_w[4], top=slopes.max(), product=between, h3=h3)
    return Measurement(
        by_hand,
        references=_pairs(autograd=autograd),
        figures=figures,
        holds=math.isclose(by_hand, autograd, rel_tol=1e-9) and slopes.max() <= 0.25,
    )


def sigma(config: derivatives.DerivativesConfig) -> Measurement:
    result = derivatives.compute(config)
    row = result.peaks.set_index("activation").loc["sigmoid"]
    n = config.n_layers
    figures = _pairs(peak=row.peak, at=row.peak_x, n=n)
    holds = math.isclose(row.peak, 0.25, rel_tol=1e-9) and row.peak_x == 0
    return Measurement(float(row.best_product), theory=0.25**n, figures=figures, holds=holds)


def vanish(config: RunConfig) -> Measurement:
    measured, predicted = _signal(config)
    figures = _pairs(layers=config.depth, factor=measured ** (1 / (config.depth - 1)))
    return Measurement(measured, predicted, figures=figures, holds=measured < 1e-4 and _agrees(measured, predicted))


def explode(config: RunConfig) -> Measurement:
    measured, predicted = _signal(config)
    figures = _pairs(layers=config.depth, factor=measured ** (1 / (config.depth - 1)))
    return Measurement(measured, predicted, figures=figures, holds=measured > 100 and _agrees(measured, predicted))


def relu(config: RunConfig) -> Measurement:
    measured, predicted = _signal(config)
    he = config.replace(init="he")
    with_he, _ = _signal(he)
    figures = _pairs(layers=config.depth, factor=measured ** (1 / (config.depth - 1)))
    holds = measured < 1e-2 and 0.5 < with_he < 2 and _agrees(measured, predicted)
    return Measurement(measured, predicted, references=_pairs(he=with_he), figures=figures, holds=holds)


def elu(config: cost.CostConfig) -> Measurement:
    """A timing on this machine: measured and shown, never asserted (`holds` only says it was measured)."""
    costs = cost.measure_costs(config.n_elements).set_index("activation")
    by_sign = cost.measure_elu_by_sign(config.n_elements).set_index("inputs").forward_us
    figures = _pairs(
        elu_us=costs.total_us["elu"],
        relu_us=costs.total_us["relu"],
        negative_us=by_sign["negative"],
        positive_us=by_sign["positive"],
        elements=config.n_elements,
    )
    ratio = float(costs.total_rel["elu"])
    references = _pairs(leaky_relu=costs.total_rel["leaky_relu"])
    return Measurement(ratio, references=references, figures=figures, holds=math.isfinite(ratio) and ratio > 0)


def batchnorm(config: RunConfig) -> Measurement:
    values = presets.ioffe2015().values
    figures = _pairs(layer=presets.IOFFE_LAYER, change=values["max_output_change"])
    holds = math.isclose(values["ratio_at_10"], 0.1, rel_tol=1e-3) and values["max_output_change"] < 1e-3
    return Measurement(values["ratio_at_10"], theory=0.1, figures=figures, holds=holds)


def residual(config: RunConfig) -> Measurement:
    measured, predicted = _signal(config)
    plain, _ = _signal(config.replace(residual=False))
    holds = plain < 1e-6 and measured > 0.5 and _agrees(measured, predicted)
    return Measurement(
        measured, predicted, references=_pairs(plain=plain), figures=_pairs(layers=config.depth), holds=holds
    )


def lstm(config: recurrent.SequenceConfig) -> Measurement:
    measured = recurrent.reach(recurrent.run_sequence(config))
    rnn = recurrent.reach(recurrent.run_sequence(recurrent.canonical(config.replace(cell="rnn"))))
    open_gate = recurrent.reach(recurrent.run_sequence(config.replace(forget_bias=3.0)))
    references = _pairs(rnn=rnn, forget_3=open_gate)
    figures = _pairs(length=config.seq_len, bias=config.forget_bias)
    return Measurement(
        measured, references=references, figures=figures, holds=measured > 100 * rnn and open_gate > measured
    )


def pretrain_step(config: pretrain.PretrainConfig) -> Measurement:
    result = pretrain.run_pretraining(config)
    pretrained, random = pretrain.final_loss(result, "pretrained"), pretrain.final_loss(result, "random")
    figures = _pairs(pretrained=pretrained, random=random, steps=config.steps)
    return Measurement(pretrained / random, figures=figures, holds=pretrained < random)


@functools.lru_cache(maxsize=2)  # the clipping and the weight-decay steps read the same five runs
def _arms(config: exploding.ExplodingConfig):
    return exploding.arm_summary(exploding.run_exploding(config))


def clip(config: exploding.ExplodingConfig) -> Measurement:
    arms = _arms(config)
    clipped, bare = arms.loc["clip_norm"], arms.loc["none"]
    figures = _pairs(
        threshold=config.clip_norm,
        fired=clipped.fired_share,
        start=clipped.start_grad_norm,
        overflow=bare.diverged_at,
        loss=clipped.final_loss,
    )
    holds = not math.isnan(bare.diverged_at) and math.isnan(clipped.diverged_at)
    holds = holds and math.isclose(clipped.max_grad_norm, clipped.start_grad_norm)  # never above its start
    return Measurement(
        float(clipped.max_grad_norm), references=_pairs(none=bare.max_grad_norm), figures=figures, holds=holds
    )


def decay(config: exploding.ExplodingConfig) -> Measurement:
    arms = _arms(config)

    def survived(arm: str) -> float:
        at = arms.diverged_at[arm]
        return float(config.steps if math.isnan(at) else at)

    figures = _pairs(
        decay=config.weight_decay,
        shrink=config.lr * config.weight_decay,
        steps=config.steps,
        both_norm=arms.final_weight_norm["clip_norm_decay"],
        clip_norm=arms.final_weight_norm["clip_norm"],
    )
    holds = survived("weight_decay") < 10 and not math.isnan(arms.diverged_at["none"])
    holds = holds and arms.final_weight_norm["clip_norm_decay"] < arms.final_weight_norm["clip_norm"]
    return Measurement(survived("weight_decay"), references=_pairs(none=survived("none")), figures=figures, holds=holds)


MEASURES: dict[str, Callable] = {
    "why": why,
    "slow": slow,
    "shallow": shallow_step,
    "chain": chain_step,
    "sigma": sigma,
    "vanish": vanish,
    "explode": explode,
    "relu": relu,
    "elu": elu,
    "batchnorm": batchnorm,
    "residual": residual,
    "lstm": lstm,
    "pretrain": pretrain_step,
    "clip": clip,
    "decay": decay,
}


def measure(key: str) -> Measurement:
    """Run step `key`'s experiment (pure: the same key gives the same measurement, timings aside)."""
    if key not in MEASURES:
        raise ValueError(f"step: must be one of {', '.join(MEASURES)}; got {key!r}")
    return MEASURES[key](CONFIGS[key])
