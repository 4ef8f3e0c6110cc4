"""The board's charts: every pinned run on shared axes (signal per layer at step 0 and at the end, loss,
accuracy, mean update ratio per layer), one colour per pin. Pure: tidy frames with a `pin` column in."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import EXACT, WIDTH, empty_chart, log_y, positive
from explorer.i18n import Translator

PIN_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def _pin_colour(order: list[str]) -> alt.Color:
    return alt.Color(
        "pin:N",
        title=None,
        scale=alt.Scale(domain=order, range=list(PIN_COLOURS[: len(order)])),
        legend=alt.Legend(orient="top", columns=2, labelLimit=200),  # two columns fit a half-width chart
    )


def _layer_x(t: Translator) -> alt.X:
    return alt.X("layer:Q", title=t("charts.layer_axis"), axis=alt.Axis(tickMinStep=1, format="d"))


def signal_by_layer(layers: pd.DataFrame, order: list[str], when: str, t: Translator) -> alt.Chart:
    """||dL/dz_l|| per layer of every pin at step 0 (`when="start"`) or at each pin's last recorded step."""
    if layers.empty:
        return empty_chart(t("charts.nothing_recorded"))
    if when == "start":
        data, title = layers[layers.step == 0], t("board.signal_start_title")
    else:
        data, title = layers[layers.step == layers.groupby("pin").step.transform("max")], t("board.signal_end_title")
    data = positive(data, "signal_norm")
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    return (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=_layer_x(t),
            y=log_y("signal_norm:Q", t("charts.signal_norm"), data.signal_norm),
            color=_pin_colour(order),
            tooltip=[
                alt.Tooltip("pin:N", title=t("board.pin")),
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("signal_norm:Q", title=t("charts.signal_norm"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=340)
    )


def curves(steps: pd.DataFrame, order: list[str], column: str, t: Translator) -> alt.Chart:
    """Loss or accuracy of every pin over training."""
    if steps.empty:
        return empty_chart(t("charts.nothing_recorded"))
    name = t("charts.accuracy") if column == "accuracy" else t("charts.loss")
    y = (
        alt.Y("accuracy:Q", title=name, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
        if column == "accuracy"
        else alt.Y("loss:Q", title=name, scale=alt.Scale(zero=False))
    )
    return (
        alt.Chart(
            steps[["pin", "step", column]],
            title=t("charts.accuracy_title" if column == "accuracy" else "charts.loss_title"),
        )
        .mark_line()
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=y,
            color=_pin_colour(order),
            tooltip=[
                alt.Tooltip("pin:N", title=t("board.pin")),
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip(f"{column}:Q", title=name, format=".4f"),
            ],
        )
        .properties(width=WIDTH, height=300)
    )


def mean_update_ratio(updates: pd.DataFrame, order: list[str], t: Translator) -> alt.Chart:
    """Mean ||dW||/||W|| of each layer over training (lessons.board.tidy's third frame), every pin."""
    data = positive(updates, "update_ratio") if not updates.empty else updates
    if data.empty:
        return empty_chart(t("charts.no_updates"))
    return (
        alt.Chart(data, title=t("compare.update_title"))
        .mark_line(point=True)
        .encode(
            x=_layer_x(t),
            y=log_y("update_ratio:Q", t("compare.mean_update_ratio"), data.update_ratio),
            color=_pin_colour(order),
            tooltip=[
                alt.Tooltip("pin:N", title=t("board.pin")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("update_ratio:Q", title=t("compare.mean_update_ratio"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=340)
    )
