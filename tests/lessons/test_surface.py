"""The loss surface of one logistic neuron and the gradient-descent path over it: the surface against an
independent numpy formula, autograd's gradient against finite differences, descent against theory."""

import math

import numpy as np
import pytest
import torch

from explorer import i18n
from explorer.charts import why as charts
from explorer.lessons import surface
from explorer.lessons.surface import SurfaceConfig, descend

t = i18n.translator("en")
X = np.array(surface.INPUTS)
Y = np.array(surface.LABELS, dtype=float)


def numpy_loss(w: float, b: float) -> float:
    z = w * X + b  # log p = −log(1 + e⁻ᶻ), log(1 − p) = −log(1 + eᶻ), without cancellation
    return float(np.mean(Y * np.logaddexp(0, -z) + (1 - Y) * np.logaddexp(0, z)))


def test_surface_is_the_cross_entropy_of_the_neuron():
    grid = surface.surface()
    assert len(grid) == surface.GRID**2
    assert (grid.w.min(), grid.w.max()) == surface.WINDOW
    for row in grid.sample(25, random_state=0).itertuples():
        assert row.loss == pytest.approx(numpy_loss(row.w, row.b), rel=1e-12)


@pytest.mark.parametrize("point", [(-4.0, 4.0), (0.0, 0.0), (1.3, -2.2), (4.5, 4.5)])
def test_autograd_gradient_matches_finite_differences(point):
    w, b = point
    h = 1e-6
    fd = (
        (numpy_loss(w + h, b) - numpy_loss(w - h, b)) / (2 * h),
        (numpy_loss(w, b + h) - numpy_loss(w, b - h)) / (2 * h),
    )
    np.testing.assert_allclose(surface.gradient(w, b), fd, rtol=1e-6, atol=1e-9)


def test_minimum_is_a_stationary_point_below_every_grid_value():
    w, b, loss_star = surface.minimum()
    assert np.hypot(*surface.gradient(w, b)) < 1e-12
    point = torch.tensor([w, b], dtype=torch.float64)
    hessian = torch.autograd.functional.hessian(lambda p: surface.loss(p[0], p[1]), point)
    assert (torch.linalg.eigvalsh(hessian) > 0).all()  # a minimum, not a saddle
    assert surface.surface().loss.min() >= loss_star - 1e-12
    assert loss_star == pytest.approx(numpy_loss(w, b), rel=1e-12)


def test_first_step_is_minus_lr_times_the_gradient():
    config = SurfaceConfig(lr=0.7, start_w=-2.0, start_b=3.0, steps=3)
    path = descend(config).path
    gw, gb = surface.gradient(-2.0, 3.0)
    assert path.w.iloc[1] == pytest.approx(-2.0 - 0.7 * gw, rel=1e-14)
    assert path.b.iloc[1] == pytest.approx(3.0 - 0.7 * gb, rel=1e-14)
    assert path.grad_norm.iloc[0] == pytest.approx(math.hypot(gw, gb), rel=1e-14)


def test_small_learning_rate_decreases_the_loss_at_every_step():
    result = descend(SurfaceConfig(lr=0.5, start_w=-4.0, start_b=4.0, steps=200))
    assert (np.diff(result.path.loss) < 0).all()
    assert result.rises == 0
    assert result.outcome in ("descending", "converged")
    assert result.final.loss < result.start_loss / 5


def test_below_the_critical_rate_it_converges_above_it_it_cannot():
    """Near the minimum GD is linear: stable exactly when lr < 2/λ_max of the Hessian there."""
    critical = surface.critical_lr()
    w, b, _ = surface.minimum()
    start = dict(start_w=w + 0.2, start_b=b - 0.1, steps=400)
    stable = descend(SurfaceConfig(lr=0.9 * critical, **start))
    assert stable.outcome == "converged"
    assert stable.distance < 1e-8
    unstable = descend(SurfaceConfig(lr=1.1 * critical, **start))
    assert unstable.outcome != "converged"
    assert unstable.distance > 0.1
    assert unstable.rises > 0


def test_huge_learning_rate_gives_a_verdict_not_a_crash():
    result = descend(SurfaceConfig(lr=100.0, steps=500))
    assert result.outcome in ("rose", "oscillating")
    assert result.left_window
    assert np.isfinite(result.path[["w", "b", "loss"]].to_numpy()).all()


def test_hostile_query_falls_back_to_defaults():
    config, problems = SurfaceConfig.from_query({"lr": "inf", "start_w": "99", "steps": "ten", "start_b": "1.5"})
    assert config == SurfaceConfig(start_b=1.5)
    assert {p.split("=")[0] for p in problems} == {"lr", "start_w", "steps"}


def test_query_round_trip():
    config = SurfaceConfig(lr=3.25, start_w=-1.1, start_b=0.3, steps=17)
    assert SurfaceConfig.from_query(config.to_query()) == (config, [])


def test_landscape_chart_layers_surface_path_and_minimum():
    result = descend(SurfaceConfig(steps=10))
    spec = charts.loss_landscape(result.surface, result.path, result.minimum, t).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "line", "circle", "point", "point"]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["type"] == "log"
    assert all(layer["mark"].get("clip") for layer in spec["layer"][1:4])  # a path leaving the window is cut


def test_path_charts_use_log_axes_and_say_when_empty():
    result = descend(SurfaceConfig(steps=10))
    loss_spec = charts.loss_along_path(result.path, result.minimum[2], t).to_dict()
    assert loss_spec["encoding"]["y"]["scale"]["type"] == "log"
    grad_spec = charts.gradient_along_path(result.path, t).to_dict()
    assert grad_spec["encoding"]["y"]["scale"]["type"] == "log"
    empty = charts.loss_along_path(result.path.iloc[0:0], 0.0, t).to_dict()
    assert empty["mark"]["type"] == "text"


def test_verdict_follows_the_measured_outcome_and_the_critical_rate():
    critical = surface.critical_lr()
    below = SurfaceConfig(lr=critical * 0.99, steps=200)
    above = SurfaceConfig(lr=critical * 1.01, steps=200)
    said_below, said_above = surface.verdict(descend(below), below), surface.verdict(descend(above), above)
    assert said_below[1].key == "why.rate_below" and said_above[1].key == "why.rate_above"
    result = descend(SurfaceConfig())
    said = surface.verdict(result, SurfaceConfig())
    assert said[0].key == f"why.outcome_{result.outcome}"
    assert said[0].kind == ("success" if result.outcome in ("converged", "descending") else "warning")
    assert said[0].values["loss"] == f"{result.final.loss:.6g}" and said[0].values["critical"] == f"{critical:.4g}"
    assert ("why.left_window" in [s.key for s in said]) == result.left_window
