"""What every chart shares: the layer-position colour scale, log-axis domains, number formats."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from explorer.i18n import Translator

LAYER_SCHEME = "viridis"  # input layers dark purple, output layers yellow: the same on every chart
QUANTITY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")  # categorical series (signal, gradient, ...)
EXACT = ".3e"  # tooltips show exact values in scientific notation
WIDTH = "container"
LOG_AXIS = alt.Axis(format=".0e", labelOverlap=True)  # decades as 1e-6 … 1e0: short, comparable labels


def decade_axis(domain: list[float], max_labels: int = 8) -> alt.Axis:
    """A log axis with ticks and grid lines at whole decades only (at most `max_labels` of them)."""
    low, high = math.ceil(math.log10(domain[0])), math.floor(math.log10(domain[1]))
    exponents = list(range(low, high + 1)) or [round(math.log10(domain[0]))]
    every = max(1, math.ceil(len(exponents) / max_labels))
    return alt.Axis(format=".0e", values=[10.0**k for k in exponents[::every]], labelOverlap=True)


def layer_scale(n_layers: int) -> alt.Scale:
    return alt.Scale(scheme=LAYER_SCHEME, domain=[1, max(n_layers, 2)])


def layer_color(t: Translator, n_layers: int, field: str = "layer", legend: bool = True) -> alt.Color:
    """Colour by layer position, 1 (input side) to n_layers (output side)."""
    return alt.Color(
        f"{field}:Q",
        scale=layer_scale(n_layers),
        legend=alt.Legend(title=t("charts.layer_legend"), orient="top", direction="horizontal", gradientLength=180)
        if legend
        else None,
    )


def log_domain(values: pd.Series | np.ndarray, pad_decades: float = 0.25) -> list[float]:
    """A fixed [low, high] for a log axis covering the positive finite values (animation needs it fixed)."""
    array = np.asarray(values, dtype=float)
    array = array[np.isfinite(array) & (array > 0)]
    if array.size == 0:
        return [1e-3, 1.0]
    low, high = math.log10(array.min()) - pad_decades, math.log10(array.max()) + pad_decades
    if high - low < 1:  # at least one decade, so the axis has labelled ticks
        middle = (low + high) / 2
        low, high = middle - 0.5, middle + 0.5
    return [10**low, 10**high]


def log_y(field: str, title: str, values: pd.Series | np.ndarray) -> alt.Y:
    """A log-scale y channel over `values` (already positive) with decade labels: the shape most charts share."""
    return alt.Y(field, title=title, scale=alt.Scale(type="log", domain=log_domain(values)), axis=LOG_AXIS)


def positive(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows a log axis can draw: finite and above zero (zeros, e.g. dead ReLU signals, cannot be drawn)."""
    values = frame[column].astype(float)
    return frame[np.isfinite(values) & (values > 0)]


def empty_chart(message: str) -> alt.Chart:
    """A chart that says why it has nothing to draw, rather than an empty or grey box."""
    return (
        alt.Chart(pd.DataFrame({"message": [message]}))
        .mark_text(fontSize=14, color="#666")
        .encode(text="message:N")
        .properties(height=80, width=WIDTH)
    )
