"""The normalisation-and-residual page states its verdicts on either side of each threshold. The page has no
controls (its networks are fixed), so the per-layer measurement of each network (normres.step_zero) is
replaced by tables built here: z's spread, the saturated share and ‖∂L/∂z‖ by layer are set so that each
figure lands just inside or just outside its threshold. The lesson computes its figures and verdicts from
those tables, and the page shows them, as for any measurement.

Thresholds, written out independently of the lesson:
- BatchNorm "fixes" saturation when, with at least 1% of the units saturated without it, it at least halves
  the share and keeps every layer's z standard deviation within 0.1 of 1;
- skips "help" when layer 1's share (layer 1 / last hidden layer) is at least 10× the plain net's;
- BatchNorm alone "grows" when its ratio rises with depth past 10; together with skips it is "smaller" when
  below BatchNorm's alone;
- skips alone "saturate" when they add at least 10 points of saturated units at the larger depth;
- the flow kind: below 0.1 vanishing, above 10 exploding.
"""

from __future__ import annotations

import functools

import pytest

from explorer.lessons import normres
from tests.app.boundary import own_cache
from tests.app.helpers import info_text, open_page, t, text_of

real_step_zero = functools.cache(normres.step_zero)  # the real tables' shape, computed once

# per case: BatchNorm (saturation without, with, z std range with), then each skip variant's
# (ratio at depth 30, ratio at depth 60, saturated share at depth 60)
CASES = {
    "inside": dict(
        bn=(0.0101, 0.00499, (0.905, 1.095)),
        plain=(1.0, 1.0, 0.05),
        residual=(10.01, 10.01, 0.1501),
        batch=(5.0, 10.01, 0.0),
        both=(3.0, 10.0, 0.0),
    ),
    "outside": dict(
        bn=(0.0099, 0.0, (1.0, 1.0)),
        plain=(1.0, 1.0, 0.05),
        residual=(9.99, 9.99, 0.1499),
        batch=(5.0, 9.99, 0.0),
        both=(3.0, 10.0, 0.0),
    ),
    "not_halved": dict(
        bn=(0.2, 0.1001, (1.0, 1.0)),
        plain=(1.0, 1.0, 0.05),
        residual=(10.01, 10.01, 0.1501),
        batch=(5.0, 10.01, 0.0),
        both=(3.0, 10.02, 0.0),
    ),
    "spread": dict(
        bn=(0.2, 0.0, (0.895, 1.0)),
        plain=(1.0, 1.0, 0.05),
        residual=(10.01, 10.01, 0.1501),
        batch=(5.0, 10.01, 0.0),
        both=(3.0, 10.02, 0.0),
    ),
}
NONE_SPREAD = (2.0, 4.25)  # z's standard deviation without BatchNorm: smallest, largest


def built(case: dict):
    """step_zero stand-in: the real table's shape, with z_std, saturation and signal_norm set per network."""

    def step_zero(config):
        frame = real_step_zero(config).copy()
        depth = config.depth
        if config.init_scale == normres.BATCHNORM["none"].init_scale:  # the BatchNorm comparison's two nets
            off, on, spread = case["bn"]
            low, high = spread if config.norm == "batch" else NONE_SPREAD
            frame["saturation"] = on if config.norm == "batch" else off
            frame["z_std"] = [low, high] + [(low + high) / 2] * (depth - 2)
            return frame
        variant = next(
            v for v, (norm, res) in normres.VARIANTS.items() if (norm, res) == (config.norm, config.residual)
        )
        at_30, at_60, saturated = case[variant]
        frame["signal_norm"] = [at_30 if depth == 30 else at_60] + [1.0] * (depth - 1)
        frame["saturation"] = saturated if depth == 60 else 0.0
        frame["z_std"] = 1.5
        return frame

    step_zero.__module__, step_zero.__qualname__ = normres.__name__, "step_zero"
    return step_zero


def ratio(value: float) -> str:
    return f"{value:.3g}"  # every ratio here lies between 0.01 and 1000, where the page prints 3 digits


def kind(value: float) -> str:
    return t("norm.kind_" + ("vanishing" if value < 0.1 else "exploding" if value > 10 else "stable"))


@pytest.mark.parametrize("name", list(CASES))
def test_the_page_states_each_verdict_on_either_side_of_its_threshold(monkeypatch, name):
    case = CASES[name]
    own_cache(monkeypatch, f"normres-{name}")
    monkeypatch.setattr(normres, "step_zero", built(case))
    at = open_page("pages/normalisation_residual.py")
    assert not at.exception, at.exception
    text = text_of(at) + "\n" + info_text(at) + "\n" + "\n".join(str(s.value) for s in at.success)

    off, on, (bn_low, bn_high) = case["bn"]
    expected_bn = (
        "already_fine"
        if off < 0.01
        else "fixes"
        if on <= off / 2 and max(abs(bn_low - 1), abs(bn_high - 1)) <= 0.1
        else "not_fixed"
    )
    assert (
        expected_bn
        == {"inside": "fixes", "outside": "already_fine", "not_halved": "not_fixed", "spread": "not_fixed"}[name]
    )
    numbers = dict(
        low=f"{NONE_SPREAD[0]:.3f}",
        high=f"{NONE_SPREAD[1]:.3f}",
        bn_low=f"{bn_low:.3f}",
        bn_high=f"{bn_high:.3f}",
        before=f"{off:.1%}",
        after=f"{on:.1%}",
    )
    assert t(f"norm.bn_verdict_{expected_bn}", **numbers) in text, text
    assert bool(at.success) is (expected_bn == "fixes")  # the page's success box is for "fixes" only

    plain, residual, batch, both = (case[v] for v in ("plain", "residual", "batch", "both"))
    for i, depth in enumerate((30, 60)):
        helps = residual[i] >= 10 * plain[i]
        key = "finding_skips_help" if helps else "finding_skips_no_help"
        said = t(f"norm.{key}", depth=depth, plain=ratio(plain[i]), residual=ratio(residual[i]))
        assert f"- {said}" in text, text
    grows = batch[1] > batch[0] and batch[1] > 10
    key = "finding_batch_grows" if grows else "finding_batch_level"
    assert f"- {t(f'norm.{key}', shallow=30, deep=60, low=ratio(batch[0]), high=ratio(batch[1]))}" in text
    key = "finding_both_smaller" if both[1] < batch[1] else "finding_both_not_smaller"
    said = t(f"norm.{key}", depth=60, batch=ratio(batch[1]), both=ratio(both[1]), kind=kind(both[1]))
    assert f"- {said}" in text, text
    saturates = residual[2] - plain[2] >= 0.1
    said = t("norm.finding_skips_saturate", depth=60, std="1.5", share=f"{residual[2]:.0%}", both_share="0%")
    assert (f"- {said}" in text) is saturates
    sides = (residual[0] >= 10 * plain[0], grows, both[1] < batch[1], saturates)
    assert sides == {"inside": (True,) * 4, "outside": (False,) * 4}.get(name, (True, True, False, True))
