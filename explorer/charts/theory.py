"""Theory beside measurement: the mean-field prediction of the step-0 signal over the measured one."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, log_domain, positive
from explorer.engine.theory import Prediction, measured_relative
from explorer.i18n import Translator


def signal_vs_theory(layers: pd.DataFrame, prediction: Prediction, t: Translator, *, height: int = 380) -> alt.Chart:
    """Measured ||dL/dz_l|| at step 0 (points) and the predicted one (line), both relative to the last hidden
    layer, on a log axis. `layers` is a run's layer records (only step 0 is used)."""
    measured = positive(measured_relative(layers, step=int(layers.step.min()) if len(layers) else 0), "measured")
    if measured.empty:
        return empty_chart(t("theory.nothing_to_compare"))
    frames = [measured.rename(columns={"measured": "relative"}).assign(source=t("theory.measured"))]
    if prediction.applicable:
        frames.append(
            prediction.frame[["layer", "predicted"]]
            .rename(columns={"predicted": "relative"})
            .assign(source=t("theory.predicted"))
        )
    data = positive(pd.concat(frames, ignore_index=True), "relative")
    if data.empty:
        return empty_chart(t("theory.nothing_to_compare"))
    data["relative"] = data.relative.astype(float)
    n_layers = int(data.layer.max())
    # Without a prediction the chart says so briefly; the page prints the reason, t(f"theory.reason_{...}").
    subtitle = t("theory.chart_subtitle") if prediction.applicable else t("theory.no_prediction")
    sources = [t("theory.measured"), t("theory.predicted")][: 2 if prediction.applicable else 1]
    base = alt.Chart(data).encode(
        x=alt.X(
            "layer:Q",
            title=t("theory.layer_axis"),
            scale=alt.Scale(domain=[0.5, n_layers + 0.5]),
            axis=alt.Axis(tickMinStep=1, format="d"),
        ),
        y=alt.Y(
            "relative:Q",
            title=t("theory.relative_axis"),
            scale=alt.Scale(type="log", domain=log_domain(data.relative)),
        ),
        color=alt.Color(
            "source:N",
            title=None,
            scale=alt.Scale(domain=sources, range=[QUANTITY_COLOURS[0], QUANTITY_COLOURS[1]]),
            legend=alt.Legend(orient="top"),
        ),
        tooltip=[
            alt.Tooltip("layer:Q", title=t("theory.layer_axis")),
            alt.Tooltip("source:N", title=t("theory.source")),
            alt.Tooltip("relative:Q", title=t("theory.relative_axis"), format=EXACT),
        ],
    )
    points = base.transform_filter(alt.datum.source == sources[0]).mark_point(filled=True, size=60)
    marks = [points]
    if prediction.applicable:
        marks.insert(
            0, base.transform_filter(alt.datum.source == sources[1]).mark_line(strokeWidth=2, strokeDash=[6, 3])
        )
    title = alt.Title(t("theory.chart_title"), subtitle=subtitle, anchor="start")
    return alt.layer(*marks, title=title).properties(width=WIDTH, height=height)


def agreement_table(layers: pd.DataFrame, prediction: Prediction, t: Translator) -> pd.DataFrame:
    """Per layer: measured and predicted relative signal and their ratio, with translated column names."""
    both = measured_relative(layers).merge(prediction.frame[["layer", "predicted"]], on="layer", how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        both["ratio"] = both.predicted.astype(float) / both.measured.astype(float)
    return both.rename(
        columns={
            "layer": t("theory.layer_axis"),
            "measured": t("theory.measured"),
            "predicted": t("theory.predicted"),
            "ratio": t("theory.ratio"),
        }
    )
