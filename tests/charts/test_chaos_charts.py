"""The order-to-chaos charts: the map's tooltip carries c* and xi_c (a dash where undefined, never 0),
the correlation chart draws measurement and theory and marks c* only where it exists."""

import math

import pandas as pd

from explorer.charts import chaos as charts
from explorer.i18n import translator
from explorer.lessons import order_chaos

t = translator("en")


def rows(spec: dict) -> list[pd.DataFrame]:
    return [pd.DataFrame(data) for data in spec["datasets"].values()]


def test_map_tooltip_shows_c_star_and_xi_c_beside_xi():
    grid = order_chaos.phase_map()
    spec = charts.phase_map(grid, order_chaos.critical_line(), (1.75, 0.05), t).to_dict()
    cells = spec["layer"][0]
    titles = [tip["title"] for tip in cells["encoding"]["tooltip"]]
    assert titles.index(t("chaos.depth_scale")) + 1 == titles.index(t("correlation.c_star"))
    assert t("correlation.depth_scale") in titles
    calculated = {step["as"]: step["calculate"] for step in cells["transform"] if "calculate" in step}
    assert calculated["c_star_text"].startswith("isValid(datum.c_star)") and "'—'" in calculated["c_star_text"]
    shipped = pd.concat(rows(spec))
    assert {"c_star", "correlation_depth_scale"} <= set(shipped.columns)


def test_correlation_chart_layers_and_the_c_star_rule():
    found = order_chaos.correlation_run(4.0, 0.05, 5)
    spec = charts.correlation_chart(found.frame, 0.165, t).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rule", "line", "rule", "point"]
    shipped = pd.concat(rows(spec), ignore_index=True)
    assert spec["title"]["subtitle"].endswith("c* = 0.1650.") and 0.165 in set(shipped.c_star.dropna())
    low, high = spec["layer"][1]["encoding"]["y"]["scale"]["domain"]
    assert low <= found.frame.low.min() and high >= found.frame.high.max()
    assert set(shipped.pair.dropna()) == {t("correlation.pair", start="0.2"), t("correlation.pair", start="0.9")}
    without = charts.correlation_chart(found.frame, math.nan, t).to_dict()
    assert len(without["layer"]) == 3  # no c* to mark (q* = 0)
