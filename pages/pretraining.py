"""Greedy layer-wise pretraining, then fine-tuning (material §4.4), against the same net from random init."""

import math

import streamlit as st

from explorer.app import ui
from explorer.charts import lab as lab_charts
from explorer.charts import pretrain as charts
from explorer.engine.config import MAX_RUN_SECONDS
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
st.markdown(t("pretrain.intro"))

if config.bound_problem() is not None:
    st.error(t("ui.too_large", seconds=f"{config.estimated_seconds():.0f}", limit=f"{MAX_RUN_SECONDS:.0f}"))
    st.stop()
with st.spinner(t("pretrain.running")):
    result = ui.cached(pretrain.run_pretraining, config)

for arm, step in result.diverged_at.items():
    if step is not None:
        st.error(t("pretrain.diverged", arm=t(f"pretrain.arm_{arm}"), step=step))

signal = pretrain.start_signal(result)
ratios = pretrain.mean_update_ratios(result)
loss = {arm: pretrain.final_loss(result, arm) for arm in pretrain.ARMS}
first, last_hidden = signal.index.min(), signal.index.max()


def fmt(value: float) -> str:
    return f"{value:.2e}" if math.isfinite(value) else "—"


def across(arm: str) -> float:
    """Signal at layer 1 over signal at the last hidden layer, at the first fine-tuning step."""
    return signal.loc[first, arm] / signal.loc[last_hidden, arm]


signal_gain = signal.loc[first, "pretrained"] / signal.loc[first, "random"]
cols = st.columns(4)
cols[0].metric(
    t("pretrain.metric_signal"), f"×{signal_gain:.3g}", help=t("pretrain.metric_signal_help", layer=int(first))
)
cols[1].metric(t("pretrain.metric_flow_pretrained"), fmt(across("pretrained")), help=t("pretrain.metric_flow_help"))
cols[2].metric(t("pretrain.metric_flow_random"), fmt(across("random")), help=t("pretrain.metric_flow_help"))
cols[3].metric(
    t("pretrain.metric_loss"),
    f"{loss['pretrained']:.3f} / {loss['random']:.3f}",
    help=t("pretrain.metric_loss_help"),
)

# The verdict: each sentence carries the measured figures; the wording follows their sign.
if signal_gain > 1.1:
    signal_word = t("pretrain.word_larger", factor=f"{signal_gain:.3g}")
elif signal_gain < 1 / 1.1:
    signal_word = t("pretrain.word_smaller", factor=f"{1 / signal_gain:.3g}")
else:
    signal_word = t("pretrain.word_same")
gap = loss["pretrained"] - loss["random"]
if not (math.isfinite(loss["pretrained"]) and math.isfinite(loss["random"])):
    loss_sentence = t("pretrain.verdict_loss_missing")
elif abs(gap) < 0.02:
    loss_sentence = t(
        "pretrain.verdict_loss_same", steps=config.steps, p=f"{loss['pretrained']:.3f}", r=f"{loss['random']:.3f}"
    )
elif gap < 0:
    loss_sentence = t(
        "pretrain.verdict_loss_better", steps=config.steps, p=f"{loss['pretrained']:.3f}", r=f"{loss['random']:.3f}"
    )
else:
    loss_sentence = t(
        "pretrain.verdict_loss_worse", steps=config.steps, p=f"{loss['pretrained']:.3f}", r=f"{loss['random']:.3f}"
    )
chance = t("pretrain.verdict_chance") if min(loss.values()) > 0.68 else ""
st.info(
    ui.sentences(
        *[
            t(
                "pretrain.verdict_signal",
                p=fmt(signal.loc[first, "pretrained"]),
                r=fmt(signal.loc[first, "random"]),
                word=signal_word,
            ),
            t(
                "pretrain.verdict_updates",
                p=fmt(ratios.loc[first, "pretrained"]),
                r=fmt(ratios.loc[first, "random"]),
            ),
            loss_sentence,
            chance,
        ]
    )
)

left, right = st.columns(2)
left.altair_chart(charts.reconstruction(result.stages, t), width="stretch")
right.altair_chart(charts.loss_curves(result.steps, t), width="stretch")
st.markdown(t("pretrain.read_curves"))

left, right = st.columns(2)
left.altair_chart(charts.start_signal(result.layers, t), width="stretch")
right.altair_chart(charts.start_weights(result.weights, t), width="stretch")
st.markdown(t("pretrain.read_signal"))

left, right = st.columns(2)
left.altair_chart(charts.mean_update_ratio(result.layers, t), width="stretch")
with right:
    arm = st.radio(
        t("pretrain.heatmap_arm"),
        pretrain.ARMS,
        format_func=lambda a: t(f"pretrain.arm_{a}"),
        horizontal=True,
        key="pretrain_view.heatmap_arm",
    )
    layers = result.layers[result.layers.arm == arm].drop(columns="arm")
    st.altair_chart(lab_charts.update_ratio_heatmap(layers, t), width="stretch")
st.markdown(t("pretrain.read_updates"))

with st.expander(t("pretrain.how_measured_title")):
    st.markdown(t("pretrain.how_measured"))
