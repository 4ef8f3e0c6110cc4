"""Ridgelines of a run's histograms: one row per layer (input side at the bottom), one panel per quantity,
a slider that scrubs through the recorded steps in the browser; at step 0 the mean-field N(0, q_l) over z."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import empty_chart, layer_scale
from explorer.engine import histograms as bins
from explorer.i18n import Translator

MAX_ROWS = 8
ZERO_X = -12.5  # where the log panels draw their |x| < 1e-12 bin
TAIL_SHARE = 0.01  # the predicted curve is drawn where it is at least 1% of its own peak


def shown_layers(depth: int, most: int = MAX_ROWS) -> list[int]:
    return sorted({int(round(v)) for v in np.linspace(1, depth, min(most, depth))})


def ridgeline_data(frame: pd.DataFrame, q: pd.Series | None, activation: str) -> pd.DataFrame:
    """step_index, step, layer, quantity, x, top, base, source (measured / predicted): the drawn rows."""
    if frame.empty:
        return pd.DataFrame()
    layers = shown_layers(int(frame.layer.max()))
    spacing = layers[1] - layers[0] if len(layers) > 1 else 1
    data = frame[frame.layer.isin(layers)].copy()
    data["quantity"] = data["quantity"].astype(str)
    steps = sorted(data.step.unique())
    data["step_index"] = data.step.map({s: i for i, s in enumerate(steps)})
    log = data.quantity.isin(bins.LOG_QUANTITIES)
    centre = (data.low.astype(float) + data.high.astype(float)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):  # linear quantities' edges (<= 0) give NaN, unused
        log_centre = (np.log10(data.low.astype(float).clip(lower=1e-300)) + np.log10(data.high.astype(float))) / 2
    data["x"] = np.where(log, np.where(data["bin"] == 0, ZERO_X, log_centre), centre)
    data.loc[log & (data["bin"] == len(bins.LOG_THRESHOLDS)), "x"] = bins.LOG_THRESHOLDS_LOG10[-1] + 0.25
    peak = data.groupby(["step", "layer", "quantity"])["count"].transform("max")
    data["top"] = data.layer + 0.9 * spacing * data["count"] / peak
    data["source"] = "measured"
    parts = [data]
    if q is not None and not q.empty:
        at_zero = data[(data.step == steps[0]) & (data.quantity == "z")]
        bounds = bins.edges("z", activation)
        rows = []
        for layer, measured in at_zero.groupby("layer"):
            if layer not in q.index or not np.isfinite(q.loc[layer]):
                continue
            expected = bins.expected_normal(bounds, float(q.loc[layer]), int(measured["count"].sum()))
            peak_count = measured["count"].max()
            centres = (bounds[:-1] + bounds[1:]) / 2
            for x, e in zip(centres, expected, strict=True):
                if e >= TAIL_SHARE * expected.max():  # the bell only: its far tails would draw a flat line
                    rows.append((0, steps[0], layer, "z", x, layer + 0.9 * spacing * e / peak_count))
        predicted = pd.DataFrame(rows, columns=["step_index", "step", "layer", "quantity", "x", "top"])
        parts.append(predicted.assign(source="predicted", count=np.nan))
    columns = ["step_index", "step", "layer", "quantity", "x", "top", "source", "count"]
    drawn = pd.concat(parts, ignore_index=True)[columns]
    return drawn.astype(
        {"step_index": "int16", "step": "int32", "layer": "int16", "x": "float32", "top": "float32", "count": "float32"}
    )


def ridgelines(frame: pd.DataFrame, q: pd.Series | None, activation: str, t: Translator) -> alt.Chart:
    data = ridgeline_data(frame, q, activation)
    if data.empty:
        return empty_chart(t("hist.nothing"))
    n_steps = int(data.step_index.max()) + 1
    layers = sorted(data.layer.unique())
    slider = alt.param(
        name="step_index",
        value=0,
        bind=alt.binding_range(min=0, max=n_steps - 1, step=1, name=t("hist.slider")),
    )
    depth = int(frame.layer.max())
    panels = []
    for quantity in bins.QUANTITIES:
        part = data[data.quantity == quantity]
        if part.empty:
            continue
        base = alt.Chart().transform_filter((alt.datum.quantity == quantity) & (alt.datum.step_index == slider))
        x = alt.X("x:Q", title=t(f"hist.axis_{quantity}"))
        y = alt.Y(
            "top:Q",
            title=t("hist.layer_axis"),
            scale=alt.Scale(domain=[layers[0], layers[-1] + (layers[1] - layers[0] if len(layers) > 1 else 1)]),
            axis=alt.Axis(values=layers, format="d"),
        )
        areas = (
            base.transform_filter(alt.datum.source == "measured")
            .mark_area(interpolate="step", opacity=0.75, line=True)
            .encode(
                x=x,
                y=y,
                y2="layer:Q",
                detail="layer:Q",
                color=alt.Color("layer:Q", scale=layer_scale(depth), legend=None),
                tooltip=[
                    alt.Tooltip("step:Q", title=t("charts.step")),
                    alt.Tooltip("layer:Q", title=t("hist.layer_axis")),
                    alt.Tooltip("x:Q", title=t(f"hist.axis_{quantity}"), format=".3g"),
                    alt.Tooltip("count:Q", title=t("hist.count")),
                ],
            )
        )
        marks = [areas]
        if quantity == "z" and (part.source == "predicted").any():
            marks.append(
                base.transform_filter(alt.datum.source == "predicted")
                .mark_line(color="#d62728", strokeDash=[4, 3], strokeWidth=1.5)
                .encode(x=x, y=y, detail="layer:Q")
            )
        label = (
            base.transform_filter((alt.datum.source == "measured") & (alt.datum.layer == layers[-1]))
            .transform_aggregate(step="max(step)")
            # above the plot, right-aligned on the title's line: inside, it covered the top layer's bars
            .mark_text(align="right", baseline="bottom", dy=-4, fontSize=12)
            .encode(x=alt.value(300), y=alt.value(0), text=alt.Text("label:N"))
            .transform_calculate(label=f"'{t('charts.step')} ' + datum.step")
        )
        marks.append(label)
        panels.append(alt.layer(*marks, title=t(f"hist.title_{quantity}")).properties(width=300, height=260))
    rows = [alt.hconcat(*panels[i : i + 2]) for i in range(0, len(panels), 2)]
    title = alt.Title(t("hist.chart_title"), subtitle=t("hist.chart_subtitle"), anchor="start")
    # "fit-x" (the app's theme) does not apply to concatenated views: size them by their panels instead.
    # The slider goes in as the top-level param it ends up as: .add_params(slider) pushes it into every
    # layer and lifts it back, copying each panel (the same spec, at twice the build time).
    chart = alt.vconcat(*rows, data=data, title=title, params=[slider.param])
    return chart.properties(autosize=alt.AutoSizeParams(type="pad"))
