"""AppTest of the normalisation and residual page: it renders in both languages with the measured verdicts."""

from __future__ import annotations

import pytest

from explorer import i18n
from explorer.charts.normres import residual_block
from explorer.lessons import normres
from tests.app.helpers import assert_clean, metrics, open_page, text_of

PAGE = "pages/normalisation_residual.py"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_shows_the_measured_figures_and_verdicts(lang):
    t = i18n.translator(lang)
    at = open_page(PAGE, {"lang": lang})
    assert_clean(at)
    bn, skips = normres.batchnorm(), normres.skips()
    shown = metrics(at)
    low, high = bn.spread["batch"]
    assert shown[t("norm.metric_spread_batch")] == f"{low:.3f} – {high:.3f}"
    assert shown[t("norm.metric_saturation_none")] == f"{bn.saturation['none']:.1%}"
    said = " ".join(str(s.value) for s in at.success) + " ".join(str(s.value) for s in at.info)
    verdict = t(
        f"norm.bn_verdict_{bn.verdict}",
        low=f"{bn.spread['none'][0]:.3f}",
        high=f"{bn.spread['none'][1]:.3f}",
        bn_low=f"{low:.3f}",
        bn_high=f"{high:.3f}",
        before=f"{bn.saturation['none']:.1%}",
        after=f"{bn.saturation['batch']:.1%}",
    )
    assert verdict in said
    text = text_of(at)
    for key, values in normres.skip_findings(skips.table):
        if "kind" in values:
            values = {**values, "kind": t(f"norm.kind_{values['kind']}")}
        assert t(f"norm.{key}", **values) in text
    frame = at.dataframe[0].value
    assert len(frame) == len(normres.VARIANTS) * len(normres.DEPTHS)
    assert list(frame.iloc[:, 2]) == [normres.ratio_text(r) for r in skips.table.ratio]
    assert len(at.get("vega_lite_chart")) == 4  # spread, saturation, signal at depth 30 and 60
    assert len(at.get("graphviz_chart")) == 1  # the residual block


def test_residual_diagram_has_the_identity_path():
    dot = residual_block(i18n.translator("en"))
    assert "x -> f -> sum" in dot  # the weight path
    assert 'x -> sum [label="  identity"' in dot  # the identity path, labelled
