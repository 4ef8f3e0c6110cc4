"""Charts that overlay two runs (without / with a remedy): per-layer signal, loss, accuracy, update ratio.
The charts themselves are shared with the board (charts/overlay.py)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts import overlay
from explorer.charts.common import QUANTITY_COLOURS
from explorer.engine import measures
from explorer.i18n import Translator

RUN_COLOURS = (QUANTITY_COLOURS[1], QUANTITY_COLOURS[0])  # without: red, with: blue
RUNS = overlay.Series("run", "compare.run", RUN_COLOURS)


def signal_by_layer(
    layers: pd.DataFrame, order: list[str], step: int | str, t: Translator, *, height: int = 360
) -> alt.Chart:
    """||dL/dz_l|| per layer for both runs at `step` (0, or "last" for each run's final recorded step)."""
    if step not in (0, "last"):
        raise ValueError(f"step: 0 or 'last'; got {step!r}")
    title = t("compare.signal_last_title" if step == "last" else "compare.signal_start_title")
    return overlay.signal_by_layer(layers, RUNS, order, step == "last", title, t, height)


def curves(steps: pd.DataFrame, order: list[str], column: str, t: Translator, *, height: int = 300) -> alt.Chart:
    """Loss or accuracy of both runs over training."""
    return overlay.curves(steps, RUNS, order, column, t, height)


def mean_update_ratio(layers: pd.DataFrame, order: list[str], t: Translator, *, height: int = 360) -> alt.Chart:
    """Mean ||dW||/||W|| of each layer over training, both runs: how fast each layer learned."""
    means = measures.mean_update_ratio(layers, by=("run",)).reset_index() if not layers.empty else layers
    return overlay.update_ratio_by_layer(means, RUNS, order, t, height)
