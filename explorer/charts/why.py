"""Charts of the "Why gradient descent" page: the loss landscape of one neuron with the descent path
over it, and the loss along the path.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, log_domain
from explorer.i18n import Translator

PATH_COLOUR = "#ff7f0e"
MINIMUM_COLOUR = "#d62728"


def _cells(surface: pd.DataFrame) -> pd.DataFrame:
    """Each grid point as a rectangle centred on it."""
    # a hair over half a cell, so neighbouring rectangles overlap instead of leaving hairline gaps
    half_w = float(surface.w.drop_duplicates().sort_values().diff().min()) * 0.51
    half_b = float(surface.b.drop_duplicates().sort_values().diff().min()) * 0.51
    return surface.assign(
        w_lo=surface.w - half_w, w_hi=surface.w + half_w, b_lo=surface.b - half_b, b_hi=surface.b + half_b
    )


def loss_landscape(
    surface: pd.DataFrame,
    path: pd.DataFrame,
    minimum: tuple[float, float, float],
    t: Translator,
    *,
    height: int = 460,
) -> alt.Chart:
    """The loss over the (w, b) plane (log colour scale), the descent path from its start, the minimum."""
    if surface.empty:
        return empty_chart(t("why.chart_no_surface"))
    cells = _cells(surface).assign(edge=lambda frame: frame.loss)
    x_domain = [float(cells.w_lo.min()), float(cells.w_hi.max())]
    y_domain = [float(cells.b_lo.min()), float(cells.b_hi.max())]
    x = alt.X(
        "w:Q",
        title=t("why.axis_w"),
        scale=alt.Scale(domain=x_domain, nice=False, zero=False),
        axis=alt.Axis(grid=False),
    )
    y = alt.Y(
        "b:Q",
        title=t("why.axis_b"),
        scale=alt.Scale(domain=y_domain, nice=False, zero=False),
        axis=alt.Axis(grid=False),
    )
    tip = [
        alt.Tooltip("w:Q", title="w", format=".4f"),
        alt.Tooltip("b:Q", title="b", format=".4f"),
        alt.Tooltip("loss:Q", title=t("why.loss"), format=EXACT),
    ]
    colours = alt.Scale(type="log", scheme="blues", reverse=True, domain=log_domain(cells.loss, 0))
    heat = (
        alt.Chart(cells)
        .mark_rect(strokeWidth=0.6)
        .encode(
            x=alt.X(
                "w_lo:Q",
                title=t("why.axis_w"),
                scale=alt.Scale(domain=x_domain, nice=False, zero=False),
                axis=alt.Axis(grid=False),
            ),
            x2="w_hi:Q",
            y=alt.Y(
                "b_lo:Q",
                title=t("why.axis_b"),
                scale=alt.Scale(domain=y_domain, nice=False, zero=False),
                axis=alt.Axis(grid=False),
            ),
            y2="b_hi:Q",
            color=alt.Color(
                "loss:Q", title=t("why.loss_legend"), scale=colours, legend=alt.Legend(gradientLength=200, format=".2g")
            ),
            # a same-colour edge hides the anti-aliasing seams between cells (its own field: no second legend)
            stroke=alt.Stroke("edge:Q", scale=colours, legend=None),
            tooltip=tip,
        )
    )
    layers = [heat]
    if not path.empty:
        walk = path.assign(kind=t("why.path_legend"))
        line = alt.Chart(walk).mark_line(color=PATH_COLOUR, strokeWidth=2, clip=True).encode(x=x, y=y, order="step:Q")
        dots = (
            alt.Chart(walk)
            .mark_circle(color=PATH_COLOUR, size=30, opacity=1, stroke="black", strokeWidth=0.4, clip=True)
            .encode(x=x, y=y, tooltip=[alt.Tooltip("step:Q", title=t("why.step")), *tip])
        )
        start = (
            alt.Chart(walk.head(1))
            .mark_point(shape="square", size=160, filled=True, color="white", stroke="black", clip=True)
            .encode(x=x, y=y, tooltip=[alt.Tooltip("step:Q", title=t("why.step")), *tip])
        )
        layers += [line, dots, start]
    w_star, b_star, loss_star = minimum
    best = pd.DataFrame({"w": [w_star], "b": [b_star], "loss": [loss_star], "label": [t("why.minimum_label")]})
    layers.append(
        alt.Chart(best)
        .mark_point(shape="cross", size=260, filled=True, color=MINIMUM_COLOUR, stroke="white", strokeWidth=1)
        .encode(x=x, y=y, tooltip=[alt.Tooltip("label:N", title=" "), *tip])
    )
    title = alt.Title(t("why.landscape_title"), subtitle=t("why.landscape_subtitle"), anchor="start")
    return alt.layer(*layers, title=title).properties(width=WIDTH, height=height)


def loss_along_path(path: pd.DataFrame, minimum_loss: float, t: Translator, *, height: int = 220) -> alt.Chart:
    """How far above the minimum the loss is at every step, L − L*, on a log axis (it spans decades)."""
    data = path.assign(excess=path.loss - minimum_loss)
    data = data[data.excess > 0]
    if data.empty:
        return empty_chart(t("why.chart_no_path"))
    return (
        alt.Chart(data, title=alt.Title(t("why.loss_title"), subtitle=t("why.loss_subtitle"), anchor="start"))
        .mark_line(color=QUANTITY_COLOURS[0], point=alt.OverlayMarkDef(size=18, color=QUANTITY_COLOURS[0]))
        .encode(
            x=alt.X("step:Q", title=t("why.step")),
            y=alt.Y("excess:Q", title=t("why.excess"), scale=alt.Scale(type="log", domain=log_domain(data.excess))),
            tooltip=[
                alt.Tooltip("step:Q", title=t("why.step")),
                alt.Tooltip("loss:Q", title=t("why.loss"), format=EXACT),
                alt.Tooltip("excess:Q", title=t("why.excess"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def gradient_along_path(path: pd.DataFrame, t: Translator, *, height: int = 220) -> alt.Chart:
    """‖∇L‖ at every step on a log axis: a straight falling line is steady convergence."""
    data = path[path.grad_norm > 0]
    if data.empty:
        return empty_chart(t("why.chart_no_path"))
    return (
        alt.Chart(data, title=alt.Title(t("why.grad_title"), subtitle=t("why.grad_subtitle"), anchor="start"))
        .mark_line(color=QUANTITY_COLOURS[1], point=alt.OverlayMarkDef(size=18, color=QUANTITY_COLOURS[1]))
        .encode(
            x=alt.X("step:Q", title=t("why.step")),
            y=alt.Y(
                "grad_norm:Q", title=t("why.grad_axis"), scale=alt.Scale(type="log", domain=log_domain(data.grad_norm))
            ),
            tooltip=[
                alt.Tooltip("step:Q", title=t("why.step")),
                alt.Tooltip("grad_norm:Q", title=t("why.grad_norm"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )
