"""The order-to-chaos map: ln chi_1 over (sigma_w^2, sigma_b^2), the critical line, the chosen point;
clicking a cell selects it (the selection parameter "cell" carries its sigma_w2 and sigma_b2)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import WIDTH
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
                alt.Tooltip("q_star:Q", title="q*", format=".3g"),
            ],
        )
        .transform_calculate(
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
