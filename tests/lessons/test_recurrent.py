"""RNN vs LSTM engine: ‖∂L/∂h_t‖ against an autograd oracle and against theory (geometric vanishing, growth,
Pascanu's bound), the LSTM's memory, config validation and URL parsing, determinism, the chart builders."""

import functools
import pickle

import numpy as np
import pandas as pd
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import i18n
from explorer.charts import recurrent as charts
from explorer.lessons.recurrent import (
    BATCH,
    HELD_OUT_COLUMNS,
    MAX_RECORDED,
    SPECTRAL_COLUMNS,
    TIME_GRAD_COLUMNS,
    SequenceConfig,
    SequenceResult,
    accuracy_frame,
    bound_profile,
    canonical,
    grads_at,
    initialise,
    lambda_at,
    learned_at,
    make_batch,
    per_step_factor,
    profile,
    reach,
    record_schedule,
    run_sequence,
)

t = i18n.translator("en")
T = 30


@functools.cache
def measured(**fields) -> SequenceResult:
    return run_sequence(SequenceConfig(**fields))


def at_start(**fields) -> SequenceResult:
    return measured(seq_len=T, steps=0, hidden=32, **fields)


# ----- shape of the result ----------------------------------------------------------------------------


def test_result_columns_are_exact_and_cover_every_time_step():
    result = measured(cell="lstm", seq_len=12, hidden=8, steps=10)
    assert list(result.time_grads.columns) == TIME_GRAD_COLUMNS == ["step", "t", "grad_norm"]
    assert list(result.steps.columns) == HELD_OUT_COLUMNS == ["step", "loss", "accuracy"]
    assert list(result.spectral.columns) == SPECTRAL_COLUMNS
    assert result.steps.step.tolist() == list(range(11)) == result.spectral.step.tolist()
    for _, group in result.time_grads.groupby("step"):
        assert group.t.tolist() == list(range(1, 13))
    assert np.isfinite(result.time_grads.grad_norm).all() and (result.time_grads.grad_norm > 0).all()


@pytest.mark.parametrize("steps, seq_len", [(0, 10), (1, 10), (300, 30), (1000, 10), (1000, 200), (77, 200)])
def test_record_schedule_is_even_bounded_and_keeps_both_ends(steps, seq_len):
    schedule = record_schedule(steps, seq_len)
    assert schedule[0] == 0 and schedule[-1] == steps
    assert len(schedule) <= MAX_RECORDED
    gaps = np.diff(schedule)
    if len(gaps):
        assert set(gaps[:-1]) <= {gaps[0]} and 0 < gaps[-1] <= gaps[0]


def test_result_is_plain_picklable_data():
    result = measured(cell="rnn", seq_len=8, hidden=8, steps=5)
    restored = pickle.loads(pickle.dumps(result))
    pd.testing.assert_frame_equal(restored.time_grads, result.time_grads)
    for value in vars(result).values():
        assert not isinstance(value, torch.nn.Module | torch.Tensor)


def test_same_seed_same_numbers_other_seed_other_numbers():
    config = SequenceConfig(cell="lstm", seq_len=10, hidden=8, steps=15, seed=4)
    first, second = run_sequence(config), run_sequence(config)
    pd.testing.assert_frame_equal(first.time_grads, second.time_grads)
    pd.testing.assert_frame_equal(first.steps, second.steps)
    pd.testing.assert_frame_equal(first.spectral, second.spectral)
    other = run_sequence(config.replace(seed=5))
    assert not np.allclose(other.time_grads.grad_norm, first.time_grads.grad_norm)


# ----- the measurement against an autograd oracle -------------------------------------------------------


