"""Greedy layer-wise pretraining: the autoencoder stages learn, only pretraining separates the two arms,
the recorded signal equals autograd's on the pretrained network, and the page config's URL rules."""

import functools
import math

import numpy as np
import pandas as pd
import pytest
import torch
import torch.nn.functional as F

from explorer import i18n, run
from explorer.charts import pretrain as charts
from explorer.engine.train import setup
from explorer.lessons.pretrain import (
    ARMS,
    Figures,
    PretrainConfig,
    figures,
    final_loss,
    mean_update_ratios,
    pretrain_layers,
    run_pretraining,
    start_signal,
    verdict,
)

TINY = PretrainConfig(depth=4, width=16, pretrain_steps=100, steps=12, batch_size=64, dataset="moons")
t = i18n.translator("en")


result_of = functools.cache(run_pretraining)  # runs are deterministic: each config runs once


def test_result_has_both_arms_and_every_layer():
    result = result_of(TINY)
    assert set(result.layers.arm) == set(ARMS) and set(result.steps.arm) == set(ARMS)
    for arm in ARMS:
        layers = result.layers[result.layers.arm == arm]
        assert sorted(layers.layer.unique()) == [1, 2, 3, 4, 5]  # 4 hidden + output
        assert layers.step.max() == TINY.steps
    assert sorted(result.stages.layer.unique()) == [1, 2, 3, 4]
    assert result.diverged_at == {"pretrained": None, "random": None}


def test_each_autoencoder_stage_lowers_its_reconstruction_loss():
    stages = result_of(TINY).stages
    for layer, curve in stages.groupby("layer"):
        curve = curve.sort_values("step")
        assert curve.step.iloc[0] == 0 and curve.step.iloc[-1] == TINY.pretrain_steps
        assert curve.recon_loss.iloc[-1] < 0.7 * curve.recon_loss.iloc[0], f"stage {layer} did not learn"


def test_random_arm_is_the_engines_own_run():
    """The comparison is fair: the random-init arm reproduces explorer.run of the same RunConfig exactly."""
    mine = result_of(TINY).layers
    mine = mine[mine.arm == "random"].drop(columns="arm").reset_index(drop=True)
    engine = run(TINY.run_config()).layers
    pd.testing.assert_frame_equal(mine, engine)


def test_without_pretraining_steps_both_arms_are_identical():
    """Only pretraining separates the arms: with 0 autoencoder steps they are the same run."""
    result = run_pretraining(TINY.replace(pretrain_steps=0))
    signal = start_signal(result)
    np.testing.assert_array_equal(signal.pretrained.to_numpy(), signal.random.to_numpy())
    assert final_loss(result, "pretrained") == final_loss(result, "random")


def test_pretraining_changes_the_starting_per_layer_signal():
    signal = start_signal(result_of(TINY))
    relative = (signal.pretrained - signal.random).abs() / signal.random
    assert relative.max() > 0.3, relative  # measured: layer 1 receives ~2.3x the signal here
    weights = result_of(TINY).weights.pivot(index="layer", columns="arm", values="weight_norm")
    hidden = weights.loc[1:4]
    assert (hidden.pretrained != hidden.random).all()
    assert weights.loc[5, "pretrained"] == weights.loc[5, "random"]  # the output layer is not pretrained


def test_recorded_start_signal_equals_autograd_on_the_pretrained_net():
    """Rebuild the pretrained net, take dL/dz_l for the first fine-tuning batch with autograd.grad."""
    run_config = TINY.run_config()
    x, y, model, batches, _, _ = setup(run_config)
    pretrain_layers(model, x, TINY)
    xb, yb = x[batches[0]], y[batches[0]]
    zs, h = [], xb
    for block in model.hidden:
        z = block.linear(h)
        zs.append(z)
        h = torch.sigmoid(z)
    logits = model.output(h)
    zs.append(logits)
    grads = torch.autograd.grad(F.cross_entropy(logits, yb), zs)
    expected = [g.norm().item() for g in grads]
    recorded = result_of(TINY).layers
    recorded = recorded[(recorded.arm == "pretrained") & (recorded.step == 0)].sort_values("layer")
    np.testing.assert_allclose(recorded.signal_norm.to_numpy(), expected, rtol=1e-5)


