"""The Jacobian's spectrum: how an untrained network stretches each direction, not only the average."""

import streamlit as st

from explorer.app import ui
from explorer.charts import spectrum as charts
from explorer.engine.spectrum import jacobian_spectrum
from explorer.lessons import isometry

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(isometry.SpectrumConfig, "spectrum", t)
variant = fields.select(
    t("spectrum.variant"), field="variant", widget="radio", format_func=lambda v: t(f"spectrum.variant_{v}")
)
network = ui.network_controls(t, fields)
structure = ui.structure_controls(t, fields)
settings = fields.keep(isometry.SpectrumConfig(variant, **network, **structure))
ui.write_url(settings)
config = settings.run_config()

st.title(t("spectrum.title"))
ui.prose(t("spectrum.intro"))
seconds = isometry.page_seconds(config, variant)
if not ui.within_bound(seconds, t):
    st.stop()

with st.spinner(t("ui.running")):
    frame = ui.cached(jacobian_spectrum, config, variant)
law = isometry.predicted_law(config, variant)
found = isometry.figures(frame)

cols = st.columns(4)
cols[0].metric(t("spectrum.metric_mean_square"), f"{found.mean_square:.3g}", help=t("spectrum.metric_mean_square_help"))
cols[1].metric(t("spectrum.metric_shrunk"), f"{found.shrunk:.0%}", help=t("spectrum.metric_shrunk_help"))
cols[2].metric(t("spectrum.metric_condition"), f"{found.condition:.3g}", help=t("spectrum.metric_condition_help"))
cols[3].metric(t("spectrum.metric_range"), f"{found.smallest:.2g} … {found.largest:.2g}")

ui.draw(st, charts.histogram, frame, law, t)
if law.density is not None:
    ui.prose(t("spectrum.law_gaussian", products=config.depth - 1))
elif law.value is not None:
    ui.prose(t("spectrum.law_orthogonal", value=f"{law.value:.3g}", products=config.depth - 1))
else:
    st.info(t(f"spectrum.no_law_{law.reason}"))
if found.zero > 0:
    st.markdown(t("spectrum.zeros", zero=f"{found.zero:.0%}"))

st.markdown(ui.say(t, isometry.verdict(found)))

st.subheader(t("spectrum.sweep_heading"))
with st.spinner(t("ui.running")):
    sweep = ui.cached(isometry.depth_sweep, config, variant)
ui.draw(st, charts.depth_sweep, sweep, t)
deepest = sweep[sweep.depth == sweep.depth.max()].set_index("init").condition
ui.prose(
    t(
        "spectrum.sweep_read",
        depth=int(sweep.depth.max()),
        orthogonal=f"{deepest.iloc[0]:.3g}",
        gaussian=f"{deepest.iloc[1]:.3g}",
        gaussian_name=t(f"names.init.{deepest.index[1]}"),
    )
)
ui.expander(t("spectrum.article_title"), t("spectrum.article"))
