"""Does it train like a shallow net? The deep net against the same net with its first k layers frozen."""

import math

import streamlit as st

from explorer.app import ui
from explorer.charts import shallow as charts
from explorer.engine.config import MAX_RUN_SECONDS
from explorer.lessons.shallow import FLOWING, OVERLAP_NATS, VANISHING, ShallowConfig, compare

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(ShallowConfig, "shallow", t)
st.sidebar.subheader(t("shallow.settings"))
network = ui.network_controls(t, fields)
frozen = fields.slider(t("shallow.frozen"), field="frozen", high=network["depth"], help=t("shallow.frozen_help"))
structure = ui.structure_controls(t, fields)
training = ui.training_controls(t, fields)
config = fields.keep(ShallowConfig(**network, frozen=frozen, **structure, **training))
ui.write_url(config)

st.title(t("shallow.title"))
ui.article.quote(t, "shallow")
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
