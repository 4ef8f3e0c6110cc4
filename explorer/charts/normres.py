"""Charts of the normalisation and residual page: z spread and saturation with/without BatchNorm, the
signal per layer of four variants, and the residual block as a Graphviz diagram (a DOT string)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, decade_axis, empty_chart, log_domain, positive
from explorer.i18n import Translator

VARIANT_ORDER = ("plain", "batch", "residual", "both")


def _by_norm(layers: pd.DataFrame, field: str, title: str, axis_title: str, t: Translator, fmt: str) -> alt.Chart:
    data = layers.assign(series=[t(f"norm.series_{norm}") for norm in layers.norm])
    order = [t("norm.series_none"), t("norm.series_batch")]
    return (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("layer:Q", title=t("charts.layer_axis"), axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(f"{field}:Q", title=axis_title, axis=alt.Axis(format=fmt)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=order, range=[QUANTITY_COLOURS[1], QUANTITY_COLOURS[0]]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("series:N", title=t("norm.tip_net")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip(f"{field}:Q", title=axis_title, format=EXACT),
            ],
        )
        .properties(height=260, width=WIDTH)
    )


def spread(layers: pd.DataFrame, t: Translator) -> alt.Chart:
    """Std of z_l (the activation's input) per layer, without and with BatchNorm."""
    return _by_norm(layers, "z_std", t("norm.spread_title"), t("norm.spread_axis"), t, ".2~f")


def saturation(layers: pd.DataFrame, t: Translator) -> alt.Chart:
    """Share of saturated units per layer, without and with BatchNorm."""
    return _by_norm(layers, "saturation", t("norm.saturation_title"), t("norm.saturation_axis"), t, ".0%")


def signal(layers: pd.DataFrame, depth: int, t: Translator) -> alt.Chart:
    """‖∂L/∂z_l‖ per layer of the four variants at one depth, log scale (zeros cannot be drawn)."""
    data = positive(layers[layers.depth == depth], "signal_norm")
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    data = data.assign(series=[t(f"norm.variant_{v}") for v in data.variant])
    order = [t(f"norm.variant_{v}") for v in VARIANT_ORDER]
    domain = log_domain(data.signal_norm)
    return (
        alt.Chart(data, title=alt.Title(t("norm.signal_title", depth=depth), subtitle=t("norm.signal_subtitle")))
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("layer:Q", title=t("charts.layer_axis"), axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(
                "signal_norm:Q",
                title=t("charts.signal_norm"),
                scale=alt.Scale(type="log", domain=domain),
                axis=decade_axis(domain),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=order, range=list(QUANTITY_COLOURS)),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("series:N", title=t("norm.tip_net")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("signal_norm:Q", title=t("charts.signal_norm"), format=EXACT),
            ],
        )
        .properties(height=300, width=WIDTH)
    )


def residual_block(t: Translator) -> str:
    """The residual block as Graphviz DOT: the weight path and the identity path meeting at a sum."""
    labels = {key: t(f"norm.diagram_{key}").replace('"', "'") for key in ("input", "weights", "identity", "output")}
    return f"""digraph {{
  rankdir=TB; bgcolor="transparent"; nodesep=0.6;
  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", color="#888", fontname="Noto Sans CJK SC"];
  edge [color="#555", fontname="Noto Sans CJK SC", fontsize=11];
  x [label="{labels["input"]}"];
  f [label="{labels["weights"]}", fillcolor="#dbe8f7"];
  sum [label="+", shape=circle, width=0.4, fillcolor="#fff"];
  y [label="{labels["output"]}"];
  x -> f -> sum;
  x -> sum [label="  {labels["identity"]}", color="#d62728", fontcolor="#d62728", penwidth=2];
  sum -> y;
}}"""
