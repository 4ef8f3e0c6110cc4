"""Every paper preset reproduces its claim (PASS from the run), the verdicts are computed rather than fixed
(a changed experiment turns them to FAIL), and the command line reports them with the right exit status."""

import math
import sys

import numpy as np
import pytest
import torch

from explorer import i18n
from explorer.charts.papers import preset_chart
from explorer.engine.config import RunConfig
from explorer.lessons import presets
from tests import background

t = i18n.translator("en")


@pytest.mark.parametrize("name", list(presets.PRESETS))
def test_preset_passes_with_finite_figures_and_a_chart(name):
    outcome = presets.evaluate(name)
    assert outcome.passed, (name, outcome.values)
    assert all(math.isfinite(v) for v in outcome.values.values())
    figure = t(f"papers.{name}.figure", **outcome.values)
    assert "⟦" not in figure
    for key in ("title", "claim", "citation", "pass_rule", "chart_title", "x_axis", "y_axis"):
        assert f"⟦papers.{name}.{key}⟧" != t(f"papers.{name}.{key}")
    assert "⟦" not in t(f"papers.{name}.config", **presets.PRESETS[name].settings)
    spec = preset_chart(name, outcome.data, t).to_dict()
    rows = [row for rows in spec["datasets"].values() for row in rows]
    assert len(rows) == len(outcome.data.dropna())
    assert all("⟦" not in row["label"] for row in rows)


def test_glorot_figures_match_the_engine_on_the_same_configs(measured):
    outcome = presets.evaluate("glorot2010")
    at0 = measured(**vars(presets.GLOROT["uniform"])).layers.query("step == 0").set_index("layer")
    assert outcome.values["uniform_signal_ratio"] == pytest.approx(at0.signal_norm[2] / at0.signal_norm[10])


def test_ioffe_gradient_scales_exactly_as_one_over_a():
    outcome = presets.evaluate("ioffe2015")
    measured = outcome.data[outcome.data.series == "gradient_ratio"].set_index("x").value
    for a in presets.IOFFE_EXACT:
        assert measured[a] == pytest.approx(1 / a, rel=1e-3)
    assert outcome.values["small_a_error"] > outcome.values["max_gradient_error"]  # BatchNorm's eps at a = 0.1


def test_pascanu_bound_holds_at_every_distance_for_several_lambdas():
    for lam in (0.3, 0.6, 0.95):
        norms = presets.rnn_state_gradients(lam, seed=1)
        distance = np.arange(len(norms))[::-1]
        assert (norms / norms[-1] <= lam**distance * (1 + 1e-9)).all()


def test_pascanu_state_gradients_equal_autograd_of_the_recurrence_written_out():
    """The oracle: h_t = tanh(W_ih x_t + W_hh h_(t-1)) unrolled by hand, dL/dh_t by torch.autograd.grad."""
    rnn, x, readout = presets.rnn_setup(0.9, seed=2)
    w_ih, w_hh = rnn.weight_ih_l0.detach(), rnn.weight_hh_l0.detach().requires_grad_(True)
    h = torch.zeros(x.shape[1], w_hh.shape[0], dtype=torch.float64)
    states = []
    for x_t in x:
        h = torch.tanh(x_t @ w_ih.T + h @ w_hh.T)
        states.append(h)
    grads = torch.autograd.grad(presets.rnn_loss(h, readout), states)
    expected = np.array([g.norm().item() for g in grads])
    np.testing.assert_allclose(presets.rnn_state_gradients(0.9, seed=2), expected, rtol=1e-10)
    singular = torch.linalg.svdvals(w_hh.detach())
    np.testing.assert_allclose(singular.numpy(), 0.9, rtol=1e-12)  # lambda_1 is what the preset says


def test_a_changed_experiment_fails(monkeypatch):
    # Glorot with the uniform init in both runs: the "normalised" run no longer keeps the signal level
    monkeypatch.setitem(presets.GLOROT, "xavier", presets.GLOROT["uniform"])
    assert not presets.evaluate("glorot2010").passed
    # the material's claim on a ReLU + He net: the first layers learn at the same pace, not 100x slower
    healthy = RunConfig(depth=10, width=64, activation="relu", init="he", lr=0.05, steps=60, batch_size=128)
    monkeypatch.setitem(presets.MATERIAL, "sigmoid", healthy)
    outcome = presets.evaluate("material")
    assert not outcome.passed and outcome.values["speed_ratio"] < 10


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="preset"):
        presets.evaluate("nope")


COMMAND_LINE = background.child([sys.executable, "-m", "explorer.lessons.presets"])


START_EARLY = {  # the command line's own process, started beside the tests before it (tests/background.py)
    "test_command_line_prints_one_line_per_preset_and_exits_zero": lambda: background.start(
        "presets.command_line", COMMAND_LINE, background.Child.kill, background.Child.wait
    )
}


def test_command_line_prints_one_line_per_preset_and_exits_zero():
    done = background.take("presets.command_line", COMMAND_LINE).result(timeout=300)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(lines) == len(presets.PRESETS)
    for line, name in zip(lines, presets.PRESETS, strict=True):
        assert line.startswith("PASS") and name in line


def test_command_line_exits_nonzero_when_a_preset_fails(monkeypatch, capsys):
    real = presets.evaluate("glorot2010")
    failing = presets.Outcome(real.name, False, real.values, real.data)
    monkeypatch.setattr(
        presets,
        "evaluate",
        lambda name: failing if name == "glorot2010" else presets.Outcome(name, True, {}, real.data),
    )
    monkeypatch.setattr(presets, "PRESETS", {"glorot2010": presets.PRESETS["glorot2010"]})
    assert presets.main() == 1
    assert capsys.readouterr().out.startswith("FAIL  glorot2010")
