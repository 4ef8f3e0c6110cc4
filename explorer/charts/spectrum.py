"""The Jacobian's singular values: a histogram on log10(sigma) with free probability's law, and the spread
across depth for orthogonal and Gaussian weights."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart
from explorer.i18n import Translator

BINS = 40


def histogram(frame: pd.DataFrame, law, t: Translator, *, height: int = 320) -> alt.Chart:
    """Bars: measured density per unit of log10(sigma) (zeros left out). Line: the predicted density;
    rule: the one value an orthogonal linear net predicts."""
    values = frame.singular_value.to_numpy(dtype=float)
    positive = values[values > 1e-12 * values.max()] if values.size and values.max() > 0 else values[:0]
    if positive.size == 0:
        return empty_chart(t("spectrum.nothing"))
    logs = np.log10(positive)
    low, high = logs.min(), logs.max()
    if law.value is not None:
        low, high = min(low, np.log10(law.value)), max(high, np.log10(law.value))
    if high - low < 0.5:
        low, high = (low + high) / 2 - 0.25, (low + high) / 2 + 0.25
    counts, edges = np.histogram(logs, bins=BINS, range=(low, high))
    width = edges[1] - edges[0]
    bars = pd.DataFrame(
        {"start": edges[:-1], "end": edges[1:], "density": counts / (values.size * width), "count": counts}
    )
    x = alt.X("start:Q", title=t("spectrum.log_axis"), scale=alt.Scale(domain=[low, high]))
    layers = [
        alt.Chart(bars)
        .mark_rect(color=QUANTITY_COLOURS[0], opacity=0.7)
        .encode(
            x=x,
            x2="end:Q",
            y=alt.Y("density:Q", title=t("spectrum.density_axis")),
            y2=alt.datum(0),  # bars from 0 (with x2 given, Vega-Lite would otherwise draw ranged ticks)
            tooltip=[
                alt.Tooltip("start:Q", title=t("spectrum.log_axis"), format=".2f"),
                alt.Tooltip("count:Q", title=t("spectrum.count")),
            ],
        )
    ]
    if law.density is not None:
        curve = law.density.assign(log10=np.log10(law.density.singular_value))
        curve = curve[(curve.log10 >= low) & (curve.log10 <= high)]
        layers.append(
            alt.Chart(curve)
            .mark_line(color=QUANTITY_COLOURS[1], strokeWidth=2)
            .encode(
                x="log10:Q",
                y="log10_density:Q",
                tooltip=[alt.Tooltip("log10_density:Q", title=t("spectrum.predicted"), format=EXACT)],
            )
        )
    if law.value is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"log10": [np.log10(law.value)]}))
            .mark_rule(color=QUANTITY_COLOURS[1], strokeWidth=2, strokeDash=[6, 3])
            .encode(x="log10:Q")
        )
    title = alt.Title(t("spectrum.histogram_title"), subtitle=t("spectrum.histogram_subtitle"), anchor="start")
    return alt.layer(*layers, title=title).properties(width=WIDTH, height=height)


def depth_sweep(sweep: pd.DataFrame, t: Translator, *, height: int = 320) -> alt.Chart:
    """Median log10(sigma) per depth (line) with the 5-95% band, orthogonal beside Gaussian."""
    data = sweep.dropna(subset=["p50"]).copy()
    if data.empty:
        return empty_chart(t("spectrum.nothing"))
    data["init_name"] = [t(f"names.init.{name}") for name in data["init"]]
    names = list(dict.fromkeys(data["init_name"]))
    colour = alt.Color(
        "init_name:N",
        title=None,
        scale=alt.Scale(domain=names, range=[QUANTITY_COLOURS[0], QUANTITY_COLOURS[1]]),
        legend=alt.Legend(orient="top", labelLimit=400),  # Vega's 160 px cut "LeCun（标准差 1/√fan_in）" short
    )
    x = alt.X("depth:Q", title=t("spectrum.depth_axis"), scale=alt.Scale(type="log", base=2), axis=alt.Axis(format="d"))
    band = alt.Chart(data).mark_area(opacity=0.25).encode(x=x, y="p05:Q", y2="p95:Q", color=colour)
    line = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("p50:Q", title=t("spectrum.log_axis")),
            color=colour,
            tooltip=[
                alt.Tooltip("init_name:N", title=t("spectrum.init")),
                alt.Tooltip("depth:Q", title=t("spectrum.depth_axis")),
                alt.Tooltip("p05:Q", title="5%", format=".2f"),
                alt.Tooltip("p95:Q", title="95%", format=".2f"),
                alt.Tooltip("condition:Q", title=t("spectrum.condition"), format=".3g"),
            ],
        )
    )
    title = alt.Title(t("spectrum.sweep_title"), subtitle=t("spectrum.sweep_subtitle"), anchor="start")
    return alt.layer(band, line, title=title).properties(width=WIDTH, height=height)