def hand_written(cell: str, core: torch.nn.Module, x: torch.Tensor) -> list[torch.Tensor]:
    """The recurrence written out from the equations (PyTorch's gate order i, f, g, o), with nn's parameters."""
    w_ih, w_hh, b_ih, b_hh = core.weight_ih_l0, core.weight_hh_l0, core.bias_ih_l0, core.bias_hh_l0
    h = torch.zeros(x.shape[0], core.hidden_size)
    c = torch.zeros_like(h)
    hs = []
    for t_ in range(x.shape[1]):
        pre = x[:, t_] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        if cell == "rnn":
            h = torch.tanh(pre)
        else:
            i, f, g, o = pre.chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        hs.append(h)
    return hs


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_time_grads_equal_autograd_on_the_written_out_recurrence(cell):
    """Rebuild the step-0 network and batch, take ∂L/∂h_t with torch.autograd.grad through a hand-written
    recurrence, and compare with what run_sequence recorded."""
    config = SequenceConfig(cell=cell, seq_len=15, hidden=12, recurrent_scale=1.3, forget_bias=2.0, steps=0)
    recorded = grads_at(run_sequence(config), 0).to_numpy()
    model, generator, _ = initialise(config)
    x, y = make_batch(BATCH, config.seq_len, generator)
    hs = hand_written(cell, model.core, x)
    loss = F.cross_entropy(model.readout(hs[-1]), y)
    oracle = [g.norm().item() for g in torch.autograd.grad(loss, hs)]
    # autograd.grad w.r.t. every h_t gives the total derivative through all later steps: exactly ∂L/∂h_t
    np.testing.assert_allclose(recorded, oracle, rtol=1e-4, atol=1e-12)
    # and the unrolled network is the nn.RNN / nn.LSTM the training uses
    with torch.no_grad():
        torch.testing.assert_close(model(x), model.unrolled(x)[0], rtol=1e-5, atol=1e-6)


def test_forget_bias_sits_in_the_forget_gate_slice():
    model, _, _ = initialise(SequenceConfig(cell="lstm", hidden=8, forget_bias=2.5))
    b_ih, b_hh = model.core.bias_ih_l0.detach(), model.core.bias_hh_l0.detach()
    assert torch.equal(b_ih[8:16], torch.full((8,), 2.5))
    assert b_ih[:8].abs().sum() == 0 and b_ih[16:].abs().sum() == 0 and b_hh.abs().sum() == 0


def test_recurrent_scale_sets_the_std_of_weight_hh():
    model, _, _ = initialise(SequenceConfig(cell="rnn", hidden=64, recurrent_scale=2.0))
    assert model.core.weight_hh_l0.std().item() == pytest.approx(2.0 / 8.0, rel=0.05)


# ----- theory: vanishing, exploding, Pascanu's bound -------------------------------------------------------


def log_slope(grads: pd.Series) -> tuple[float, float]:
    """Least-squares slope of log10 ‖∂L/∂h_t‖ against t, and the fit's R²."""
    t_, y = grads.index.to_numpy(float), np.log10(grads.to_numpy())
    slope, intercept = np.polyfit(t_, y, 1)
    residual = y - (slope * t_ + intercept)
    return slope, 1 - residual.var() / y.var()


def test_rnn_gradient_shrinks_geometrically_toward_early_steps_for_small_weights():
    result = at_start(cell="rnn", recurrent_scale=0.3)
    grads = grads_at(result, 0)
    slope, r2 = log_slope(grads)
    assert slope > 0.2 and r2 > 0.95  # a straight line on a log axis: the same factor lost every step
    assert (np.diff(grads.to_numpy()) > 0).all()  # smaller at every earlier step
    assert reach(result) < 1e-8


def test_rnn_gradient_grows_toward_early_steps_for_large_weights():
    result = at_start(cell="rnn", recurrent_scale=3.0)
    grads = grads_at(result, 0)
    slope, _ = log_slope(grads)
    assert slope < -0.05
    assert reach(result) > 100 and per_step_factor(result) > 1.1


@pytest.mark.parametrize("scale", [0.3, 0.58, 1.0, 3.0])
def test_every_step_back_multiplies_the_rnn_gradient_by_at_most_lambda1(scale):
    """∂L/∂h_(t−1) = W_hhᵀ diag(tanh′) ∂L/∂h_t and |tanh′| ≤ 1, so each step can grow it by at most λ₁."""
    result = measured(cell="rnn", seq_len=T, hidden=32, recurrent_scale=scale, steps=20)
    for step in (0, 10, 20):
        grads = grads_at(result, step).to_numpy()
        lam = lambda_at(result, step)
        assert (grads[:-1] <= lam * grads[1:] * (1 + 1e-4)).all()


