"""Charts of the RNN vs LSTM runs: ‖∂L/∂h_t‖ over time step × training step, its profile over t at one step
(with the Pascanu bound), λ₁ of the recurrent matrix against 1/γ, and accuracy over training.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, log_domain, positive
from explorer.i18n import Translator

HEAT_SCHEME = "viridis"  # dark: the gradient barely reaches that time step


def time_grad_heatmap(
    time_grads: pd.DataFrame, t: Translator, *, title: str, domain: list[float] | None = None, height: int = 340
) -> alt.Chart:
    """Time step t (up) × training step (across), coloured by log₁₀ ‖∂L/∂h_t‖. Pass the same `domain` (in
    ‖∂L/∂h_t‖) to two heatmaps so their colours compare."""
    data = positive(time_grads, "grad_norm").copy()
    if data.empty:
        return empty_chart(t("rnn.chart_nothing"))
    steps = np.sort(data.step.unique())
    stride = int(steps[1] - steps[0]) if len(steps) > 1 else 1
    data["step_end"] = data.step + stride
    data["t_end"] = data.t + 1
    data["log_grad"] = np.log10(data.grad_norm)
    low, high = np.log10(domain if domain is not None else log_domain(data.grad_norm, pad_decades=0))
    return (
        alt.Chart(data, title=alt.Title(title, subtitle=t("rnn.heatmap_subtitle"), anchor="start"))
        .mark_rect()
        .encode(
            x=alt.X("step:Q", title=t("rnn.axis_step"), scale=alt.Scale(nice=False)),
            x2="step_end:Q",
            y=alt.Y("t:Q", title=t("rnn.axis_t"), scale=alt.Scale(nice=False, domain=[1, int(data.t.max()) + 1])),
            y2="t_end:Q",
            color=alt.Color(
                "log_grad:Q",
                title=t("rnn.axis_log_grad"),
                scale=alt.Scale(scheme=HEAT_SCHEME, domain=[float(low), float(high)], clamp=True),
                legend=alt.Legend(gradientLength=120),
            ),
            tooltip=[
                alt.Tooltip("step:Q", title=t("rnn.axis_step")),
                alt.Tooltip("t:Q", title=t("rnn.axis_t")),
                alt.Tooltip("grad_norm:Q", title=t("rnn.axis_grad"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def time_grad_profile(
    curves: pd.DataFrame, t: Translator, *, title: str, subtitle: str = "", height: int = 380
) -> alt.Chart:
    """‖∂L/∂h_t‖ against t, one line per `series` (columns t, grad_norm, series, cell, forget_bias, dashed:
    True for a bound)."""
    data = positive(curves, "grad_norm").copy()
    if data.empty:
        return empty_chart(t("rnn.chart_nothing"))
    data["style"] = np.where(data.dashed.astype(bool), "bound", "measured")
    series, colours = series_colours(data)
    return (
        alt.Chart(data, title=alt.Title(title, subtitle=subtitle or alt.Undefined, anchor="start"))
        .mark_line(point=alt.OverlayMarkDef(size=18) if data.t.max() <= 60 else False)
        .encode(
            x=alt.X("t:Q", title=t("rnn.axis_t"), axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(
                "grad_norm:Q",
                title=t("rnn.axis_grad_log"),
                scale=alt.Scale(type="log", domain=log_domain(data.grad_norm)),
                axis=alt.Axis(format=".0e"),
            ),
            color=_series_color(series, colours),
            strokeDash=alt.StrokeDash(
                "style:N", legend=None, scale=alt.Scale(domain=["measured", "bound"], range=[[1, 0], [6, 4]])
            ),
            tooltip=[
                alt.Tooltip("series:N", title=t("rnn.axis_series")),
                alt.Tooltip("t:Q", title=t("rnn.axis_t")),
                alt.Tooltip("grad_norm:Q", title=t("rnn.axis_grad"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def lambda_chart(spectral: pd.DataFrame, t: Translator, *, gamma: float = 1.0, height: int = 320) -> alt.Chart:
    """λ₁ of the RNN's recurrent matrix over training, with the line 1/γ below which vanishing is certain."""
    data = positive(spectral, "sigma_max")
    if data.empty:
        return empty_chart(t("rnn.chart_nothing"))
    bound = 1.0 / gamma
    top = max(float(data.sigma_max.max()), bound) * 1.15
    y_scale = alt.Scale(domain=[0, top], nice=False)
    line = (
        alt.Chart(data)
        .mark_line(color=QUANTITY_COLOURS[0], point=alt.OverlayMarkDef(size=16))
        .encode(
            x=alt.X("step:Q", title=t("rnn.axis_step")),
            y=alt.Y("sigma_max:Q", title=t("rnn.axis_lambda"), scale=y_scale),
            tooltip=[
                alt.Tooltip("step:Q", title=t("rnn.axis_step")),
                alt.Tooltip("sigma_max:Q", title=t("rnn.axis_lambda"), format=".4f"),
            ],
        )
    )
    zone = pd.DataFrame({"low": [0.0], "high": [bound], "label": [t("rnn.lambda_zone", bound=f"{bound:g}")]})
    band = (
        alt.Chart(zone)
        .mark_rect(color=QUANTITY_COLOURS[1], opacity=0.08)
        .encode(y=alt.Y("low:Q", scale=y_scale), y2="high:Q")
    )
    rule = (
        alt.Chart(zone).mark_rule(color=QUANTITY_COLOURS[1], strokeDash=[6, 4]).encode(y=alt.Y("high:Q", scale=y_scale))
    )
    label = (
        alt.Chart(zone)
        .mark_text(align="left", baseline="top", dx=4, dy=4, color=QUANTITY_COLOURS[1], fontSize=12)
        .encode(y=alt.Y("high:Q", scale=y_scale), x=alt.value(0), text="label:N")
    )
    title = alt.Title(t("rnn.lambda_title"), subtitle=t("rnn.lambda_subtitle"), anchor="start")
    return alt.layer(band, rule, line, label, title=title).properties(width=WIDTH, height=height)


def accuracy_chart(steps: pd.DataFrame, t: Translator, *, chance: float, height: int = 360) -> alt.Chart:
    """Held-out accuracy over training, one line per `series` (columns step, accuracy, loss, series, cell, forget_bias), chance dashed."""
    if steps.empty:
        return empty_chart(t("rnn.chart_nothing"))
    series, colours = series_colours(steps)
    lines = (
        alt.Chart(steps)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("step:Q", title=t("rnn.axis_step")),
            y=alt.Y(
                "accuracy:Q",
                title=t("rnn.axis_accuracy"),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=_series_color(series, colours),
            tooltip=[
                alt.Tooltip("series:N", title=t("rnn.axis_series")),
                alt.Tooltip("step:Q", title=t("rnn.axis_step")),
                alt.Tooltip("accuracy:Q", title=t("rnn.axis_accuracy"), format=".1%"),
                alt.Tooltip("loss:Q", title=t("rnn.axis_loss"), format=".4f"),
            ],
        )
    )
    guess = pd.DataFrame({"chance": [chance], "label": [t("rnn.chance_label", chance=f"{chance:.0%}")]})
    rule = alt.Chart(guess).mark_rule(color="#888", strokeDash=[4, 4]).encode(y="chance:Q")
    label = (
        alt.Chart(guess)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color="#666")
        .encode(y="chance:Q", x=alt.value(0), text="label:N")
    )
    title = alt.Title(t("rnn.accuracy_title"), subtitle=t("rnn.accuracy_subtitle"), anchor="start")
    return alt.layer(rule, label, lines, title=title).properties(width=WIDTH, height=height)


RNN_COLOUR = "#d62728"
# LSTMs by forget bias, the same on every chart: the page always compares 0, 1 and 3.
LSTM_COLOURS = {0.0: "#1f77b4", 1.0: "#2ca02c", 3.0: "#9467bd"}
OTHER_LSTM_COLOUR = "#ff7f0e"


def series_colours(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The series in order of appearance and their colours: red for the RNN (and its bound); an LSTM's by
    its forget bias (column `forget_bias`), so one run has one colour on every chart."""
    first = frame.drop_duplicates("series").set_index("series")
    colours = [
        RNN_COLOUR if first.cell[name] == "rnn" else LSTM_COLOURS.get(float(first.forget_bias[name]), OTHER_LSTM_COLOUR)
        for name in first.index
    ]
    return list(first.index), colours


def shared_domain(*frames: pd.DataFrame) -> list[float]:
    """One ‖∂L/∂h_t‖ range over several runs, so their heatmaps share a colour scale."""
    values = pd.concat([frame.grad_norm for frame in frames]) if frames else pd.Series(dtype=float)
    return log_domain(values, pad_decades=0)


def _series_color(series: list[str], colours: list[str]) -> alt.Color:
    """One colour per run (RNN, each LSTM, the bound), legend on top, in the runs' order."""
    return alt.Color(
        "series:N",
        title=None,
        sort=series,
        scale=alt.Scale(domain=series, range=colours),
        legend=alt.Legend(orient="top", labelLimit=320),
    )
