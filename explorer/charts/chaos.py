"""The order-to-chaos map: ln chi_1 over (sigma_w^2, sigma_b^2), the critical line, the chosen point;
clicking a cell selects it (the selection parameter "cell" carries its sigma_w2 and sigma_b2). And two
inputs' correlation layer by layer: measured in wide random nets beside the mean-field c_l."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import QUANTITY_COLOURS, WIDTH
from explorer.i18n import Translator

SELECTION = "cell"
COLOUR_LIMIT = 0.5  # ln chi_1 beyond +-0.5 (xi < 2 layers) all look alike


def phase_map(grid: pd.DataFrame, line: pd.DataFrame, chosen: tuple[float, float], t: Translator) -> alt.Chart:
    cell = alt.selection_point(name=SELECTION, fields=["sigma_w2", "sigma_b2"], on="click", clear=False)
    x_scale = alt.Scale(domain=[0.4375, 4.0625], nice=False)
    y_scale = alt.Scale(domain=[-0.0125, 0.5125], nice=False)
    x = alt.X("sigma_w2:Q", title=t("chaos.weight_axis"), scale=x_scale)
    y = alt.Y("sigma_b2:Q", title=t("chaos.bias_axis"), scale=y_scale)
    cells = (
        alt.Chart(grid)
        .mark_rect()
        .encode(
            x=alt.X("x0:Q", title=t("chaos.weight_axis"), scale=x_scale),
            x2="x1:Q",
            y=alt.Y("y0:Q", title=t("chaos.bias_axis"), scale=y_scale),
            y2="y1:Q",
            color=alt.Color(
                "log_chi:Q",
                title=t("chaos.colour_legend"),
                scale=alt.Scale(scheme="redblue", reverse=True, domain=[-COLOUR_LIMIT, COLOUR_LIMIT], clamp=True),
                legend=alt.Legend(orient="right", gradientLength=200),
            ),
            opacity=alt.condition(cell, alt.value(1.0), alt.value(0.85)),
            tooltip=[
                alt.Tooltip("sigma_w2:Q", title="σ_w²", format=".3f"),
                alt.Tooltip("sigma_b2:Q", title="σ_b²", format=".3f"),
                alt.Tooltip("chi_1:Q", title="χ₁", format=".4f"),
                alt.Tooltip("depth_scale:Q", title=t("chaos.depth_scale"), format=".3g"),
                alt.Tooltip("c_star_text:N", title=t("correlation.c_star")),
                alt.Tooltip("xi_c_text:N", title=t("correlation.depth_scale")),
                alt.Tooltip("q_star:Q", title="q*", format=".3g"),
            ],
        )
        .transform_calculate(
            # q* = 0 (no bias, sigma_w^2 <= 1): no signal left, so no correlation: a dash, never "0"
            c_star_text="isValid(datum.c_star) ? format(datum.c_star, '.4f') : '—'",
            xi_c_text="isValid(datum.correlation_depth_scale) ? format(datum.correlation_depth_scale, '.3g') : '—'",
            x0="datum.sigma_w2 - 0.0625",
            x1="datum.sigma_w2 + 0.0625",
            y0="datum.sigma_b2 - 0.0125",
            y1="datum.sigma_b2 + 0.0125",
        )
        .add_params(cell)
    )
    critical = (
        alt.Chart(line.assign(name=t("chaos.critical_line")))
        .mark_line(color="black", strokeWidth=2.5)
        .encode(x=x, y=y, order="sigma_b2:Q", tooltip=[alt.Tooltip("name:N", title="")])
    )
    marker = (
        alt.Chart(pd.DataFrame({"sigma_w2": [chosen[0]], "sigma_b2": [chosen[1]]}))
        .mark_point(shape="diamond", size=220, filled=True, color="#ffd400", stroke="black", strokeWidth=1.5)
        .encode(x=x, y=y)
    )
    title = alt.Title(t("chaos.map_title"), subtitle=t("chaos.map_subtitle"), anchor="start")
    return alt.layer(cells, critical, marker, title=title).properties(width=WIDTH, height=380)


def correlation_chart(frame: pd.DataFrame, c_star: float, t: Translator) -> alt.Chart:
    """Measured correlation per layer (dots, bars: mean -+ 2 standard errors over the nets) and the
    mean-field c_l (lines), one colour per starting correlation; a dashed grey rule at c* where it exists."""
    data = frame.assign(pair=[t("correlation.pair", start=f"{s:.1f}") for s in frame.start])
    depth = int(data.layer.max())
    low = min(0.0, float(data.low.min()) - 0.02)
    x = alt.X("layer:Q", title=t("correlation.layer_axis"), scale=alt.Scale(domain=[-0.5, depth + 0.5], nice=False))
    y_scale = alt.Scale(domain=[low, 1.02], nice=False)
    y = alt.Y("measured:Q", title=t("correlation.axis"), scale=y_scale)
    pairs = sorted(data.pair.unique())
    colour = alt.Color(
        "pair:N",
        title=None,
        scale=alt.Scale(domain=pairs, range=QUANTITY_COLOURS[: len(pairs)]),
        legend=alt.Legend(orient="top"),
    )
    tooltip = [
        alt.Tooltip("pair:N", title=""),
        alt.Tooltip("layer:Q", title=t("correlation.layer_axis")),
        alt.Tooltip("measured:Q", title=t("correlation.measured"), format=".3f"),
        alt.Tooltip("predicted:Q", title=t("correlation.predicted"), format=".3f"),
    ]
    base = alt.Chart(data).encode(x=x, color=colour)
    title = t("correlation.axis")
    lines = base.mark_line(strokeWidth=2).encode(y=alt.Y("predicted:Q", title=title, scale=y_scale), tooltip=tooltip)
    bars = base.mark_rule(opacity=0.6).encode(y=alt.Y("low:Q", title=title, scale=y_scale), y2="high:Q")
    dots = base.mark_point(filled=True, size=45).encode(y=y, tooltip=tooltip)
    layers = [lines, bars, dots]
    subtitle = t("correlation.subtitle")
    if c_star == c_star:  # not NaN (q* = 0 leaves no c* to mark)
        rule = pd.DataFrame({"c_star": [c_star]})
        line = alt.Chart(rule).mark_rule(color="grey", strokeDash=[6, 4]).encode(y=alt.Y("c_star:Q", title=title))
        layers.insert(0, line)
        subtitle += " " + t("correlation.c_star_rule", c_star=f"{c_star:.4f}")
    heading = alt.Title(t("correlation.title"), subtitle=subtitle, anchor="start")
    return alt.layer(*layers, title=heading).properties(width=WIDTH, height=320)
