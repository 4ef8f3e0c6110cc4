"""The normalisation and residual page's measurements against the lab's engine, and its verdicts at their
boundaries (synthetic numbers either side of each threshold) and on the measured networks."""

import math

import numpy as np
import pandas as pd
import pytest

from explorer import run
from explorer.engine import config as engine_config
from explorer.lessons import normres


@pytest.mark.parametrize(
    "config", [normres.BATCHNORM["none"], normres.BATCHNORM["batch"], normres.skip_config("both", 30)]
)
def test_step_zero_matches_the_engine_run(config):
    """Signal and saturation are the lab's own step-0 measurements of the same network."""
    mine = normres.step_zero(config)
    engine = run(config).layers
    engine = engine[(engine.step == 0) & (engine.layer <= config.depth)]
    np.testing.assert_allclose(mine.signal_norm, engine.signal_norm, rtol=1e-6)
    np.testing.assert_allclose(mine.saturation, engine.saturation, rtol=1e-6)


def test_batchnorm_standardises_every_layer():
    frame = normres.step_zero(normres.BATCHNORM["batch"])
    # each unit has mean 0 and (biased) variance 1/(1 + eps/var) over the batch; std over all entries ~ 1
    np.testing.assert_allclose(frame.z_std, 1.0, atol=2e-3)


@pytest.mark.parametrize(
    ("off", "on", "spread", "verdict"),
    [
        (0.0099, 0.0, (1.0, 1.0), "already_fine"),
        (0.01, 0.005, (1.0, 1.0), "fixes"),
        (0.01, 0.0051, (1.0, 1.0), "not_fixed"),
        (0.2, 0.0, (0.91, 1.09), "fixes"),
        (0.2, 0.0, (0.89, 1.0), "not_fixed"),
        (0.2, 0.0, (1.0, 1.11), "not_fixed"),
    ],
)
def test_batchnorm_verdict_at_its_boundaries(off, on, spread, verdict):
    assert normres.batchnorm_verdict(off, on, spread) == verdict


def test_batchnorm_measured_verdict():
    figures = normres.batchnorm()
    assert figures.saturation["none"] > 0.05  # large weights: measured 8.7% of the sigmoid units saturated
    assert figures.saturation["batch"] < 0.005
    assert figures.spread["none"][1] > 2  # measured 2.0 to 4.3
    assert figures.verdict == "fixes"


def table(**ratios_and_more) -> pd.DataFrame:
    """A skip table with every cell set; overrides as variant_depth=(ratio, saturation)."""
    rows = []
    for variant in normres.VARIANTS:
        for depth in normres.DEPTHS:
            ratio, saturation = ratios_and_more.get(f"{variant}_{depth}", (1.0, 0.0))
            rows.append(
                dict(variant=variant, depth=depth, ratio=ratio, kind="stable", z_std_max=1.0, saturation=saturation)
            )
    return pd.DataFrame(rows)


def keys(found):
    return [key for key, _ in found]


@pytest.mark.parametrize(("residual", "helps"), [(10.0, True), (9.99, False), (math.nan, False)])
def test_skips_help_needs_ten_times_the_plain_share(residual, helps):
    found = keys(normres.skip_findings(table(plain_30=(1.0, 0.0), residual_30=(residual, 0.0))))
    assert found[0] == ("finding_skips_help" if helps else "finding_skips_no_help")


@pytest.mark.parametrize(
    ("low", "high", "grows"), [(5.0, 10.0, False), (5.0, 10.01, True), (20.0, 15.0, False), (20.0, 21.0, True)]
)
def test_batchnorm_growth_needs_growth_with_depth_past_ten(low, high, grows):
    found = keys(normres.skip_findings(table(batch_30=(low, 0.0), batch_60=(high, 0.0))))
    assert ("finding_batch_grows" in found) == grows and ("finding_batch_level" in found) == (not grows)


@pytest.mark.parametrize(("both", "smaller"), [(99.9, True), (100.0, False)])
def test_both_is_judged_against_batchnorm_alone(both, smaller):
    found = keys(normres.skip_findings(table(batch_60=(100.0, 0.0), both_60=(both, 0.0))))
    assert ("finding_both_smaller" in found) == smaller


@pytest.mark.parametrize(("share", "saturates"), [(0.151, True), (0.149, False)])
def test_skips_saturate_needs_ten_more_points(share, saturates):
    found = keys(normres.skip_findings(table(plain_60=(1.0, 0.05), residual_60=(1.0, share))))
    assert ("finding_skips_saturate" in found) == saturates


def test_measured_skip_findings():
    """Depth 30 and 60, measured (seed 0): plain 3.9e-19 and 0 (flushed), skips 3.1 and 12, BatchNorm 387
    and 1032, both 84 and 268; skips alone saturate 64% of the units at depth 60."""
    figures = normres.skips()
    at = figures.table.set_index(["variant", "depth"])
    assert at.loc[("plain", 30), "kind"] == at.loc[("plain", 60), "kind"] == "vanishing"
    assert at.loc[("batch", 60), "ratio"] > at.loc[("batch", 30), "ratio"] > 10
    assert at.loc[("both", 60), "ratio"] < at.loc[("batch", 60), "ratio"]
    found = keys(normres.skip_findings(figures.table))
    assert found == [
        "finding_skips_help",
        "finding_skips_help",
        "finding_batch_grows",
        "finding_both_smaller",
        "finding_skips_saturate",
    ]
    assert set(figures.layers.depth) == set(normres.DEPTHS)


def test_the_page_is_within_the_compute_bound():
    seconds = sum(config.estimated_seconds() for config in normres.all_configs())
    assert seconds <= engine_config.MAX_RUN_SECONDS
    assert all(config.steps == 0 for config in normres.all_configs())


def test_ratio_text():
    assert normres.ratio_text(0.0) == "0"
    assert normres.ratio_text(math.nan) == "—"
    assert normres.ratio_text(3.1087) == "3.11"
    assert normres.ratio_text(386.77) == "387"
    assert normres.ratio_text(3.9e-19) == "3.9e-19"
    assert normres.ratio_text(1032.2) == "1.0e+03"
