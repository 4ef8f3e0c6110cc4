"""Each paper preset's PASS rule at every one of its thresholds: figures that pass comfortably, then one
figure at a time moved just inside and just outside its threshold. The presets are fixed runs (the papers
page has no controls), so the boundaries are reached here with figures built by hand; the thresholds are
written out from the rule each preset states on the page (papers.<name>.pass_rule), and the test also checks
that the stated rule names them.
"""

from __future__ import annotations

import pytest

from explorer import i18n
from explorer.lessons import presets

t = i18n.translator("en")

# figures that pass with room to spare (near the measured ones)
PASSING = {
    "glorot2010": dict(uniform_signal_ratio=0.013, uniform_grad_spread=1.2, xavier_signal_spread=1.1),
    "he2015": dict(
        xavier_loss_start=0.693,
        xavier_loss_end=0.693,
        xavier_accuracy=0.51,
        he_loss_start=0.65,
        he_loss_end=0.125,
        he_accuracy=0.93,
    ),
    "ioffe2015": dict(max_output_change=2e-5, max_gradient_error=4e-5, ratio_at_10=0.1, small_a_error=0.024),
    "he2016": dict(plain_ratio=5e-16, residual_ratio=4.0),
    "pascanu2013": dict(distance=59.0, ratio_far=2e-13, bound_far=2e-3, worst_bound_use=0.73, contrast_far=19.0),
    "material": dict(first=1.4e-9, last=6e-3, speed_ratio=4.3e6),
}

# (preset, figure, value just inside, value just outside, words of the stated rule that give the threshold)
EDGES = [
    ("glorot2010", "uniform_signal_ratio", 0.099, 0.101, "below a tenth"),
    ("glorot2010", "uniform_grad_spread", 1.99, 2.01, "within a factor 2"),
    ("glorot2010", "xavier_signal_spread", 1.99, 2.01, "within a factor 2"),
    ("he2015", "xavier_loss_end", 0.693 * 1.0099, 0.693 * 1.0101, "less than 1%"),
    ("he2015", "xavier_loss_end", 0.693 * 0.9901, 0.693 * 0.9899, "less than 1%"),
    ("he2015", "xavier_accuracy", 0.59, 0.61, "below 60%"),
    ("he2015", "he_loss_end", 0.65 * 0.59, 0.65 * 0.61, "more than 40%"),
    ("he2015", "he_accuracy", 0.81, 0.79, "exceeds 80%"),
    ("he2015", "he_accuracy", 0.81, 0.80, "exceeds 80%"),
    ("ioffe2015", "max_output_change", 0.99e-3, 1.01e-3, "less than 1e-3"),
    ("ioffe2015", "max_gradient_error", 0.99e-3, 1.01e-3, "within 1e-3"),
    ("he2016", "plain_ratio", 0.99e-6, 1.01e-6, "below 1e-6"),
    ("he2016", "residual_ratio", 0.51, 0.49, "above 0.5"),
    ("he2016", "residual_ratio", 0.51, 0.5, "above 0.5"),
    ("pascanu2013", "worst_bound_use", 1.0, 1.01, "at or below the bound"),
    ("pascanu2013", "ratio_far", 0.99e-2, 1.01e-2, "below 1e-2"),
    ("material", "speed_ratio", 100.0, 99.0, "at least 100×"),
]


@pytest.mark.parametrize("name", list(PASSING))
def test_the_comfortable_figures_pass(name):
    assert presets.passes(name, PASSING[name]) is True


@pytest.mark.parametrize(("name", "figure", "inside", "outside", "stated"), EDGES)
def test_each_threshold_passes_just_inside_and_fails_just_outside(name, figure, inside, outside, stated):
    assert presets.passes(name, {**PASSING[name], figure: inside}) is True
    assert presets.passes(name, {**PASSING[name], figure: outside}) is False
    assert stated in t(f"papers.{name}.pass_rule")


def test_every_preset_has_a_rule_and_every_rule_a_boundary_here():
    assert set(presets.PASS_RULES) == set(presets.PRESETS) == set(PASSING) == {edge[0] for edge in EDGES}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_accuracy_just_below_its_threshold_does_not_read_as_the_threshold(lang):
    """79.6% fails "exceeds 80%": the figure beside the FAIL must not round it to "80%"."""
    figures = {**PASSING["he2015"], "he_accuracy": 0.796, "xavier_accuracy": 0.604}
    assert presets.passes("he2015", figures) is False
    figure = i18n.translator(lang)("papers.he2015.figure", **figures)
    assert "79.6%" in figure and "60.4%" in figure
    assert "80%" not in figure.replace("79.6%", "") and "60%" not in figure.replace("60.4%", "")
