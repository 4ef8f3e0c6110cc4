"""The order-to-chaos verdict at its two boundaries: a depth scale ξ = 1/|ln χ₁| of 50 layers, i.e.
|ln χ₁| = 0.02 on either side of 1 (written out here, independently of chaos.CRITICAL_BAND), and χ₁ itself
against an independent mean-field computation: the fixed point q* of q = σ_w² E[tanh(√q z)²] + σ_b² and
χ₁ = σ_w² E[tanh′(√q* z)²], z ~ N(0, 1), by numpy's Gauss–Hermite quadrature and bisection.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer import i18n
from explorer.engine import chaos

BAND = 0.02
NODES, WEIGHTS = np.polynomial.hermite_e.hermegauss(161)
WEIGHTS = WEIGHTS / math.sqrt(2 * math.pi)  # E[g(z)] = Σ w g(x), z ~ N(0, 1)


def chi_oracle(sigma_w2: float, sigma_b2: float) -> float:
    def excess(q: float) -> float:
        return sigma_w2 * float(WEIGHTS @ np.tanh(math.sqrt(q) * NODES) ** 2) + sigma_b2 - q

    low, high = 1e-300, sigma_w2 + sigma_b2 + 1.0
    if excess(1e-12) <= 0:  # no positive root: q* = 0
        q = 0.0
    else:
        for _ in range(200):
            middle = 0.5 * (low + high)
            low, high = (middle, high) if excess(middle) > 0 else (low, middle)
        q = 0.5 * (low + high)
    return sigma_w2 * float(WEIGHTS @ (1 - np.tanh(math.sqrt(q) * NODES) ** 2) ** 2)


def sigma_w2_for(chi: float, sigma_b2: float = 0.0) -> float:
    """The σ_w² at which the oracle's χ₁ is `chi` (χ₁ grows with σ_w²)."""
    low, high = 0.1, 4.0
    for _ in range(100):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if chi_oracle(middle, sigma_b2) < chi else (low, middle)
    return 0.5 * (low + high)


EDGES = [  # (χ₁, phase): just outside and just inside each edge of the band
    (math.exp(-BAND) * (1 - 1e-3), "ordered"),
    (math.exp(-BAND) * (1 + 1e-3), "critical"),
    (math.exp(BAND) * (1 - 1e-3), "critical"),
    (math.exp(BAND) * (1 + 1e-3), "chaotic"),
]


@pytest.mark.parametrize(("chi", "phase"), EDGES)
def test_phase_on_either_side_of_each_edge_of_the_critical_band(chi, phase):
    assert chaos.phase(chi) == phase


@pytest.mark.parametrize("sigma_b2", [0.0, 0.05, 0.3])
@pytest.mark.parametrize(("chi", "phase"), EDGES)
def test_chi_near_the_edges_agrees_with_an_independent_mean_field_computation(chi, phase, sigma_b2):
    sigma_w2 = sigma_w2_for(chi, sigma_b2)
    measured = float(chaos.chi_1(np.array(sigma_w2), np.array(sigma_b2)))
    assert measured == pytest.approx(chi, rel=1e-5)
    assert chaos.phase(measured) == phase


def test_below_one_without_bias_chi_is_the_weight_variance():
    """q* = 0 when σ_b² = 0 and σ_w² ≤ 1: tanh′(0) = 1, so χ₁ = σ_w² exactly."""
    for sigma_w2 in (0.5, math.exp(-BAND) * (1 - 1e-3), math.exp(-BAND) * (1 + 1e-3)):
        assert chi_oracle(sigma_w2, 0.0) == pytest.approx(sigma_w2, rel=1e-12)
        assert float(chaos.chi_1(np.array(sigma_w2), np.array(0.0))) == pytest.approx(sigma_w2, rel=1e-12)


def test_the_critical_sentence_states_the_band_the_code_uses():
    for lang in ("en", "zh"):
        assert "|ln χ₁| < 0.02" in i18n.catalogue(lang)["chaos.verdict_critical"]


@pytest.mark.parametrize("side", [-1, 1])
def test_the_band_edge_is_exactly_a_depth_scale_of_50_layers(side):
    assert chaos.phase(math.exp(side * (BAND - 1e-9))) == "critical"
    assert chaos.phase(math.exp(side * (BAND + 1e-9))) == ("ordered" if side < 0 else "chaotic")
