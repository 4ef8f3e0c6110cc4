"""Charts of the activation-derivatives page: the sigmoid and its derivative, every activation's f and
f′, the best-case product over n layers (log axis), and the per-layer factor |w|·σ′(z).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, log_domain, positive
from explorer.i18n import Translator

ACTIVATION_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
ABOVE_ONE = "#d62728"


def sigmoid_and_slope(curves: pd.DataFrame, t: Translator, *, height: int = 300) -> alt.Chart:
    """σ(x) and σ′(x) on one axis, the peak σ′(0) = 0.25 marked with its measured value."""
    sigmoid = curves[curves.activation == "sigmoid"]
    if sigmoid.empty:
        return empty_chart(t("activations.chart_missing"))
    tidy = pd.concat(
        [
            pd.DataFrame({"x": sigmoid.x, "value": sigmoid.f, "curve": t("activations.sigma")}),
            pd.DataFrame({"x": sigmoid.x, "value": sigmoid.df, "curve": t("activations.sigma_slope")}),
        ]
    )
    top = sigmoid.loc[sigmoid.df.idxmax()]
    peak = pd.DataFrame({"x": [top.x], "value": [top.df], "label": [t("activations.peak_label", peak=f"{top.df:.4g}")]})
    colour = alt.Color(
        "curve:N",
        title=None,
        scale=alt.Scale(
            domain=[t("activations.sigma"), t("activations.sigma_slope")], range=list(QUANTITY_COLOURS[:2])
        ),
        legend=alt.Legend(orient="top"),
    )
    x = alt.X("x:Q", title=t("activations.axis_x"))
    y = alt.Y("value:Q", title=t("activations.axis_value"), scale=alt.Scale(domain=[0, 1]))
    lines = (
        alt.Chart(tidy)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("curve:N", title=t("activations.tip_curve")),
                alt.Tooltip("x:Q", format=".2f"),
                alt.Tooltip("value:Q", title=t("activations.tip_value"), format=EXACT),
            ],
        )
    )
    quarter = alt.Chart(peak).mark_rule(color="#888", strokeDash=[4, 4]).encode(y="value:Q")
    dot = alt.Chart(peak).mark_point(filled=True, size=90, color=QUANTITY_COLOURS[1]).encode(x=x, y=y)
    label = alt.Chart(peak).mark_text(align="left", dx=10, dy=-10, fontSize=13).encode(x=x, y=y, text="label:N")
    title = alt.Title(t("activations.sigmoid_title"), subtitle=t("activations.sigmoid_subtitle"), anchor="start")
    return alt.layer(lines, quarter, dot, label, title=title).properties(width=WIDTH, height=height)


def all_activations(curves: pd.DataFrame, column: str, t: Translator, *, height: int = 300) -> alt.Chart:
    """`column` ("f" or "df") of every activation, one colour each; click the legend to pick one out."""
    if curves.empty:
        return empty_chart(t("activations.chart_missing"))
    names = list(dict.fromkeys(curves.activation))
    data = curves.assign(name=[t(f"names.activation.{a}") for a in curves.activation])
    labels = [t(f"names.activation.{a}") for a in names]
    pick = alt.selection_point(fields=["name"], bind="legend")
    y_title = t("activations.axis_f") if column == "f" else t("activations.axis_df")
    chart = (
        alt.Chart(
            data,
            title=alt.Title(
                t(f"activations.all_{column}_title"), subtitle=t(f"activations.all_{column}_subtitle"), anchor="start"
            ),
        )
        .mark_line(strokeWidth=2.2)
        .encode(
            x=alt.X("x:Q", title=t("activations.axis_x")),
            y=alt.Y(f"{column}:Q", title=y_title),
            color=alt.Color(
                "name:N",
                title=None,
                scale=alt.Scale(domain=labels, range=list(ACTIVATION_COLOURS[: len(labels)])),
                legend=alt.Legend(orient="right"),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.12)),
            tooltip=[
                alt.Tooltip("name:N", title=t("activations.tip_activation")),
                alt.Tooltip("x:Q", format=".2f"),
                alt.Tooltip(f"{column}:Q", title=y_title, format=EXACT),
            ],
        )
        .add_params(pick)
    )
    if column == "df":
        quarter = alt.Chart(pd.DataFrame({"df": [0.25]})).mark_rule(color="#888", strokeDash=[4, 4]).encode(y="df:Q")
        return alt.layer(chart, quarter).properties(width=WIDTH, height=height)
    return chart.properties(width=WIDTH, height=height)


def depth_products(products: pd.DataFrame, t: Translator, *, w_abs: float, height: int = 300) -> alt.Chart:
    """0.25ⁿ and (|w|·0.25)ⁿ against the number of layers n, on a log axis, with 1 marked."""
    data = positive(products, "product")
    if data.empty:
        return empty_chart(t("activations.chart_missing"))
    data = data.assign(series=[t(f"activations.series_{q}", w=f"{w_abs:g}") for q in data.quantity])
    series = [t(f"activations.series_{q}", w=f"{w_abs:g}") for q in ("sigmoid_alone", "with_weight")]
    domain = log_domain(np.append(data["product"].to_numpy(), 1.0))
    y = alt.Y("product:Q", title=t("activations.axis_product"), scale=alt.Scale(type="log", domain=domain))
    n_max = int(products.n.max())
    lines = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(
                "n:Q",
                title=t("activations.axis_layers"),
                scale=alt.Scale(domain=[1, max(n_max, 2)]),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            y=y,
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=[QUANTITY_COLOURS[1], QUANTITY_COLOURS[3]]),
                legend=alt.Legend(orient="top", labelLimit=400),
            ),
            tooltip=[
                alt.Tooltip("series:N", title=t("activations.tip_curve")),
                alt.Tooltip("n:Q", title=t("activations.axis_layers")),
                alt.Tooltip("product:Q", title=t("activations.tip_value"), format=EXACT),
            ],
        )
    )
    one = alt.Chart(pd.DataFrame({"product": [1.0]})).mark_rule(color="#888", strokeDash=[4, 4]).encode(y=y)
    title = alt.Title(t("activations.depth_title"), subtitle=t("activations.depth_subtitle"), anchor="start")
    return alt.layer(one, lines, title=title).properties(width=WIDTH, height=height)


def weight_factor(factor: pd.DataFrame, t: Translator, *, w_abs: float, height: int = 300) -> alt.Chart:
    """|w|·σ′(z) over z, with the part above 1 (where the gradient grows) shaded."""
    if factor.empty:
        return empty_chart(t("activations.chart_missing"))
    data = factor.assign(top=np.maximum(factor.factor, 1.0), one=1.0)
    x = alt.X("z:Q", title=t("activations.axis_z"))
    y_max = max(float(data.factor.max()), 1.0) * 1.1
    y = alt.Y("factor:Q", title=t("activations.axis_factor", w=f"{w_abs:g}"), scale=alt.Scale(domain=[0, y_max]))
    shade = (
        alt.Chart(data[data.factor > 1])
        .mark_area(color=ABOVE_ONE, opacity=0.3)
        .encode(x=x, y=alt.Y("one:Q", scale=alt.Scale(domain=[0, y_max])), y2="top:Q")
    )
    line = (
        alt.Chart(data)
        .mark_line(color=QUANTITY_COLOURS[0], strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("z:Q", format=".2f"),
                alt.Tooltip("sigmoid_slope:Q", title="σ′(z)", format=EXACT),
                alt.Tooltip("factor:Q", title=t("activations.axis_factor", w=f"{w_abs:g}"), format=EXACT),
            ],
        )
    )
    one = alt.Chart(pd.DataFrame({"factor": [1.0]})).mark_rule(color="#888", strokeDash=[4, 4]).encode(y="factor:Q")
    title = alt.Title(
        t("activations.factor_title", w=f"{w_abs:g}"), subtitle=t("activations.factor_subtitle"), anchor="start"
    )
    layers = [shade, line, one] if (data.factor > 1).any() else [line, one]
    return alt.layer(*layers, title=title).properties(width=WIDTH, height=height)
