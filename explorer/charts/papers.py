"""The chart of each paper preset: its measured series (points and lines) and any theory line (dashed)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, log_domain, positive
from explorer.i18n import Translator

# (log x, log y) of each preset's chart; every other choice is shared.
AXES = {
    "glorot2010": (False, True),
    "he2015": (False, False),
    "ioffe2015": (True, True),
    "he2016": (False, True),
    "pascanu2013": (False, True),
    "material": (False, True),
}
COLOURS = (*QUANTITY_COLOURS, "#ff7f0e", "#8c564b")


def preset_chart(name: str, data: pd.DataFrame, t: Translator, *, height: int = 380) -> alt.Chart:
    """`data`: x, value, series, kind ("measured" | "theory") as `explorer.lessons.presets.Outcome.data`."""
    log_x, log_y = AXES.get(name, (False, True))
    frame = data.copy()
    if log_y:
        frame = positive(frame, "value")
    if log_x:
        frame = positive(frame, "x")
    if frame.empty:
        return empty_chart(t("papers.nothing_to_draw"))
    frame["label"] = [t(f"papers.series.{series}") for series in frame.series]
    labels = list(dict.fromkeys(frame.label))
    x_scale = alt.Scale(type="log") if log_x else alt.Scale(zero=False, nice=False)
    y_scale = alt.Scale(type="log", domain=log_domain(frame.value)) if log_y else alt.Scale(zero=False)
    # every x but the weight scale a counts something (layers, steps): whole-number ticks
    x_axis = alt.Axis() if log_x else alt.Axis(tickMinStep=1, format="d")
    base = alt.Chart(frame).encode(
        x=alt.X("x:Q", title=t(f"papers.{name}.x_axis"), scale=x_scale, axis=x_axis),
        y=alt.Y("value:Q", title=t(f"papers.{name}.y_axis"), scale=y_scale),
        color=alt.Color(
            "label:N",
            title=None,
            scale=alt.Scale(domain=labels, range=list(COLOURS[: len(labels)])),
            legend=alt.Legend(orient="top", columns=2, labelLimit=360),
        ),
        tooltip=[
            alt.Tooltip("label:N", title=t("papers.series_title")),
            alt.Tooltip("x:Q", title=t(f"papers.{name}.x_axis"), format=".4g"),
            alt.Tooltip("value:Q", title=t(f"papers.{name}.y_axis"), format=EXACT),
        ],
    )
    measured = base.transform_filter(alt.datum.kind == "measured")
    many_points = frame[frame.kind == "measured"].groupby("series").size().max() > 40
    measured_mark = measured.mark_line(strokeWidth=2) if many_points else measured.mark_line(point=True, strokeWidth=2)
    layers = [measured_mark]
    if (frame.kind == "theory").any():  # dashed, under the measurement
        layers.insert(0, base.transform_filter(alt.datum.kind == "theory").mark_line(strokeWidth=2, strokeDash=[6, 4]))
    title = alt.Title(t(f"papers.{name}.chart_title"), subtitle=t(f"papers.{name}.chart_subtitle"), anchor="start")
    return alt.layer(*layers, title=title).properties(width=WIDTH, height=height)
