"""Charts of the chain-rule page: the factors of ∂L/∂w₁ with their running product, and the weight
gradient of each of the four neurons (log axes: the values span decades).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, layer_color, log_domain, positive
from explorer.i18n import Translator


def _tidy_factors(factors: pd.DataFrame, t: Translator) -> pd.DataFrame:
    """One row per (position, series): the factor itself and the product so far, as absolute values."""
    base = factors.assign(
        label=[t(f"chain.factor_{key}") for key in factors.key],
        product_name=[t(f"chain.running_{key}") for key in factors.key],
    )
    factor_rows = base.assign(series=t("chain.series_factor"), value=base.factor, name=base.label)
    running_rows = base.assign(series=t("chain.series_running"), value=base.running, name=base.product_name)
    tidy = pd.concat([factor_rows, running_rows], ignore_index=True)
    return tidy.assign(magnitude=tidy.value.abs())


def chain_factors(factors: pd.DataFrame, t: Translator, *, height: int = 320) -> alt.Chart:
    """|factor| and |running product| along the chain, from the loss (left) back to w₁ (right)."""
    tidy = _tidy_factors(factors, t)
    drawable = positive(tidy, "magnitude")
    if drawable.empty:
        return empty_chart(t("chain.chart_all_zero"))
    order = list(dict.fromkeys(tidy.sort_values("position").label))
    domain = log_domain(np.append(drawable.magnitude.to_numpy(), 1.0))
    x = alt.X("label:N", title=t("chain.axis_chain"), sort=order, axis=alt.Axis(labelAngle=0, labelFontSize=12))
    y = alt.Y("magnitude:Q", title=t("chain.axis_magnitude"), scale=alt.Scale(type="log", domain=domain))
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=[t("chain.series_factor"), t("chain.series_running")], range=list(QUANTITY_COLOURS[:2])),
        legend=alt.Legend(orient="top"),
    )
    tooltip = [
        alt.Tooltip("series:N", title=t("chain.tip_series")),
        alt.Tooltip("name:N", title=t("chain.tip_what")),
        alt.Tooltip("value:Q", title=t("chain.tip_value"), format=EXACT),
    ]
    base = alt.Chart(drawable).encode(x=x, y=y, color=colour, tooltip=tooltip)
    running = base.transform_filter(alt.datum.series == t("chain.series_running")).mark_line(point=True, strokeWidth=2)
    points = base.transform_filter(alt.datum.series == t("chain.series_factor")).mark_point(
        filled=True, size=140, shape="diamond"
    )
    one = (
        alt.Chart(pd.DataFrame({"magnitude": [1.0]}))
        .mark_rule(color="#888", strokeDash=[4, 4])
        .encode(y=alt.Y("magnitude:Q", scale=alt.Scale(type="log", domain=domain)))
    )
    title = alt.Title(t("chain.factors_title"), subtitle=t("chain.factors_subtitle"), anchor="start")
    return alt.layer(one, running, points, title=title).properties(width=WIDTH, height=height)


def layer_gradients(layers: pd.DataFrame, t: Translator, *, height: int = 320) -> alt.Chart:
    """|∂L/∂w_l| of each neuron, coloured by layer position like every layer chart in the app."""
    data = positive(layers.assign(magnitude=layers.grad_w.abs()), "magnitude")
    if data.empty:
        return empty_chart(t("chain.chart_all_zero"))
    n_layers = int(layers.layer.max())
    x = alt.X(
        "layer:Q",
        title=t("chain.axis_layer"),
        scale=alt.Scale(domain=[0.5, n_layers + 0.5]),
        axis=alt.Axis(values=list(range(1, n_layers + 1)), format="d"),
    )
    y = alt.Y(
        "magnitude:Q", title=t("chain.axis_grad_w"), scale=alt.Scale(type="log", domain=log_domain(data.magnitude))
    )
    tooltip = [
        alt.Tooltip("layer:Q", title=t("chain.axis_layer")),
        alt.Tooltip("grad_w:Q", title=t("chain.tip_chain_rule"), format=EXACT),
        alt.Tooltip("grad_w_autograd:Q", title=t("chain.tip_autograd"), format=EXACT),
    ]
    line = alt.Chart(data).mark_line(color="#999").encode(x=x, y=y)
    dots = (
        alt.Chart(data)
        .mark_circle(size=220, opacity=1)
        .encode(x=x, y=y, color=layer_color(t, n_layers), tooltip=tooltip)
    )
    title = alt.Title(t("chain.layers_title"), subtitle=t("chain.layers_subtitle"), anchor="start")
    return alt.layer(line, dots, title=title).properties(width=WIDTH, height=height)
