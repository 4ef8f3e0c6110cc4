"""Charts of exploding gradients and their remedies (one line per arm over training steps), and of
Pascanu et al.'s one-unit toy: its loss surface with the descent paths, a slice through the cliff.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.common import EXACT, LOG_AXIS, QUANTITY_COLOURS, WIDTH, empty_chart, log_domain, log_y, positive
from explorer.i18n import Translator

ARM_ORDER = ("none", "clip_norm", "clip_value", "weight_decay", "clip_norm_decay")
ARM_COLOURS = ("#d62728", "#1f77b4", "#17becf", "#ff7f0e", "#2ca02c")
LOG_LOSS_FLOOR = -3.0
PATH_COLOURS = {"plain": "#d62728", "clipped": "#00d5ef"}  # both visible on viridis and on white


def _arm_names(t: Translator) -> list[str]:
    return [t(f"exploding.arm_{arm}") for arm in ARM_ORDER]


def _named(frame: pd.DataFrame, t: Translator) -> pd.DataFrame:
    return frame.assign(arm_name=frame.arm.map(lambda arm: t(f"exploding.arm_{arm}")))


def by_arm(steps: pd.DataFrame, column: str, t: Translator, *, height: int = 400) -> alt.Chart:
    """`column` over training for every arm, on a log axis (an exploding run spans many decades)."""
    data = positive(steps, column)
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    axis = t(f"exploding.axis_{column}")
    return (
        alt.Chart(
            _named(data, t),
            title=alt.Title(t(f"exploding.chart_{column}_title"), subtitle=t(f"exploding.chart_{column}_subtitle")),
        )
        .mark_line(strokeWidth=1.6, point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=alt.Y(
                f"{column}:Q", title=axis, scale=alt.Scale(type="log", domain=log_domain(data[column])), axis=LOG_AXIS
            ),
            color=alt.Color(
                "arm_name:N",
                title=None,
                scale=alt.Scale(domain=_arm_names(t), range=list(ARM_COLOURS)),
                legend=alt.Legend(orient="top", columns=2, labelLimit=220),
            ),
            tooltip=[
                alt.Tooltip("arm_name:N", title=t("exploding.chart_arm")),
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip(f"{column}:Q", title=axis, format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def before_after(
    steps: pd.DataFrame, before: str, after: str, threshold: float, kind: str, t: Translator, *, height: int = 360
) -> alt.Chart:
    """One clipping arm: the quantity before clipping and as applied, with the threshold as a rule.
    `kind` is "norm" (global-norm clipping) or "value" (clip-by-value: the largest entry)."""
    names = {before: t(f"exploding.before_{kind}"), after: t(f"exploding.after_{kind}")}
    data = steps.melt(id_vars=["step", "fired"], value_vars=[before, after], var_name="which", value_name="value")
    data = positive(data.assign(which=data.which.map(names)), "value")
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    axis = t(f"exploding.axis_{kind}")
    domain = log_domain(np.append(data.value.to_numpy(), threshold))
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=1.6, point=alt.OverlayMarkDef(size=14))
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=alt.Y("value:Q", title=axis, scale=alt.Scale(type="log", domain=domain), axis=LOG_AXIS),
            color=alt.Color(
                "which:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=list(QUANTITY_COLOURS[1::-1])),
                legend=alt.Legend(orient="top", labelLimit=260),
            ),
            strokeDash=alt.StrokeDash("which:N", legend=None, scale=alt.Scale(range=[[1, 0], [5, 3]])),
            tooltip=[
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip("which:N", title=t("charts.quantity")),
                alt.Tooltip("value:Q", title=axis, format=EXACT),
                alt.Tooltip("fired:N", title=t("exploding.chart_fired")),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"threshold": [threshold], "label": [t("exploding.threshold", value=f"{threshold:g}")]}))
        .mark_rule(color="#555", strokeDash=[2, 2])
        .encode(y="threshold:Q", tooltip=[alt.Tooltip("label:N", title=t("exploding.chart_threshold"))])
    )
    title = alt.Title(t(f"exploding.chart_{kind}_clip_title"), subtitle=t(f"exploding.chart_{kind}_clip_subtitle"))
    return alt.layer(lines, rule, title=title).properties(width=WIDTH, height=height)


def clipped_share(steps: pd.DataFrame, t: Translator, *, height: int = 240) -> alt.Chart:
    """Clip-by-value: the share of gradient entries it changed at each step."""
    data = steps[np.isfinite(steps.clipped_share.astype(float))]
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    return (
        alt.Chart(data, title=t("exploding.chart_share_title"))
        .mark_area(opacity=0.6, color=QUANTITY_COLOURS[3], line=True)
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=alt.Y("clipped_share:Q", title=t("exploding.axis_share"), axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip("clipped_share:Q", title=t("exploding.axis_share"), format=".2%"),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


# ----- the one-unit toy ----------------------------------------------------------------------------------


def _path_names(t: Translator) -> dict[str, str]:
    return {"plain": t("exploding.path_plain"), "clipped": t("exploding.path_clipped")}


def cliff_surface(surface: pd.DataFrame, paths: pd.DataFrame, t: Translator, *, height: int = 520) -> alt.Chart:
    """log10 of the loss over (w, b), with both descent paths on top (points outside the box are cut off)."""
    if surface.empty:
        return empty_chart(t("charts.nothing_recorded"))
    w_values, b_values = np.sort(surface.w.unique()), np.sort(surface.b.unique())
    dw, db = float(w_values[1] - w_values[0]), float(b_values[1] - b_values[0])
    # Only the four columns the chart reads travel to the browser; cell edges are computed there
    # (14,641 cells: four more columns would take the page's chart data past 1 MB).
    grid = surface[["w", "b", "loss", "grad_norm"]].assign(log_loss=np.log10(surface.loss.clip(lower=1e-12)))
    top = float(grid.log_loss.max())
    x_scale = alt.Scale(domain=[float(w_values[0]), float(w_values[-1])], nice=False)
    y_scale = alt.Scale(domain=[float(b_values[0]), float(b_values[-1])], nice=False)
    heat = (
        alt.Chart(grid)
        .transform_calculate(
            w0=f"datum.w - {dw / 2!r}",
            w1=f"datum.w + {dw / 2!r}",
            b0=f"datum.b - {db / 2!r}",
            b1=f"datum.b + {db / 2!r}",
        )
        .mark_rect()
        .encode(
            x=alt.X("w0:Q", title=t("exploding.axis_w"), scale=x_scale),
            x2="w1:Q",
            y=alt.Y("b0:Q", title=t("exploding.axis_b"), scale=y_scale),
            y2="b1:Q",
            color=alt.Color(
                "log_loss:Q",
                title=t("exploding.axis_log_loss"),
                # the valley's floor reaches 1e-12; clamping at 1e-3 leaves the colours to the cliff and slopes
                scale=alt.Scale(scheme="viridis", domain=[min(LOG_LOSS_FLOOR, top - 1), top], clamp=True),
                legend=alt.Legend(gradientLength=200),
            ),
            tooltip=[
                alt.Tooltip("w:Q", title="w", format=".3f"),
                alt.Tooltip("b:Q", title="b", format=".3f"),
                alt.Tooltip("loss:Q", title=t("charts.loss"), format=EXACT),
                alt.Tooltip("grad_norm:Q", title=t("exploding.axis_toy_grad"), format=EXACT),
            ],
        )
    )
    names = _path_names(t)
    path_data = paths.assign(path=paths.arm.map(names))
    path_scale = alt.Scale(domain=list(names.values()), range=[PATH_COLOURS["plain"], PATH_COLOURS["clipped"]])
    path_colour = alt.Color("path:N", title=None, scale=path_scale, legend=alt.Legend(orient="top", labelLimit=300))
    tooltip = [
        alt.Tooltip("path:N", title=t("exploding.chart_path")),
        alt.Tooltip("step:Q", title=t("charts.step")),
        alt.Tooltip("w:Q", title="w", format=".4f"),
        alt.Tooltip("b:Q", title="b", format=".4f"),
        alt.Tooltip("loss:Q", title=t("charts.loss"), format=EXACT),
        alt.Tooltip("grad_norm:Q", title=t("exploding.axis_toy_grad"), format=EXACT),
    ]
    lines = (
        alt.Chart(path_data)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=alt.X("w:Q", scale=x_scale),
            y=alt.Y("b:Q", scale=y_scale),
            color=alt.Color("path:N", scale=path_scale, legend=None),
            detail="path:N",
            order="step:Q",
        )
    )
    dots = (
        alt.Chart(path_data)
        .mark_circle(size=22, clip=True, stroke="black", strokeWidth=0.4, opacity=1)
        .encode(x=alt.X("w:Q", scale=x_scale), y=alt.Y("b:Q", scale=y_scale), color=path_colour, tooltip=tooltip)
    )
    title = alt.Title(t("exploding.chart_surface_title"), subtitle=t("exploding.chart_surface_subtitle"))
    return (
        alt.layer(heat, lines, dots, title=title)
        .resolve_scale(color="independent")
        .properties(width=WIDTH, height=height)
    )


def cliff_slice(slice_: pd.DataFrame, w: float, t: Translator, *, height: int = 230) -> alt.Chart:
    """Loss and |∂L/∂b| along b at fixed w, one above the other (the gradient on a log axis)."""
    if slice_.empty:
        return empty_chart(t("charts.nothing_recorded"))
    x = alt.X("b:Q", title=t("exploding.axis_b"), scale=alt.Scale(nice=False))
    tooltip = [
        alt.Tooltip("b:Q", title="b", format=".15g"),
        alt.Tooltip("loss:Q", title=t("charts.loss"), format=EXACT),
        alt.Tooltip("grad_b:Q", title=t("exploding.axis_grad_b"), format=EXACT),
    ]
    loss = (
        alt.Chart(
            slice_,
            title=alt.Title(t("exploding.chart_slice_title", w=f"{w:g}"), subtitle=t("exploding.chart_slice_subtitle")),
        )
        .mark_line(color=QUANTITY_COLOURS[0], point=alt.OverlayMarkDef(size=6, color=QUANTITY_COLOURS[0]))
        .encode(x=x, y=alt.Y("loss:Q", title=t("charts.loss")), tooltip=tooltip)
        .properties(width=WIDTH, height=height)
    )
    grads = positive(slice_, "grad_b")
    grad = (
        alt.Chart(grads)
        .mark_line(color=QUANTITY_COLOURS[1], point=alt.OverlayMarkDef(size=6, color=QUANTITY_COLOURS[1]))
        .encode(
            x=x,
            y=log_y("grad_b:Q", t("exploding.axis_grad_b"), grads.grad_b),
            tooltip=tooltip,
        )
        .properties(width=WIDTH, height=height)
    )
    return alt.vconcat(loss, grad)


def path_gradients(paths: pd.DataFrame, threshold: float, t: Translator, *, height: int = 380) -> alt.Chart:
    """‖∇L‖ met at every step of both paths (log axis), with the clipping threshold."""
    data = positive(paths.assign(path=paths.arm.map(_path_names(t))), "grad_norm")
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    names = _path_names(t)
    axis = t("exploding.axis_toy_grad")
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=1.6, point=alt.OverlayMarkDef(size=10))
        .encode(
            x=alt.X("step:Q", title=t("charts.step")),
            y=log_y("grad_norm:Q", axis, np.append(data.grad_norm.to_numpy(), threshold)),
            color=alt.Color(
                "path:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=[PATH_COLOURS["plain"], PATH_COLOURS["clipped"]]),
                legend=alt.Legend(orient="top", labelLimit=300),
            ),
            tooltip=[
                alt.Tooltip("path:N", title=t("exploding.chart_path")),
                alt.Tooltip("step:Q", title=t("charts.step")),
                alt.Tooltip("grad_norm:Q", title=axis, format=EXACT),
                alt.Tooltip("loss:Q", title=t("charts.loss"), format=EXACT),
                alt.Tooltip("fired:N", title=t("exploding.chart_fired")),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"threshold": [threshold], "label": [t("exploding.threshold", value=f"{threshold:g}")]}))
        .mark_rule(color="#555", strokeDash=[2, 2])
        .encode(y="threshold:Q", tooltip=[alt.Tooltip("label:N", title=t("exploding.chart_threshold"))])
    )
    title = alt.Title(t("exploding.chart_path_grad_title"), subtitle=t("exploding.chart_path_grad_subtitle"))
    return alt.layer(lines, rule, title=title).properties(width=WIDTH, height=height)
