"""Does it train like a shallow net? The deep net against the same net with its first k layers frozen."""

import streamlit as st

from explorer.app import ui
from explorer.charts import shallow as charts
from explorer.engine.config import RunConfig
from explorer.lessons import shallow

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(RunConfig, "shallow", t, **shallow.URL_OPTIONS)
st.sidebar.subheader(t("shallow.settings"))
network = ui.network_controls(t, fields)
frozen = fields.slider(t("shallow.frozen"), field="freeze_first", high=network["depth"], help=t("shallow.frozen_help"))
structure = ui.structure_controls(t, fields)
training = ui.training_controls(t, fields)
config = fields.keep(shallow.DEFAULTS.replace(**network, freeze_first=frozen, **structure, **training))
ui.write_url(config)

st.title(t("shallow.title"))
ui.article.quote(t, "shallow")
ui.prose(t("shallow.intro"))


def show(comparison, title: str) -> None:
    """The two curves, the per-layer speeds and the verdict computed from them."""
    k = comparison.config.freeze_first
    left, right = st.columns(2)
    ui.draw(left, charts.loss_overlay, comparison.curves, k, t, title=title)
    ui.draw(right, charts.layer_speeds, comparison.speeds, k, t)
    ui.show(t, shallow.verdict(comparison))


if ui.within_bound(shallow.view_seconds(config), t):
    st.subheader(t("shallow.yours_title"))
    with st.spinner(t("ui.running")):
        mine = ui.cached(shallow.compare_frozen, config)
    cols = st.columns(4)
    cols[0].metric(
        t("shallow.metric_max_gap"),
        f"{mine.max_gap:.3g}",
        help=t("shallow.metric_max_gap_help", threshold=shallow.OVERLAP_NATS),
    )
    cols[1].metric(
        t("shallow.metric_mean_gap"),
        t("shallow.nats", value=f"{mine.mean_gap:.2g}"),
        help=t("shallow.metric_mean_gap_help"),
    )
    cols[2].metric(t("shallow.metric_signal"), f"{mine.signal_ratio:.1e}", help=t("shallow.metric_signal_help"))
    cols[3].metric(t("shallow.metric_final"), f"{mine.loss_deep:.3f} / {mine.loss_frozen:.3f}")
    show(mine, t("shallow.chart_title", k=config.freeze_first))

references = shallow.references(config)
st.subheader(t("shallow.both_title" if len(references) == 2 else "shallow.contrast_title"))
vanishing = shallow.VANISHING
ui.prose(t("shallow.both_intro", depth=vanishing.depth, k=vanishing.freeze_first, steps=vanishing.steps))
for case, reference in references.items():
    with st.spinner(t("ui.running")):
        comparison = ui.cached(shallow.compare_frozen, reference)
    show(comparison, t(f"shallow.{case}_title"))

ui.expander(t("shallow.how_title"), t("shallow.how"))
