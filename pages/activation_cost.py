"""The cost of activations (material §4.1 asks why ELU is slower): timed on the machine serving this page."""

import streamlit as st

from explorer.app import ui
from explorer.charts import cost as charts
from explorer.lessons import cost

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(cost.CostConfig, "cost", t)
log2_size = fields.select(
    t("cost.size"),
    field="log2_size",
    widget="select_slider",
    format_func=lambda k: t("cost.size_value", k=k, n=f"{2**k:,}"),
    help=t("cost.size_help"),
)
config = fields.keep(cost.CostConfig(log2_size=log2_size))
ui.write_url(config)

st.title(t("cost.title"))
ui.article.quote(t, "cost")
ui.prose(t("cost.intro"))

# Cached per process and tensor size: the first visit measures (about 2 s), later visits reuse it.
with st.spinner(t("cost.running")):
    costs = ui.cached(cost.measure_costs, config.n_elements)
    elu_sign = ui.cached(cost.measure_elu_by_sign, config.n_elements)
    setting = ui.cached(cost.setting)

by_name = costs.set_index("activation")
relu, elu = by_name.loc["relu"], by_name.loc["elu"]
slowest = by_name.total_rel.idxmax()
name = lambda activation: t(f"names.activation.{activation}")  # noqa: E731

cols = st.columns(4)
cols[0].metric(
    t("cost.metric_relu"), t("cost.microseconds", value=f"{relu.total_us:.0f}"), help=t("cost.metric_relu_help")
)
cols[1].metric(t("cost.metric_elu"), f"{elu.total_rel:.2g}×", help=t("cost.metric_rel_help"))
cols[2].metric(t("cost.metric_slowest", name=name(slowest)), f"{by_name.total_rel.max():.2g}×")
sign = elu_sign.set_index("inputs").forward_us
sign_ratio = sign["negative"] / sign["positive"]
cols[3].metric(t("cost.metric_sign"), f"{sign_ratio:.2g}×", help=t("cost.metric_sign_help"))

# Wording follows the measured sizes; the numbers are always printed.
if elu.total_rel >= 1.5:
    elu_sentence = t("cost.verdict_elu_slower", rel=f"{elu.total_rel:.2g}", fwd=f"{elu.forward_rel:.2g}")
elif elu.total_rel > 1 / 1.5:
    elu_sentence = t("cost.verdict_elu_close", rel=f"{elu.total_rel:.2g}", fwd=f"{elu.forward_rel:.2g}")
else:
    elu_sentence = t("cost.verdict_elu_faster", rel=f"{elu.total_rel:.2g}", fwd=f"{elu.forward_rel:.2g}")
if sign_ratio >= 1.5:
    sign_sentence = t(
        "cost.verdict_sign_exp", neg=f"{sign['negative']:.0f}", pos=f"{sign['positive']:.0f}", ratio=f"{sign_ratio:.2g}"
    )
else:
    sign_sentence = t(
        "cost.verdict_sign_flat",
        neg=f"{sign['negative']:.0f}",
        pos=f"{sign['positive']:.0f}",
        ratio=f"{sign_ratio:.2g}",
    )
st.info(
    ui.sentences(
        *[
            t(
                "cost.verdict_setting",
                n=f"{config.n_elements:,}",
                threads=setting["threads"],
                machine=setting["machine"],
                fwd=f"{relu.forward_us:.0f}",
                bwd=f"{relu.backward_us:.0f}",
            ),
            elu_sentence,
            t("cost.verdict_slowest", name=name(slowest), rel=f"{by_name.total_rel.max():.2g}"),
            sign_sentence,
        ]
    )
)

left, right = st.columns(2)
ui.draw(left, charts.times, costs, t)
ui.draw(right, charts.relative, costs, t)
ui.prose(t("cost.read_times"))
ui.draw(st, charts.elu_by_sign, elu_sign, t)
ui.prose(t("cost.explain"))

ui.expander(t("cost.how_measured_title"), t("cost.how_measured"))
