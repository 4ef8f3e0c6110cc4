"""The order-to-chaos page names the phase on either side of both edges of the critical band, through its
own controls (σ_w² in the URL): χ₁ is set to just inside or just outside |ln χ₁| = 0.02 with an
independent mean-field computation (tests/lessons/test_order_chaos_boundary.py), and the measured factor
per layer is read from the raw run by layer number (tests/oracles.py).
"""

from __future__ import annotations

import functools
import math

import pytest

from explorer.engine.train import run
from explorer.lessons.order_chaos import ChaosPoint
from tests import oracles
from tests.app.boundary import read
from tests.app.helpers import open_page, text_of
from tests.lessons.test_order_chaos_boundary import EDGES, chi_oracle, sigma_w2_for

SIGMA_B2 = 0.05
PHASES = ("ordered", "critical", "chaotic")


@functools.cache
def measured_factor(point: ChaosPoint) -> float:
    return oracles.per_layer_factor(run(point.run_config()).layers, point.depth)


@pytest.mark.parametrize(("chi", "phase"), EDGES)
def test_the_page_names_the_phase_on_either_side_of_each_edge(chi, phase):
    point = ChaosPoint(sigma_w2=sigma_w2_for(chi, SIGMA_B2), sigma_b2=SIGMA_B2, depth=10, width=32)
    expected_chi = chi_oracle(point.sigma_w2, point.sigma_b2)
    at = open_page("pages/order_to_chaos.py", point.to_query())
    assert not at.exception, at.exception
    text = text_of(at)
    found = {p: read(f"chaos.verdict_{p}", text) for p in PHASES}
    assert [p for p, said in found.items() if said is not None] == [phase], text
    said = found[phase]
    assert float(said["chi"]) == pytest.approx(expected_chi, abs=1e-4)
    assert float(said["xi"]) == pytest.approx(1 / abs(math.log(expected_chi)), rel=2e-3)
    assert float(said["predicted"]) == pytest.approx(math.sqrt(expected_chi), abs=1e-4)
    assert said["measured"] == f"{measured_factor(point):.4f}"
    assert said["depth"] == "10"
