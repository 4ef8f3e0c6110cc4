"""Greedy layer-wise pretraining, then fine-tuning (material §4.4), against the same net from random init."""

import streamlit as st

from explorer.app import ui
from explorer.charts import lab as lab_charts
from explorer.charts import pretrain as charts
from explorer.lessons import pretrain

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(pretrain.PretrainConfig, "pretrain", t)
st.sidebar.subheader(t("pretrain.network"))
network = dict(
    depth=fields.slider(t("pretrain.depth"), field="depth"), width=fields.slider(t("pretrain.width"), field="width")
)
st.sidebar.subheader(t("pretrain.pretraining"))
stages = dict(
    pretrain_steps=fields.slider(
        t("pretrain.pretrain_steps"), field="pretrain_steps", help=t("pretrain.pretrain_steps_help")
    ),
    pretrain_lr=fields.number(t("pretrain.pretrain_lr"), field="pretrain_lr", step=1e-3, format="%.4g"),
)
st.sidebar.subheader(t("pretrain.finetuning"))
finetuning = dict(
    steps=fields.slider(t("pretrain.steps"), field="steps"),
    lr=fields.number(t("pretrain.lr"), field="lr", step=0.05, format="%.4g"),
    batch_size=fields.slider(t("pretrain.batch_size"), field="batch_size"),
    dataset=fields.select(t("pretrain.dataset"), field="dataset", format_func=lambda v: t(f"names.dataset.{v}")),
    seed=fields.number(t("pretrain.seed"), field="seed", step=1),
)
config = fields.keep(pretrain.PretrainConfig(**network, **stages, **finetuning))
ui.write_url(config)

st.title(t("pretrain.title"))
ui.article.quote(t, "pretrain")
ui.article.slip(t, "global")
ui.article.closing(t)
ui.prose(t("pretrain.intro"))

if not ui.within_bound(config.estimated_seconds(), t):
    st.stop()
with st.spinner(t("pretrain.running")):
    result = ui.cached(pretrain.run_pretraining, config)

for arm, step in result.diverged_at.items():
    if step is not None:
        st.error(t("pretrain.diverged", arm=t(f"pretrain.arm_{arm}"), step=step))

found = pretrain.figures(result)
cols = st.columns(4)
cols[0].metric(
    t("pretrain.metric_signal"), f"×{found.signal_gain:.3g}", help=t("pretrain.metric_signal_help", layer=found.first)
)
for col, arm in zip(cols[1:3], pretrain.ARMS, strict=True):
    col.metric(t(f"pretrain.metric_flow_{arm}"), pretrain.sci(found.flow[arm]), help=t("pretrain.metric_flow_help"))
cols[3].metric(
    t("pretrain.metric_loss"),
    f"{found.loss['pretrained']:.3f} / {found.loss['random']:.3f}",
    help=t("pretrain.metric_loss_help"),
)
st.info(ui.sentences(*(ui.say(t, s) for s in pretrain.verdict(found, config.steps))))

left, right = st.columns(2)
ui.draw(left, charts.reconstruction, result.stages, t)
ui.draw(right, charts.loss_curves, result.steps, t)
ui.prose(t("pretrain.read_curves"))

left, right = st.columns(2)
ui.draw(left, charts.start_signal, result.layers, t)
ui.draw(right, charts.start_weights, result.weights, t)
ui.prose(t("pretrain.read_signal"))

left, right = st.columns(2)
ui.draw(left, charts.mean_update_ratio, result.layers, t)
with right:
    arm = st.radio(
        t("pretrain.heatmap_arm"),
        pretrain.ARMS,
        format_func=lambda a: t(f"pretrain.arm_{a}"),
        horizontal=True,
        key="pretrain_view.heatmap_arm",
    )
    layers = result.layers[result.layers.arm == arm].drop(columns="arm")
    ui.draw(st, lab_charts.update_ratio_heatmap, layers, t)
ui.prose(t("pretrain.read_updates"))

ui.expander(t("pretrain.how_measured_title"), t("pretrain.how_measured"))
