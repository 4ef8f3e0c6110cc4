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

view, code = st.tabs([t("export.tab_view"), t("export.tab_code")])
with code:
    ui.code_panel(dict(zip(labels, (base_config, remedied_config), strict=True)), t)

with view:
    base = ui.cached_run(base_config, t)
    remedied = ui.cached_run(remedied_config, t)
    if base is None or remedied is None:
        st.stop()

    figures = remedies.compare_remedy(base_config, base, remedied_config, remedied)
    if not figures.changed:
        st.info(t("compare.unchanged"))
    for label, result in zip(labels, (base, remedied), strict=True):
        if result.diverged_at is not None:
            st.error(t("compare.diverged", run=label, step=result.diverged_at))
    before, after = figures.input_signal
    st.markdown(
        t(
            "compare.verdict",
            remedy=t(f"compare.remedy_{remedy}"),
            before=f"{before:.1e}",
            after=f"{after:.1e}",
            ratio_before=f"{figures.signal_ratio[0]:.1e}",
            ratio_after=f"{figures.signal_ratio[1]:.1e}",
            acc_before=f"{figures.final_accuracy[0]:.0%}",
            acc_after=f"{figures.final_accuracy[1]:.0%}",
            loss_before=f"{figures.final_loss[0]:.3f}",
            loss_after=f"{figures.final_loss[1]:.3f}",
        )
    )
    if not ui.hidden("prose"):
        st.caption(t(f"compare.how_{remedy}"))

    layers, steps = remedies.tidy_pair(base, remedied, labels)
    order = list(labels)
    left, right = st.columns(2)
    left.altair_chart(charts.signal_by_layer(layers, order, 0, t), width="stretch")
    right.altair_chart(charts.signal_by_layer(layers, order, "last", t), width="stretch")
    left, right = st.columns(2)
    left.altair_chart(charts.curves(steps, order, "loss", t), width="stretch")
    right.altair_chart(charts.curves(steps, order, "accuracy", t), width="stretch")
    st.altair_chart(charts.mean_update_ratio(layers, order, t), width="stretch")
    ui.prose(t("compare.read"))
