"""A board of pinned runs: up to 8 lab configurations from the URL's `pins`, on shared axes, with a
sortable table of each pin's key figures. Each pin is a cached run; the board's total is bounded."""

import streamlit as st

from explorer.app import ui
from explorer.charts import board as charts
from explorer.engine.config import MAX_RUN_SECONDS, bound_problem
from explorer.lessons import board as pins

t = ui.translator()
ui.language_picker(t)
board = ui.board_from_url(t)
ui.write_url(board)

st.title(t("board.title"))
ui.prose(t("board.intro", limit=pins.MAX_PINS))
if not board.pins:
    st.info(t("board.empty"))
    st.page_link("pages/lab.py", label=t("nav.lab"), icon=":material/arrow_forward:")
    st.stop()

ui.pin_rows(board, t)
seconds = board.estimated_seconds()
if bound_problem(seconds) is not None:
    st.error(t("ui.too_large", seconds=f"{seconds:.0f}", limit=f"{MAX_RUN_SECONDS:.0f}"))
    st.stop()

results = [ui.cached_run(pin.config, t) for pin in board.pins]
if any(result is None for result in results):
    st.stop()
names = ui.pin_names(board, t)
for name, result in zip(names, results, strict=True):
    if result.diverged_at is not None:
        st.error(t("board.diverged", pin=name, step=result.diverged_at))

st.subheader(t("board.table_title"))
ui.board_table([pins.figures(name, result) for name, result in zip(names, results, strict=True)], t)
ui.prose(t("board.read_table"))

layers, steps, updates = pins.tidy(names, results)
ui.chart_grid(
    (charts.signal_by_layer(layers, names, "start", t), charts.signal_by_layer(layers, names, "end", t)),
    (charts.curves(steps, names, "loss", t), charts.curves(steps, names, "accuracy", t)),
    (charts.mean_update_ratio(updates, names, t),),
)
ui.prose(t("board.read_charts"))