def test_lambda_below_one_means_the_measured_gradient_vanishes():
    result = at_start(cell="rnn", recurrent_scale=0.3)
    lam = lambda_at(result, 0)
    assert lam < 1
    assert reach(result) <= lam ** (T - 1) * (1 + 1e-4)
    bound = bound_profile(result, 0, "bound").set_index("t").grad_norm
    measured_profile = grads_at(result, 0)
    assert (measured_profile <= bound * (1 + 1e-4)).all()


def test_lambda1_is_the_spectral_norm_of_weight_hh():
    config = SequenceConfig(cell="rnn", hidden=16, recurrent_scale=0.8, steps=0)
    model, _, _ = initialise(config)
    singular = torch.linalg.svdvals(model.core.weight_hh_l0.detach())
    assert lambda_at(run_sequence(config), 0) == pytest.approx(singular.max().item(), rel=1e-5)


def test_lstm_keeps_far_more_gradient_at_early_steps_than_a_small_weight_rnn():
    rnn = at_start(cell="rnn", recurrent_scale=0.3)
    lstm = at_start(cell="lstm", recurrent_scale=0.3, forget_bias=1.0)
    assert reach(lstm) > 1e4 * reach(rnn)
    assert grads_at(lstm, 0).iloc[0] > 1e4 * grads_at(rnn, 0).iloc[0]


def test_forget_bias_sets_how_far_back_the_untrained_lstm_reaches():
    reaches = [reach(at_start(cell="lstm", forget_bias=b)) for b in (0.0, 1.0, 3.0)]
    assert reaches[0] < reaches[1] < reaches[2]
    assert reaches[2] > 1e3 * reaches[0]
    factors = [per_step_factor(at_start(cell="lstm", forget_bias=b)) for b in (0.0, 1.0, 3.0)]
    assert factors[0] < factors[1] < factors[2] < 1


def test_open_forget_gate_learns_what_a_small_weight_rnn_cannot():
    lstm = measured(cell="lstm", seq_len=20, forget_bias=3.0, steps=50)
    rnn = measured(cell="rnn", seq_len=20, recurrent_scale=0.3, steps=50)
    assert learned_at(lstm) is not None
    assert rnn.steps.accuracy.iloc[-1] < rnn.chance + 0.1


# ----- config ------------------------------------------------------------------------------------------


def test_defaults():
    config = SequenceConfig()
    assert (config.cell, config.forget_bias) == ("rnn", 1.0)
    assert not config.too_large()
    assert SequenceConfig(seq_len=200, hidden=64, steps=1000).too_large()


@pytest.mark.parametrize(
    "field, value",
    [
        ("cell", "gru"),
        ("seq_len", 1),
        ("seq_len", 201),
        ("seq_len", 3.0),
        ("hidden", 3),
        ("hidden", 65),
        ("hidden", True),
        ("recurrent_scale", 0.0),
        ("recurrent_scale", float("nan")),
        ("forget_bias", 6.0),
        ("forget_bias", float("-inf")),
        ("lr", 0.0),
        ("lr", 2.0),
        ("steps", -1),
        ("steps", 1001),
        ("seed", -1),
    ],
)
def test_bad_values_raise_naming_the_field(field, value):
    with pytest.raises(ValueError, match=rf"^{field}: "):
        SequenceConfig(**{field: value})


def test_query_round_trip():
    config = SequenceConfig(cell="lstm", seq_len=57, hidden=17, recurrent_scale=0.35, forget_bias=-1.5, lr=3e-3, seed=9)
    parsed, problems = SequenceConfig.from_query(config.to_query())
    assert parsed == config and problems == []


def test_bad_query_values_fall_back_with_a_note_per_field():
    parsed, problems = SequenceConfig.from_query({"seq_len": "-5", "hidden": "lots", "lr": "nan", "steps": "40"})
    assert parsed == SequenceConfig(steps=40)
    assert [p.split("=")[0] for p in problems] == ["seq_len", "hidden", "lr"]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([*SequenceConfig().to_query(), "other"]), st.text(max_size=40)))
