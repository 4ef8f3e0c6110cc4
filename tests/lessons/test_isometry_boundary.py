"""The Jacobian-spectrum verdict and figures at their boundaries, from figures and spectra built by hand.

Thresholds, written out independently of the lesson: isometric when the largest singular value is less than
1.5× the smallest; otherwise "the norm hides" the shrinking directions when the mean squared stretch lies
strictly between 0.5 and 2 (what a norm measurement would call healthy), else "spread". A direction counts
as shrunk when its singular value is below a tenth of the root mean square.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from explorer.lessons import isometry


def found(condition: float, mean_square: float = 1.0, shrunk: float = 0.3) -> isometry.Figures:
    return isometry.Figures(
        mean_square=mean_square, largest=2.0, smallest=0.1, condition=condition, shrunk=shrunk, zero=0.0
    )


@pytest.mark.parametrize(
    ("condition", "mean_square", "kind"),
    [
        (1.49, 1.0, "isometric"),
        (1.49, 5.0, "isometric"),  # alike in every direction, whatever the size
        (1.5, 1.0, "norm_hides"),
        (1.51, 1.0, "norm_hides"),
        (10.0, 0.5, "spread"),
        (10.0, 0.505, "norm_hides"),
        (10.0, 1.99, "norm_hides"),
        (10.0, 2.0, "spread"),
        (10.0, 2.01, "spread"),
    ],
)
def test_verdict_kind_on_either_side_of_each_threshold(condition, mean_square, kind):
    said = isometry.verdict(found(condition, mean_square))
    assert said.key == f"spectrum.verdict_{kind}"
    assert said.values == {"mean_square": f"{mean_square:.3g}", "shrunk": "30%", "condition": f"{condition:.3g}"}


@pytest.mark.parametrize(("tenths", "shrunk"), [(0.099, 0.25), (0.101, 0.0)])
def test_a_direction_is_shrunk_below_a_tenth_of_the_rms(tenths, shrunk):
    """Singular values 10, 10, 10, x: x is set to just below or just above a tenth of their rms."""
    x = tenths * math.sqrt(75)  # a tenth of the rms is sqrt((300 + x²)/4)/10 ≈ 0.866
    values = [10.0, 10.0, 10.0, x]
    rms = math.sqrt(sum(v * v for v in values) / 4)
    assert (x < 0.1 * rms) is (shrunk > 0)
    figures = isometry.figures(pd.DataFrame({"sample": 0, "index": range(4), "singular_value": values}))
    assert figures.shrunk == shrunk
    assert figures.mean_square == pytest.approx(rms**2, rel=1e-15)
    assert figures.condition == pytest.approx(10.0 / x, rel=1e-15)


def test_condition_is_the_median_over_samples_and_zero_counts_killed_directions():
    values = {0: [2.0, 1.0], 1: [3.0, 1.0], 2: [8.0, 0.0]}  # conditions 2, 3, ∞: median 3
    frame = pd.DataFrame(
        [{"sample": s, "index": i, "singular_value": v} for s, vs in values.items() for i, v in enumerate(vs)]
    )
    figures = isometry.figures(frame)
    assert figures.condition == 3.0
    assert figures.zero == pytest.approx(1 / 6)
