"""The board's charts: every pinned run on shared axes (signal per layer at step 0 and at the end, loss,
accuracy, mean update ratio per layer), one colour per pin. Pure: tidy frames with a `pin` column in.
The charts themselves are the comparison's (charts/overlay.py), for up to eight runs."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts import overlay
from explorer.i18n import Translator

PIN_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
# legend labels at most 200 px: two columns of pins fit a half-width chart
PINS = overlay.Series("pin", "board.pin", PIN_COLOURS, {"columns": 2, "labelLimit": 200})


def signal_by_layer(layers: pd.DataFrame, order: list[str], when: str, t: Translator) -> alt.Chart:
    """||dL/dz_l|| per layer of every pin at step 0 (`when="start"`) or at each pin's last recorded step."""
    title = t("board.signal_start_title" if when == "start" else "board.signal_end_title")
    return overlay.signal_by_layer(layers, PINS, order, when != "start", title, t, height=340)


def curves(steps: pd.DataFrame, order: list[str], column: str, t: Translator) -> alt.Chart:
    """Loss or accuracy of every pin over training."""
    return overlay.curves(steps, PINS, order, column, t, height=300)


def mean_update_ratio(updates: pd.DataFrame, order: list[str], t: Translator) -> alt.Chart:
    """Mean ||dW||/||W|| of each layer over training (lessons.board.tidy's third frame), every pin."""
    return overlay.update_ratio_by_layer(updates, PINS, order, t, height=340)
