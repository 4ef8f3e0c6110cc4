"""Does it train like a shallow net? The deep net against the same net with its first k layers frozen."""

import math

import streamlit as st

from explorer import ui
from explorer.charts import shallow as charts
from explorer.config import ACTIVATIONS, DATASETS, INITS, MAX_RUN_SECONDS, NORMS, OPTIMIZERS
from explorer.shallow import FLOWING, OVERLAP_NATS, VANISHING, ShallowConfig, compare

t = ui.translator()
ui.language_picker(t)
stored = ui.config_from_url(ShallowConfig, "shallow_config", t)
ui.seed_widgets(stored, "shallow")

side = st.sidebar
side.subheader(t("shallow.settings"))
depth = side.slider(t("controls.depth"), 2, 64, key="shallow.depth", help=t("controls.depth_help"))
st.session_state["shallow.frozen"] = min(st.session_state["shallow.frozen"], depth)
frozen = side.slider(t("shallow.frozen"), 1, depth, key="shallow.frozen", help=t("shallow.frozen_help"))
width = side.slider(t("controls.width"), 2, 256, key="shallow.width", help=t("controls.width_help"))
activation = side.selectbox(
    t("controls.activation"), ACTIVATIONS, key="shallow.activation", format_func=lambda v: t(f"names.activation.{v}")
)
init = side.selectbox(
    t("controls.init"),
    INITS,
    key="shallow.init",
    format_func=lambda v: t(f"names.init.{v}"),
    help=t("controls.init_help"),
)
init_scale = side.number_input(
    t("controls.init_scale"),
    0.05,
    8.0,
    step=0.05,
    format="%.2f",
    key="shallow.init_scale",
    help=t("controls.init_scale_help"),
)
norm = side.radio(
    t("controls.norm"), NORMS, key="shallow.norm", format_func=lambda v: t(f"names.norm.{v}"), horizontal=True
)
residual = side.checkbox(t("controls.residual"), key="shallow.residual", help=t("controls.residual_help"))
optimizer = side.selectbox(
    t("controls.optimizer"), OPTIMIZERS, key="shallow.optimizer", format_func=lambda v: t(f"names.optimizer.{v}")
)
lr = side.number_input(t("controls.lr"), 1e-5, 10.0, step=0.01, format="%.4g", key="shallow.lr")
steps = side.slider(t("controls.steps"), 1, 2000, key="shallow.steps")
batch_size = side.slider(t("controls.batch_size"), 8, 1024, key="shallow.batch_size")
dataset = side.selectbox(
    t("controls.dataset"), DATASETS, key="shallow.dataset", format_func=lambda v: t(f"names.dataset.{v}")
)
seed = side.number_input(t("controls.seed"), 0, 2**31 - 1, step=1, key="shallow.seed")

config = ShallowConfig(
    depth=depth,
    frozen=min(frozen, depth),
    width=width,
    activation=activation,
    init=init,
    init_scale=float(init_scale),
    norm=norm,
    residual=residual,
    optimizer=optimizer,
    lr=float(lr),
    steps=steps,
    batch_size=batch_size,
    dataset=dataset,
    seed=int(seed),
)
st.session_state["shallow_config"] = config
ui.write_url(config)

st.title(t("shallow.title"))
st.markdown(t("shallow.intro"))


def show(comparison, title: str) -> None:
    """The two curves, the per-layer speeds and the verdict computed from them."""
    k, depth = comparison.config.frozen, comparison.config.depth
    left, right = st.columns(2)
    left.altair_chart(charts.loss_overlay(comparison.curves, k, t, title=title), width="stretch")
    right.altair_chart(charts.layer_speeds(comparison.speeds, k, t), width="stretch")
    if comparison.diverged:  # the curves stop where a run overflowed: no verdict on a cut-short comparison
        st.warning(t("shallow.diverged"))
        return
    values = dict(
        max_gap=comparison.max_gap,
        mean_gap=comparison.mean_gap,
        signal=comparison.signal_ratio,
        k=k,
        rest=depth - k,
        loss_start=comparison.loss_start,
        loss_deep=comparison.loss_deep,
        loss_frozen=comparison.loss_frozen,
        accuracy_deep=comparison.accuracy_deep,
        accuracy_frozen=comparison.accuracy_frozen,
    )
    if any(isinstance(v, float) and not math.isfinite(v) for v in values.values()):
        st.warning(t("shallow.nothing_recorded"))
        return
    st.markdown(t("shallow.verdict_overlap" if comparison.overlap else "shallow.verdict_separate", **values))
    if max(comparison.loss_deep, comparison.loss_frozen) > 0.97 * math.log(2):
        st.caption(t("shallow.no_learning", rest=depth - k))
    if comparison.config.optimizer == "adam" and not comparison.overlap:
        st.caption(t("shallow.adam_note"))


if config.estimated_seconds() > MAX_RUN_SECONDS:  # the two runs together count as one
    st.error(t("ui.too_large", seconds=f"{config.estimated_seconds():.0f}", limit=f"{MAX_RUN_SECONDS:.0f}"))
else:
    st.subheader(t("shallow.yours_title"))
    with st.spinner(t("ui.running")):
        mine = ui.cached(compare, config)
    cols = st.columns(4)
    cols[0].metric(
        t("shallow.metric_max_gap"),
        f"{mine.max_gap:.3g}",
        help=t("shallow.metric_max_gap_help", threshold=OVERLAP_NATS),
    )
    cols[1].metric(
        t("shallow.metric_mean_gap"),
        t("shallow.nats", value=f"{mine.mean_gap:.2g}"),
        help=t("shallow.metric_mean_gap_help"),
    )
    cols[2].metric(t("shallow.metric_signal"), f"{mine.signal_ratio:.1e}", help=t("shallow.metric_signal_help"))
    cols[3].metric(t("shallow.metric_final"), f"{mine.loss_deep:.3f} / {mine.loss_frozen:.3f}")
    show(mine, t("shallow.chart_title", k=config.frozen))

# The reference cases that differ from the settings above: the vanishing one, the flowing one, or both.
references = [
    (case, reference) for case, reference in (("vanishing", VANISHING), ("flowing", FLOWING)) if reference != config
]
st.subheader(t("shallow.both_title" if len(references) == 2 else "shallow.contrast_title"))
st.markdown(t("shallow.both_intro", depth=VANISHING.depth, k=VANISHING.frozen, steps=VANISHING.steps))
for case, reference in references:
    with st.spinner(t("ui.running")):
        comparison = ui.cached(compare, reference)
    show(comparison, t(f"shallow.{case}_title"))

with st.expander(t("shallow.how_title")):
    st.markdown(t("shallow.how"))
