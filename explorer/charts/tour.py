"""The tour's reveal: the measured value, the theory's prediction (where one applies), other measured runs
and the reader's guess, side by side on the one log scale the options were given on."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import EXACT, WIDTH, decade_axis, log_domain, positive
from explorer.i18n import Translator

KINDS = ("measured", "theory", "reference", "guess")
COLOURS = {"measured": "#1f77b4", "theory": "#2ca02c", "reference": "#7f7f7f", "guess": "#d62728"}
SHAPES = {"measured": "circle", "theory": "diamond", "reference": "square", "guess": "cross"}


def reveal_frame(
    measured: float,
    theory: float | None,
    references: list[tuple[str, float]],
    guess: float,
    t: Translator,
    theory_label: str = "",
) -> pd.DataFrame:
    """label, value, kind, shown (the value as printed): one row per mark, labels already translated
    (references: (label, value) pairs)."""
    rows = [(t("tour.series_measured"), measured, "measured")]
    if theory is not None:
        rows.append((theory_label, theory, "theory"))
    rows += [(label, value, "reference") for label, value in references]
    rows.append((t("tour.series_guess"), guess, "guess"))
    frame = pd.DataFrame(rows, columns=["label", "value", "kind"])
    return frame.assign(shown=[_short(v) for v in frame.value])


def _short(value: float) -> str:
    """3 significant digits, scientific outside 0.01 … 1000 (the numbers printed beside the marks)."""
    if not (value == value and abs(value) != float("inf")):
        return ""
    return f"{value:.3g}" if value == 0 or 1e-2 <= abs(value) < 1e3 else f"{value:.2e}"


def reveal(frame: pd.DataFrame, options: tuple[float, ...], title: str, t: Translator) -> alt.Chart:
    """One row per mark on a shared log x axis; the options offered are light vertical rules."""
    drawn = positive(frame, "value")
    low, high = log_domain(pd.concat([drawn.value, pd.Series(options, dtype=float)]), pad_decades=0.5)
    domain = [low, high * (high / low) ** 0.12]  # room on the right for the printed values
    x = alt.X(
        "value:Q", title=t("tour.axis_value"), scale=alt.Scale(type="log", domain=domain), axis=decade_axis(domain)
    )
    order = list(drawn.label)
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    rules = (
        alt.Chart(pd.DataFrame({"value": options}))
        .mark_rule(color="#bbbbbb", strokeDash=[3, 3])
        .encode(x=alt.X("value:Q", scale=alt.Scale(type="log", domain=domain)))
    )
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=list(KINDS), range=[COLOURS[k] for k in KINDS]),
        legend=None,
    )
    shape = alt.Shape("kind:N", scale=alt.Scale(domain=list(KINDS), range=[SHAPES[k] for k in KINDS]), legend=None)
    tooltip = [alt.Tooltip("label:N", title=t("tour.tooltip_series")), alt.Tooltip("value:Q", format=EXACT)]
    points = (
        alt.Chart(drawn).mark_point(size=220, filled=True).encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    )
    labels = alt.Chart(drawn).mark_text(align="left", dx=12, fontSize=12).encode(x=x, y=y, text="shown:N", color=colour)
    height = 44 * max(len(drawn), 1)
    return alt.layer(rules, points, labels).properties(
        title=alt.TitleParams(title, subtitle=t("tour.chart_subtitle")), height=height, width=WIDTH
    )
