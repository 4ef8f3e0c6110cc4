"""Charts of the shallow-net comparison: the two loss curves overlaid, and how fast each layer learned."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, log_domain, positive
from explorer.i18n import Translator


def loss_overlay(curves: pd.DataFrame, frozen: int, t: Translator, *, title: str, height: int = 360) -> alt.Chart:
    """Training loss of the deep net (solid) and of the same net with its first `frozen` layers frozen
    (dashed, drawn on top) over the recorded steps. `curves`: step, loss, net ("deep" | "frozen")."""
    data = curves[np.isfinite(curves.loss.astype(float))] if len(curves) else curves
    if data.empty:
        return empty_chart(t("shallow.nothing_recorded"))
    labels = {"deep": t("shallow.deep_label"), "frozen": t("shallow.frozen_label", k=frozen)}
    data = data.assign(label=data.net.map(labels))
    order = [labels["deep"], labels["frozen"]]
    return (
        alt.Chart(data, title=alt.Title(title, subtitle=t("shallow.chart_subtitle"), anchor="start"))
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("step:Q", title=t("shallow.step_axis")),
            y=alt.Y("loss:Q", title=t("shallow.loss_axis"), scale=alt.Scale(zero=False)),
            color=alt.Color(
                "label:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[QUANTITY_COLOURS[0], QUANTITY_COLOURS[1]]),
                legend=alt.Legend(orient="top", labelLimit=360),
            ),
            strokeDash=alt.StrokeDash("label:N", sort=order, scale=alt.Scale(domain=order, range=[[1, 0], [6, 4]])),
            tooltip=[
                alt.Tooltip("label:N", title=t("shallow.net")),
                alt.Tooltip("step:Q", title=t("shallow.step_axis")),
                alt.Tooltip("loss:Q", title=t("shallow.loss_axis"), format=".4f"),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def layer_speeds(speeds: pd.DataFrame, frozen: int, t: Translator, *, height: int = 360) -> alt.Chart:
    """The deep net's mean update ratio per hidden layer (log axis), the layers the other run froze marked."""
    hidden = speeds[speeds.layer < speeds.layer.max()] if len(speeds) > 1 else speeds
    data = positive(hidden, "update_ratio")
    if data.empty:
        return empty_chart(t("shallow.no_updates"))
    group = {True: t("shallow.group_frozen", k=frozen), False: t("shallow.group_trained")}
    data = data.assign(group=(data.layer <= frozen).map(group))
    order = [group[True], group[False]]
    return (
        alt.Chart(
            data, title=alt.Title(t("shallow.speeds_title"), subtitle=t("shallow.speeds_subtitle"), anchor="start")
        )
        .mark_bar(size=max(2, min(16, 420 // max(len(data), 1))))
        .encode(
            x=alt.X(
                "layer:Q",
                title=t("shallow.layer_axis"),
                scale=alt.Scale(domain=[0.5, int(hidden.layer.max()) + 0.5]),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            y=alt.Y(
                "update_ratio:Q",
                title=t("shallow.speed_axis"),
                scale=alt.Scale(type="log", domain=log_domain(data.update_ratio)),
            ),
            y2=alt.datum(log_domain(data.update_ratio)[0]),
            color=alt.Color(
                "group:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=["#9e9e9e", QUANTITY_COLOURS[2]]),
                legend=alt.Legend(orient="top", labelLimit=360),
            ),
            tooltip=[
                alt.Tooltip("layer:Q", title=t("shallow.layer_axis")),
                alt.Tooltip("update_ratio:Q", title=t("shallow.speed_axis"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )
