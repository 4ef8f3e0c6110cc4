"""Charts of one instrumented run (the gradient flow lab): the animated per-layer norms, the update-ratio
heatmap, training curves, the decision boundary, activation statistics.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import (
    EXACT,
    QUANTITY_COLOURS,
    WIDTH,
    decade_axis,
    empty_chart,
    layer_color,
    log_domain,
    positive,
)
from explorer.i18n import Translator

ANIMATION_MS = 10_000  # one pass over all the steps where the layers were measured
# The lab view's sections (its tabs, in order): which of these charts go together on one screen.
SECTIONS = ("layers", "training", "distributions", "prediction")


def norms_by_layer(layers: pd.DataFrame, t: Translator) -> pd.DataFrame:
    """Tidy (step, frame, layer, quantity, norm) of the signal and weight-gradient norms, drawable on a log axis."""
    steps = sorted(layers.step.unique())
    frame = layers.melt(
        id_vars=["step", "layer"], value_vars=["signal_norm", "grad_norm"], var_name="quantity", value_name="norm"
    )
    frame["frame"] = frame.step.map({step: i for i, step in enumerate(steps)})
    frame["quantity"] = frame.quantity.map({"signal_norm": t("charts.signal"), "grad_norm": t("charts.weight_grad")})
    return positive(frame, "norm")


def animated_layer_norms(layers: pd.DataFrame, t: Translator, *, height: int = 300) -> alt.Chart:
    """Per-layer ||dL/dz_l|| and ||dL/dW_l|| on a log axis, one frame per recorded step.

    It plays by itself (a Vega-Lite timer selection over the `time` channel, which Streamlit's Vega-Lite
    6 animates for a single point mark), the title names the step on screen, and unticking "play" hands
    the frame to a slider that scrubs client-side. Both axes are fixed so frames are comparable.
    """
    data = norms_by_layer(layers, t)
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    steps = sorted(layers.step.unique())
    n_layers = int(layers.layer.max())
    domain = log_domain(data.norm)
    step_list = "[" + ",".join(str(int(s)) for s in steps) + "]"

    play = alt.selection_point(name="play", fields=["step"], on="timer")
    playing = alt.param(name="playing", value=True, bind=alt.binding_checkbox(name=t("charts.play") + " "))
    # The slider moves in step units and ends at the last step: one stride at a time when the steps are evenly
    # spaced, else one step at a time (the last frame may be a shorter stride away), showing the frame at or
    # before the step picked; the title names the step drawn.
    stride = int(steps[1] - steps[0]) if len(steps) > 1 else 1
    last_frame, last_step = len(steps) - 1, int(steps[-1])
    even = last_step == last_frame * stride
    picked = alt.param(
        name="picked",
        value=last_step,
        bind=alt.binding_range(min=0, max=last_step, step=stride if even else 1, name=t("charts.scrub") + " "),
    )
    frame = f"(picked >= {last_step} ? {last_frame} : min(floor(picked / {stride}), {last_frame}))"
    on_screen = "(!length(data('play_store')) || vlSelectionTest('play_store', datum))"
    shown_step = f"(playing ? (isValid(anim_value) ? anim_value : 0) : {step_list}[{frame}])"
    title = alt.Title(
        text=alt.ExprRef(expr=f"'{t('charts.norms_title')} — {t('charts.step')} ' + {shown_step}"),
        subtitle=t("charts.norms_subtitle"),
        anchor="start",
    )
    return (
        alt.Chart(data, title=title)
        .mark_point(filled=True, size=90, opacity=0.9)
        .encode(
            x=alt.X(
                "layer:Q",
                title=t("charts.layer_axis"),
                scale=alt.Scale(domain=[0.5, n_layers + 0.5]),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            y=alt.Y(
                "norm:Q",
                title=t("charts.norm_axis"),
                scale=alt.Scale(type="log", domain=domain),
                axis=decade_axis(domain),
            ),
            color=alt.Color(
                "quantity:N",
                title=None,
                scale=alt.Scale(range=list(QUANTITY_COLOURS[:2])),
                legend=alt.Legend(orient="top"),
            ),
            shape=alt.Shape("quantity:N", title=None, legend=None),
            time=alt.Time("step:O", scale=alt.Scale(range=[0, ANIMATION_MS])),
            tooltip=[
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("quantity:N", title=t("charts.quantity")),
                alt.Tooltip("norm:Q", title=t("charts.value"), format=EXACT),
            ],
        )
        .add_params(play, playing, picked)
        .transform_filter(f"playing ? {on_screen} : datum.frame == {frame}")
        .properties(width=WIDTH, height=height)
    )


def layer_history(layers: pd.DataFrame, quantity: str, t: Translator, *, height: int = 260) -> alt.Chart:
    """One line per layer of `quantity` over training, coloured by layer position (log axis)."""
    data = positive(layers[["step", "layer", quantity]], quantity)
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    n_layers = int(layers.layer.max())
    domain = log_domain(data[quantity])
    return (
        alt.Chart(data, title=t(f"charts.history_{quantity}"))
        .mark_line(strokeWidth=1.5)
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=alt.Y(
                f"{quantity}:Q",
                title=t(f"charts.{quantity}"),
                scale=alt.Scale(type="log", domain=domain),
                axis=decade_axis(domain),
            ),
            color=layer_color(t, n_layers),
            detail="layer:N",
            tooltip=[
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip(f"{quantity}:Q", title=t(f"charts.{quantity}"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def update_ratio_heatmap(layers: pd.DataFrame, t: Translator, *, height: int = 300) -> alt.Chart:
    """Layer x step of log10 ||dW||/||W||: input-side layers that barely learn show up dark."""
    data = layers[["step", "layer", "update_ratio"]].copy()
    data = data[np.isfinite(data.update_ratio)]
    if data.empty:
        return empty_chart(t("charts.no_updates"))
    steps = np.sort(data.step.unique())
    stride = int(steps[1] - steps[0]) if len(steps) > 1 else 1
    data["step_end"] = data.step + stride
    with np.errstate(divide="ignore"):
        data["log_ratio"] = np.log10(data.update_ratio.where(data.update_ratio > 0))
    return (
        alt.Chart(
            data,
            title=alt.Title(
                t("charts.heatmap_title"), subtitle=t("charts.heatmap_subtitle").split("\n"), anchor="start"
            ),
        )
        .mark_rect()
        .encode(
            x=alt.X("step:Q", title=t("charts.step"), scale=alt.Scale(nice=False)),
            x2="step_end:Q",
            y=alt.Y("layer:O", title=t("charts.layer_axis"), sort="descending"),
            color=alt.Color(
                "log_ratio:Q",
                title=t("charts.log_update_ratio"),
                scale=alt.Scale(scheme="inferno"),
                legend=alt.Legend(gradientLength=160),
            ),
            tooltip=[
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("update_ratio:Q", title=t("charts.update_ratio"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def loss_curve(steps: pd.DataFrame, t: Translator, *, height: int = 190) -> alt.Chart:
    """Training-batch loss over the recorded steps."""
    return _step_curve(steps, "loss", QUANTITY_COLOURS[0], alt.Scale(zero=False), None, ".4f", t, height)


def accuracy_curve(steps: pd.DataFrame, t: Translator, *, height: int = 190) -> alt.Chart:
    """Training-batch accuracy over the recorded steps (0.5 is chance for two balanced classes)."""
    return _step_curve(steps, "accuracy", QUANTITY_COLOURS[2], alt.Scale(domain=[0, 1]), "%", ".1%", t, height)


def _step_curve(steps, column, colour, scale, axis_format, tip_format, t: Translator, height: int) -> alt.Chart:
    if steps.empty:
        return empty_chart(t("charts.nothing_recorded"))
    axis = alt.Axis(format=axis_format) if axis_format else alt.Undefined
    return (
        alt.Chart(steps, title=t(f"charts.{column}_title"))
        .mark_line(color=colour)
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=alt.Y(f"{column}:Q", title=t(f"charts.{column}"), scale=scale, axis=axis),
            tooltip=[
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip(f"{column}:Q", title=t(f"charts.{column}"), format=tip_format),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def decision_boundary(boundary: pd.DataFrame, data: pd.DataFrame, t: Translator, *, height: int = 380) -> alt.Chart:
    """P(class 1) of the trained net over the plane, with the training points on top."""
    points = (
        alt.Chart(data.assign(label=data.label.astype(str)))
        .mark_circle(size=14, opacity=0.8, stroke="white", strokeWidth=0.3)
        .encode(
            x=alt.X("x1:Q", title="x₁", scale=alt.Scale(zero=False, nice=False)),
            y=alt.Y("x2:Q", title="x₂", scale=alt.Scale(zero=False, nice=False)),
            color=alt.Color(
                "label:N",
                title=t("charts.class"),
                scale=alt.Scale(range=["#08519c", "#a50f15"]),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
        )
    )
    title = alt.Title(t("charts.boundary_title"), subtitle=t("charts.boundary_subtitle"), anchor="start")
    if boundary.empty:
        return points.properties(title=t("charts.boundary_missing"), width=WIDTH, height=height)
    step = float(np.diff(np.sort(boundary.x1.unique()))[:1].sum() or 0.1)
    step2 = float(np.diff(np.sort(boundary.x2.unique()))[:1].sum() or 0.1)
    grid = boundary.assign(x1_end=boundary.x1 + step, x2_end=boundary.x2 + step2)
    surface = (
        alt.Chart(grid)
        .mark_rect(opacity=0.55)
        .encode(
            x="x1:Q",
            x2="x1_end:Q",
            y="x2:Q",
            y2="x2_end:Q",
            color=alt.Color(
                "p:Q", title=t("charts.p_class1"), scale=alt.Scale(scheme="redblue", domain=[0, 1], reverse=True)
            ),
            tooltip=[alt.Tooltip("p:Q", title=t("charts.p_class1"), format=".3f")],
        )
    )
    return (
        alt.layer(surface, points, title=title)
        .resolve_scale(color="independent")
        .properties(width=WIDTH, height=height)
    )


def _first_and_last(layers: pd.DataFrame, t: Translator) -> pd.DataFrame:
    first, last = layers.step.min(), layers.step.max()
    data = layers[layers.step.isin([first, last])].copy()
    data["when"] = np.where(data.step == first, t("charts.at_start"), t("charts.at_end", step=int(last)))
    return data


def _per_layer_line(
    data: pd.DataFrame, column: str, n_layers: int, t: Translator, colour: str, y: alt.Y, fmt: str, height: int
) -> alt.Chart:
    return (
        alt.Chart(data, title=t(f"charts.{column}_title"))
        .mark_line(point=True, color=colour)
        .encode(
            x=alt.X(
                "layer:Q",
                title=t("charts.layer_axis"),
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0.5, n_layers + 0.5]),
            ),
            y=y,
            strokeDash=alt.StrokeDash("when:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("when:N", title=t("charts.when")),
                alt.Tooltip(f"{column}:Q", title=t(f"charts.{column}"), format=fmt),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def activation_spread(layers: pd.DataFrame, t: Translator, *, height: int = 190) -> alt.Chart:
    """Std of each layer's activations at the first and the last recorded step."""
    if layers.empty:
        return empty_chart(t("charts.nothing_recorded"))
    data = _first_and_last(layers, t)
    y = alt.Y("act_std:Q", title=t("charts.act_std"))
    return _per_layer_line(data, "act_std", int(layers.layer.max()), t, QUANTITY_COLOURS[0], y, EXACT, height)


def saturation(layers: pd.DataFrame, t: Translator, *, height: int = 190) -> alt.Chart:
    """Fraction of saturated units per hidden layer (the output layer has no activation) at start and end."""
    hidden = layers[layers.layer < layers.layer.max()] if not layers.empty else layers
    if hidden.empty:
        return empty_chart(t("charts.nothing_recorded"))
    data = _first_and_last(hidden, t)
    y = alt.Y("saturation:Q", title=t("charts.saturation"), scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    return _per_layer_line(data, "saturation", int(layers.layer.max()), t, QUANTITY_COLOURS[1], y, ".1%", height)
