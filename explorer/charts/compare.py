"""Charts that overlay two runs (without / with a remedy): per-layer signal, loss, accuracy, update ratio."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, log_y, positive
from explorer.engine import measures
from explorer.i18n import Translator

RUN_COLOURS = [QUANTITY_COLOURS[1], QUANTITY_COLOURS[0]]  # without: red, with: blue


def _run_colour(order: list[str]) -> alt.Color:
    return alt.Color(
        "run:N", title=None, scale=alt.Scale(domain=order, range=RUN_COLOURS), legend=alt.Legend(orient="top")
    )


def signal_by_layer(
    layers: pd.DataFrame, order: list[str], step: int | str, t: Translator, *, height: int = 360
) -> alt.Chart:
    """||dL/dz_l|| per layer for both runs at `step` (0, or "last" for each run's final recorded step)."""
    if layers.empty:
        return empty_chart(t("charts.nothing_recorded"))
    if step == "last":
        finals = layers.groupby("run").step.transform("max")
        data = layers[layers.step == finals]
        title = t("compare.signal_last_title")
    else:
        data = layers[layers.step == step]
        title = t("compare.signal_start_title")
    data = positive(data, "signal_norm")
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    return (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("layer:Q", title=t("charts.layer_axis"), axis=alt.Axis(tickMinStep=1, format="d")),
            y=log_y("signal_norm:Q", t("charts.signal_norm"), data.signal_norm),
            color=_run_colour(order),
            tooltip=[
                alt.Tooltip("run:N", title=t("compare.run")),
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("signal_norm:Q", title=t("charts.signal_norm"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def curves(steps: pd.DataFrame, order: list[str], column: str, t: Translator, *, height: int = 300) -> alt.Chart:
    """Loss or accuracy of both runs over training."""
    if steps.empty:
        return empty_chart(t("charts.nothing_recorded"))
    y = (
        alt.Y("accuracy:Q", title=t("charts.accuracy"), scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
        if column == "accuracy"
        else alt.Y("loss:Q", title=t("charts.loss"), scale=alt.Scale(zero=False))
    )
    return (
        alt.Chart(steps, title=t(f"charts.{column}_title"))
        .mark_line()
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=y,
            color=_run_colour(order),
            tooltip=[
                alt.Tooltip("run:N", title=t("compare.run")),
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip(f"{column}:Q", title=t(f"charts.{column}"), format=".4f"),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def mean_update_ratio(layers: pd.DataFrame, order: list[str], t: Translator, *, height: int = 360) -> alt.Chart:
    """Mean ||dW||/||W|| of each layer over training, both runs: how fast each layer learned."""
    means = positive(measures.mean_update_ratio(layers, by=("run",)).reset_index(), "update_ratio")
    if means.empty:
        return empty_chart(t("charts.no_updates"))
    return (
        alt.Chart(means, title=t("compare.update_title"))
        .mark_line(point=True)
        .encode(
            x=alt.X("layer:Q", title=t("charts.layer_axis"), axis=alt.Axis(tickMinStep=1, format="d")),
            y=log_y("update_ratio:Q", t("compare.mean_update_ratio"), means.update_ratio),
            color=_run_colour(order),
            tooltip=[
                alt.Tooltip("run:N", title=t("compare.run")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("update_ratio:Q", title=t("compare.mean_update_ratio"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )
