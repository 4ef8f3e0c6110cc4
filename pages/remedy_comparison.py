"""Remedy comparison: the lab's configuration without and with one remedy, same seed, overlaid."""

import streamlit as st

from explorer.app import ui
from explorer.charts import compare as charts
from explorer.lessons import remedies

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(remedies.RemedyChoice, "compare", t)
remedy = fields.select(t("compare.remedy"), field="remedy", format_func=lambda name: t(f"compare.remedy_{name}"))
choice = fields.keep(remedies.RemedyChoice(remedy))
base_config = ui.run_config_controls(t)
ui.reset_button(t)
ui.write_url(base_config, choice)

st.title(t("compare.title"))
if not ui.hidden("prose"):
    ui.article.quote(t, "compare")
ui.prose(t("compare.intro"))
remedied_config = remedies.apply_remedy(base_config, remedy)
labels = (t("compare.without"), t("compare.with", remedy=t(f"compare.remedy_{remedy}")))

with ui.view_and_code(dict(zip(labels, (base_config, remedied_config), strict=True)), t, key="compare_tab"):
    base = ui.cached_run(base_config, t)
    remedied = ui.cached_run(remedied_config, t)
    if base is None or remedied is None:
        st.stop()

    figures = remedies.compare_remedy(base_config, base, remedied_config, remedied)
    said = remedies.verdict(figures, remedy)
    ui.show(t, said[:-2])  # "the base already had it", when it did
    for label, result in zip(labels, (base, remedied), strict=True):
        if result.diverged_at is not None:
            st.error(t("compare.diverged", run=label, step=result.diverged_at))
    ui.show(t, said[-2:-1])
    if not ui.hidden("prose"):
        ui.show(t, said[-1:])  # how the remedy works

    layers, steps = remedies.tidy_pair(base, remedied, labels)
    order = list(labels)
    ui.chart_grid(
        (charts.signal_by_layer(layers, order, 0, t), charts.signal_by_layer(layers, order, "last", t)),
        (charts.curves(steps, order, "loss", t), charts.curves(steps, order, "accuracy", t)),
        (charts.mean_update_ratio(layers, order, t),),
    )
    ui.prose(t("compare.read"))