def test_from_query_never_raises(query):
    config, problems = SequenceConfig.from_query(query)
    assert isinstance(config, SequenceConfig) and isinstance(problems, list)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from(list(SequenceConfig().to_query())), st.lists(st.text(max_size=12), max_size=3)))
def test_from_query_takes_repeated_parameters(query):
    config, _ = SequenceConfig.from_query(query)
    assert isinstance(config, SequenceConfig)


def test_canonical_drops_what_the_rnn_ignores():
    assert canonical(SequenceConfig(cell="rnn", forget_bias=3.0)) == SequenceConfig(cell="rnn")
    assert canonical(SequenceConfig(cell="lstm", forget_bias=3.0)).forget_bias == 3.0


# ----- charts ------------------------------------------------------------------------------------------


def encodings(chart) -> list[dict]:
    spec = chart.to_dict()
    return [part.get("encoding", {}) for part in [spec, *spec.get("layer", [])]]


def test_heatmap_colours_log_gradient_on_a_shared_domain_with_tooltips():
    result = measured(cell="lstm", seq_len=12, hidden=8, steps=10)
    domain = charts.shared_domain(result.time_grads)
    spec = charts.time_grad_heatmap(result.time_grads, t, title="x", domain=domain).to_dict()
    colour = spec["encoding"]["color"]
    assert colour["field"] == "log_grad"
    assert colour["scale"]["domain"] == pytest.approx(list(np.log10(domain)))
    assert spec["encoding"]["x"]["title"] and spec["encoding"]["y"]["title"]
    assert {tip["field"] for tip in spec["encoding"]["tooltip"]} == {"step", "t", "grad_norm"}


def test_profile_uses_a_log_axis_and_dashes_the_bound():
    result = measured(cell="rnn", seq_len=12, hidden=8, steps=10)
    curves = pd.concat([profile(result, 0, "RNN"), bound_profile(result, 0, "bound")])
    encoding = encodings(charts.time_grad_profile(curves, t, title="x"))[0]
    assert encoding["y"]["scale"]["type"] == "log"
    assert encoding["strokeDash"]["field"] == "style"
    assert encoding["color"]["scale"]["range"] == [charts.RNN_COLOUR, charts.RNN_COLOUR]


def test_an_lstm_keeps_its_colour_across_charts():
    runs = [measured(cell="lstm", seq_len=8, hidden=8, steps=4, forget_bias=b) for b in (0.0, 1.0, 3.0)]
    alone = charts.time_grad_profile(profile(runs[1], 0, "b=1"), t, title="x")
    together = charts.accuracy_chart(
        pd.concat([accuracy_frame(r, f"b={r.config.forget_bias:g}") for r in runs]), t, chance=0.25
    )
    alone_range = encodings(alone)[0]["color"]["scale"]["range"]
    together_scale = [e for e in encodings(together) if "color" in e][0]["color"]["scale"]
    assert alone_range == [together_scale["range"][together_scale["domain"].index("b=1")]]
    assert len(set(together_scale["range"])) == 3


def test_lambda_chart_marks_the_bound_at_one_and_accuracy_chart_marks_chance():
    result = measured(cell="rnn", seq_len=12, hidden=8, steps=10)
    lam = charts.lambda_chart(result.spectral, t).to_dict()
    zone = [v for v in lam["datasets"].values() if v and "high" in v[0]]
    assert zone and zone[0][0]["high"] == 1.0
    acc = charts.accuracy_chart(accuracy_frame(result, "RNN"), t, chance=result.chance).to_dict()
    guess = [v for v in acc["datasets"].values() if v and "chance" in v[0]]
    assert guess[0][0]["chance"] == 0.25


def test_charts_say_why_when_there_is_nothing_to_draw():
    empty = pd.DataFrame(columns=["step", "t", "grad_norm", "series", "cell", "forget_bias", "dashed"])
    for chart in (
        charts.time_grad_heatmap(empty, t, title="x"),
        charts.time_grad_profile(empty, t, title="x"),
        charts.lambda_chart(pd.DataFrame(columns=SPECTRAL_COLUMNS), t),
    ):
        assert chart.to_dict()["mark"]["type"] == "text"