def test_mean_update_ratios_are_positive_for_every_layer():
    ratios = mean_update_ratios(result_of(TINY))
    assert list(ratios.columns) == list(ARMS) and len(ratios) == TINY.depth + 1
    assert (ratios.to_numpy() > 0).all() and np.isfinite(ratios.to_numpy()).all()


def test_query_round_trip_and_hostile_values():
    config = PretrainConfig(depth=4, width=16, pretrain_steps=7, pretrain_lr=0.003, dataset="xor", seed=9)
    parsed, problems = PretrainConfig.from_query(config.to_query())
    assert parsed == config and problems == []
    parsed, problems = PretrainConfig.from_query(
        {"depth": "99", "lr": "nan", "pretrain_lr": "0", "dataset": "<script>", "seed": "1e99"}
    )
    assert parsed == PretrainConfig() and len(problems) == 5


def test_bound_rejects_the_largest_settings():
    assert PretrainConfig().bound_problem() is None
    assert PretrainConfig(depth=12, width=128, pretrain_steps=1000, steps=1000, batch_size=512).bound_problem()


@pytest.mark.parametrize("builder", ["start_signal", "mean_update_ratio"])
def test_per_layer_charts_are_log_scaled_with_exact_tooltips(builder):
    spec = getattr(charts, builder)(result_of(TINY).layers, t).to_dict()
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert any(tip.get("format") == ".3e" for tip in spec["encoding"]["tooltip"])
    assert spec["encoding"]["x"]["title"] == t("charts.layer_axis")


def test_reconstruction_chart_uses_the_layer_colour_scale_and_says_when_empty():
    spec = charts.reconstruction(result_of(TINY).stages, t).to_dict()
    assert spec["encoding"]["color"]["scale"]["scheme"] == "viridis"
    empty = charts.reconstruction(pd.DataFrame(columns=["layer", "step", "recon_loss"]), t).to_dict()
    assert empty["mark"]["type"] == "text"
    assert charts.loss_curves(result_of(TINY).steps, t).to_dict()["mark"]["type"] == "line"
    assert charts.start_weights(result_of(TINY).weights, t).to_dict()["encoding"]["y"]["scale"]["type"] == "log"


# ----- the verdict, pure: its wording near each threshold -------------------------------------------------


def figures_with(gain: float = 1.0, pretrained: float = 0.3, random: float = 0.3):
    arms = {"pretrained": 1.0, "random": 1.0}
    return Figures(
        first=1,
        signal={"pretrained": gain * 1e-3, "random": 1e-3},
        signal_gain=gain,
        flow=arms,
        update_ratio=arms,
        loss={"pretrained": pretrained, "random": random},
    )


def test_verdict_words_follow_the_measured_signal_gain():
    def word(gain):
        return verdict(figures_with(gain=gain), 300)[0].values["word"].key

    assert word(1.11) == "pretrain.word_larger" and word(1.09) == "pretrain.word_same"
    assert word(1 / 1.11) == "pretrain.word_smaller" and word(1 / 1.09) == "pretrain.word_same"
    assert verdict(figures_with(gain=2.5), 300)[0].values["word"].values == {"factor": "2.5"}


def test_verdict_on_the_final_losses():
    def loss_key(p, r):
        return verdict(figures_with(pretrained=p, random=r), 300)[2].key

    assert loss_key(0.30, 0.319) == "pretrain.verdict_loss_same"
    assert loss_key(0.30, 0.321) == "pretrain.verdict_loss_better"
    assert loss_key(0.321, 0.30) == "pretrain.verdict_loss_worse"
    assert loss_key(math.nan, 0.3) == "pretrain.verdict_loss_missing"
    assert [s.key for s in verdict(figures_with(pretrained=0.69, random=0.681), 300)][-1] == "pretrain.verdict_chance"
    assert "pretrain.verdict_chance" not in [s.key for s in verdict(figures_with(pretrained=0.69, random=0.679), 300)]


def test_figures_come_from_the_result():
    result = result_of(TINY)
    found, signal = figures(result), start_signal(result)
    assert found.signal_gain == signal.loc[1, "pretrained"] / signal.loc[1, "random"]
    assert found.flow["random"] == signal.loc[1, "random"] / signal.loc[TINY.depth, "random"]
    assert found.update_ratio["pretrained"] == mean_update_ratios(result).loc[1, "pretrained"]
    assert found.loss == {arm: final_loss(result, arm) for arm in ("pretrained", "random")}
