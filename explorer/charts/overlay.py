"""Several runs on shared axes, one colour per run: per-layer signal, loss or accuracy over training, mean
update ratio per layer. The remedy comparison (two runs, charts/compare.py) and the board (up to eight
pins, charts/board.py) draw the same charts; a `Series` says which column names the run and how."""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from explorer.charts.common import EXACT, WIDTH, empty_chart, log_y, positive
from explorer.i18n import Translator


@dataclass(frozen=True)
class Series:
    column: str  # the frames' column naming the run ("run", "pin")
    label_key: str  # its name in the tooltip
    colours: tuple[str, ...]
    legend: dict = field(default_factory=dict)  # alt.Legend's options beside orient="top"

    def colour(self, order: list[str]) -> alt.Color:
        scale = alt.Scale(domain=order, range=list(self.colours[: len(order)]))
        return alt.Color(f"{self.column}:N", title=None, scale=scale, legend=alt.Legend(orient="top", **self.legend))

    def tooltip(self, t: Translator) -> alt.Tooltip:
        return alt.Tooltip(f"{self.column}:N", title=t(self.label_key))


def _layer_x(t: Translator) -> alt.X:
    return alt.X("layer:Q", title=t("charts.layer_axis"), axis=alt.Axis(tickMinStep=1, format="d"))


def signal_by_layer(
    layers: pd.DataFrame, series: Series, order: list[str], last: bool, title: str, t: Translator, height: int
) -> alt.Chart:
    """||dL/dz_l|| per layer of every run at step 0, or (`last`) at each run's last recorded step."""
    if layers.empty:
        return empty_chart(t("charts.nothing_recorded"))
    if last:
        data = layers[layers.step == layers.groupby(series.column).step.transform("max")]
    else:
        data = layers[layers.step == 0]
    data = positive(data, "signal_norm")
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    return _per_layer(data, series, order, "signal_norm", t("charts.signal_norm"), title, t, height)


def curves(steps: pd.DataFrame, series: Series, order: list[str], column: str, t: Translator, height: int) -> alt.Chart:
    """Loss or accuracy (`column`) of every run over training."""
    if steps.empty:
        return empty_chart(t("charts.nothing_recorded"))
    name = t(f"charts.{column}")
    y = (
        alt.Y("accuracy:Q", title=name, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
        if column == "accuracy"
        else alt.Y("loss:Q", title=name, scale=alt.Scale(zero=False))
    )
    return (
        alt.Chart(steps[[series.column, "step", column]], title=t(f"charts.{column}_title"))
        .mark_line()
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=y,
            color=series.colour(order),
            tooltip=[
                series.tooltip(t),
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip(f"{column}:Q", title=name, format=".4f"),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def update_ratio_by_layer(
    means: pd.DataFrame, series: Series, order: list[str], t: Translator, height: int
) -> alt.Chart:
    """Mean ||dW||/||W|| of each layer over training (one row per run and layer), every run."""
    data = positive(means, "update_ratio") if not means.empty else means
    if data.empty:
        return empty_chart(t("charts.no_updates"))
    name = t("compare.mean_update_ratio")
    return _per_layer(data, series, order, "update_ratio", name, t("compare.update_title"), t, height)


def _per_layer(
    data: pd.DataFrame, series: Series, order: list[str], column: str, name: str, title: str, t, height: int
) -> alt.Chart:
    """One line per run over the layers, `column` on a log axis (the step in the tooltip when recorded)."""
    step = [alt.Tooltip("step:Q", title=t("charts.step"))] if "step" in data.columns else []
    return (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=_layer_x(t),
            y=log_y(f"{column}:Q", name, data[column]),
            color=series.colour(order),
            tooltip=[
                series.tooltip(t),
                *step,
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip(f"{column}:Q", title=name, format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )
