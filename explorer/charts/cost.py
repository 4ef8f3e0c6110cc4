"""Charts of what each activation costs on this machine: forward and backward time, and time relative
to ReLU (both on log axes: the activations differ by up to two orders of magnitude).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import QUANTITY_COLOURS, WIDTH, empty_chart, log_domain, positive
from explorer.i18n import Translator

PARTS = ("forward", "backward")


def _names(costs: pd.DataFrame, t: Translator) -> pd.DataFrame:
    return costs.assign(name=costs.activation.map(lambda a: t(f"names.activation.{a}")))


def times(costs: pd.DataFrame, t: Translator, *, height: int = 380) -> alt.Chart:
    """Forward and backward time of each activation (µs, log axis), slowest total at the bottom."""
    if costs.empty:
        return empty_chart(t("cost.chart_nothing"))
    named = _names(costs, t)
    order = named.sort_values("total_us").name.tolist()
    parts = {f"{part}_us": t(f"cost.part_{part}") for part in PARTS}
    data = named.melt(id_vars=["name"], value_vars=list(parts), var_name="part", value_name="us")
    data = positive(data.assign(part=data.part.map(parts)), "us")
    axis = t("cost.axis_us")
    return (
        alt.Chart(data, title=alt.Title(t("cost.chart_times_title"), subtitle=t("cost.chart_times_subtitle")))
        .mark_point(filled=True, size=110, opacity=0.9)
        .encode(
            y=alt.Y("name:N", title=None, sort=order),
            x=alt.X("us:Q", title=axis, scale=alt.Scale(type="log", domain=log_domain(data.us))),
            color=alt.Color(
                "part:N",
                title=None,
                sort=list(parts.values()),
                scale=alt.Scale(domain=list(parts.values()), range=list(QUANTITY_COLOURS[:2])),
                legend=alt.Legend(orient="top"),
            ),
            shape=alt.Shape("part:N", title=None, sort=list(parts.values()), legend=None),
            tooltip=[
                alt.Tooltip("name:N", title=t("cost.chart_activation")),
                alt.Tooltip("part:N", title=t("cost.chart_part")),
                alt.Tooltip("us:Q", title=axis, format=".1f"),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def relative(costs: pd.DataFrame, t: Translator, *, height: int = 380) -> alt.Chart:
    """Forward + backward time over ReLU's, as bars from 1× (log axis: 0.5× and 2× are equally far)."""
    data = positive(_names(costs, t), "total_rel")
    if data.empty:
        return empty_chart(t("cost.chart_nothing"))
    order = data.sort_values("total_us").name.tolist()
    domain = log_domain(np.append(data.total_rel.to_numpy(), 1.0))
    axis = t("cost.axis_relative")
    bars = (
        alt.Chart(data)
        .mark_bar(height=18, color=QUANTITY_COLOURS[3])
        .encode(
            y=alt.Y("name:N", title=None, sort=order),
            x=alt.X("total_rel:Q", title=axis, scale=alt.Scale(type="log", domain=domain)),
            x2=alt.X2(datum=1),
            tooltip=[
                alt.Tooltip("name:N", title=t("cost.chart_activation")),
                alt.Tooltip("total_rel:Q", title=axis, format=".3g"),
                alt.Tooltip("forward_rel:Q", title=t("cost.axis_forward_rel"), format=".3g"),
                alt.Tooltip("backward_rel:Q", title=t("cost.axis_backward_rel"), format=".3g"),
                alt.Tooltip("total_us:Q", title=t("cost.axis_total_us"), format=".1f"),
            ],
        )
    )
    one = alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(color="#333").encode(x="one:Q")
    title = alt.Title(t("cost.chart_relative_title"), subtitle=t("cost.chart_relative_subtitle"))
    return alt.layer(bars, one, title=title).properties(width=WIDTH, height=height)


def elu_by_sign(elu_sign: pd.DataFrame, t: Translator, *, height: int = 200) -> alt.Chart:
    """ELU's forward time on all-positive against all-negative inputs of the same size."""
    data = positive(elu_sign, "forward_us")
    if data.empty:
        return empty_chart(t("cost.chart_nothing"))
    data = data.assign(label=data.inputs.map(lambda sign: t(f"cost.inputs_{sign}")))
    axis = t("cost.axis_us_linear")
    return (
        alt.Chart(data, title=alt.Title(t("cost.chart_sign_title"), subtitle=t("cost.chart_sign_subtitle")))
        .mark_bar(height=24, color=QUANTITY_COLOURS[0])
        .encode(
            y=alt.Y("label:N", title=None),
            x=alt.X("forward_us:Q", title=axis),
            tooltip=[
                alt.Tooltip("label:N", title=t("cost.chart_inputs")),
                alt.Tooltip("forward_us:Q", title=axis, format=".1f"),
            ],
        )
        .properties(width=WIDTH, height=height)
    )
