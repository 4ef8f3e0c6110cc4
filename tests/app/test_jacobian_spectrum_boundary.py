"""The Jacobian-spectrum page's verdict on either side of the "healthy norm" thresholds (a mean squared stretch
of 0.5 and of 2), reached through its own controls: a linear net with Gaussian weights, whose hidden-to-
hidden Jacobian is the product of its weight matrices, so its singular values scale as init_scale^(depth−1).
The expected numbers come from those matrices multiplied and decomposed here with numpy, not from the page's
autograd Jacobians. The isometric threshold (largest ÷ smallest < 1.5) cannot be set through the controls:
a linear orthogonal net is exactly 1, a Gaussian one far above; tests/lessons/test_isometry_boundary.py
tests it with hand-built figures.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from explorer.engine.model import build
from explorer.lessons.isometry import SpectrumConfig
from tests.app.helpers import metrics, open_page, t, text_of

PAGE = "pages/jacobian_spectrum.py"
BASE = SpectrumConfig(depth=3, width=8, activation="linear", init="lecun")


def singular_values(settings: SpectrumConfig) -> np.ndarray:
    """h₁ → h_L of a linear net: W_L ⋯ W₂ (biases do not enter), decomposed by numpy."""
    config = settings.run_config()
    model = build(config, torch.Generator().manual_seed(config.seed)).double()
    product = np.eye(config.width)
    for block in list(model.hidden)[1:]:
        product = block.linear.weight.detach().numpy() @ product
    return np.linalg.svd(product, compute_uv=False)


def scale_for(mean_square: float) -> float:
    """The init_scale at which the mean squared singular value is `mean_square` (σ ∝ scale^(depth−1))."""
    at_one = float(np.mean(singular_values(BASE.replace(init_scale=1.0)) ** 2))
    return (mean_square / at_one) ** (1 / (2 * (BASE.depth - 1)))


@pytest.mark.parametrize(
    ("target", "kind"),
    [(2 * 0.99, "norm_hides"), (2 * 1.01, "spread"), (0.5 * 1.01, "norm_hides"), (0.5 * 0.99, "spread")],
)
def test_the_page_says_the_norm_hides_only_between_half_and_two(target, kind):
    settings = BASE.replace(init_scale=round(scale_for(target), 6))
    values = singular_values(settings)
    mean_square, condition = float(np.mean(values**2)), float(values.max() / values.min())
    assert abs(mean_square / target - 1) < 1e-3 and condition >= 1.5  # the oracle lands where intended
    shrunk = float(np.mean(values < 0.1 * np.sqrt(mean_square)))
    at = open_page(PAGE, settings.to_query())
    assert not at.exception, at.exception
    said = t(
        f"spectrum.verdict_{kind}",
        mean_square=f"{mean_square:.3g}",
        shrunk=f"{shrunk:.0%}",
        condition=f"{condition:.3g}",
    )
    assert said in text_of(at), text_of(at)
    other = {"norm_hides": "spread", "spread": "norm_hides"}[kind]
    assert t(f"spectrum.verdict_{other}", mean_square="X", shrunk="X", condition="X").split("X")[0] not in text_of(at)
    assert metrics(at)[t("spectrum.metric_mean_square")] == f"{mean_square:.3g}"
