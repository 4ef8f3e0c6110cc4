"""Normalisation and residual connections (the article's §4.2 and §4.3), measured on untrained networks."""

import streamlit as st

from explorer.app import ui
from explorer.charts import normres as charts
from explorer.lessons import normres, presets

t = ui.translator()
ui.language_picker(t)

st.title(t("norm.title"))
ui.article.quote(t, "norm")
ui.article.slip(t, "bn")
ui.prose(t("norm.intro"))

# ----- BatchNorm: the transform, where it sits, and what it does to z ----------------------------------
st.header(t("norm.bn_header"))
ui.prose(t("norm.bn_transform"))
with st.spinner(t("ui.running")):
    bn = ui.cached(normres.batchnorm)
    skips = ui.cached(normres.skips)
    ioffe = ui.cached(presets.ioffe2015)

config = normres.BATCHNORM["none"]
ui.prose(t("norm.bn_setup", depth=config.depth, scale=f"{config.init_scale:g}", width=config.width))
cols = st.columns(4)
for col, norm in zip(cols[:2], ("none", "batch"), strict=True):
    low, high = bn.spread[norm]
    col.metric(t(f"norm.metric_spread_{norm}"), f"{low:.3f} – {high:.3f}", help=t("norm.metric_spread_help"))
for col, norm in zip(cols[2:], ("none", "batch"), strict=True):
    col.metric(t(f"norm.metric_saturation_{norm}"), f"{bn.saturation[norm]:.1%}", help=t("norm.metric_saturation_help"))
(low, high), (bn_low, bn_high) = bn.spread["none"], bn.spread["batch"]
numbers = {
    **ui.formatted(".3f", low=low, high=high, bn_low=bn_low, bn_high=bn_high),
    **ui.formatted(".1%", before=bn.saturation["none"], after=bn.saturation["batch"]),
}
(st.success if bn.verdict == "fixes" else st.info)(t(f"norm.bn_verdict_{bn.verdict}", **numbers))
left, right = st.columns(2)
ui.draw(left, charts.spread, bn.layers, t)
ui.draw(right, charts.saturation, bn.layers, t)

st.subheader(t("norm.scale_header"))
st.markdown(
    t(
        "norm.scale_text",
        layer=presets.IOFFE_LAYER,
        change=f"{ioffe.values['max_output_change']:.1e}",
        ratio=f"{ioffe.values['ratio_at_10']:.4f}",
        error=f"{ioffe.values['max_gradient_error']:.1e}",
    )
)

# ----- Residual connections: the block, He et al. 2016's Eq. 5, and the measured signal ---------------
st.header(t("norm.res_header"))
left, right = st.columns([2, 3])
left.graphviz_chart(charts.residual_block(t))
with right:
    ui.prose(t("norm.res_formula"))

st.subheader(t("norm.skips_header"))
base = normres.SKIP_BASE
ui.prose(
    t("norm.skips_setup", scale=f"{base.init_scale:g}", width=base.width, depths=" / ".join(map(str, normres.DEPTHS)))
)
table = skips.table
shown = table.assign(
    variant=[t(f"norm.variant_{v}") for v in table.variant],
    ratio=[normres.ratio_text(r) for r in table.ratio],
    kind=[t(f"norm.kind_{k}") for k in table.kind],
    z_std_max=[f"{s:.3g}" for s in table.z_std_max],
    saturation=[f"{s:.0%}" for s in table.saturation],
)
shown.columns = [t(f"norm.col_{name}") for name in table.columns]
st.dataframe(shown, hide_index=True, width="stretch")
ui.note(t("norm.table_note"))
for key, values in normres.skip_findings(table):
    if "kind" in values:
        values = {**values, "kind": t(f"norm.kind_{values['kind']}")}
    st.markdown("- " + t(f"norm.{key}", **values))
left, right = st.columns(2)
for column, depth in zip((left, right), normres.DEPTHS, strict=True):
    ui.draw(column, charts.signal, skips.layers, depth, t)

st.header(t("norm.story_header"))
ui.prose(t("norm.story"))
ui.expander(t("norm.how_measured_title"), t("norm.how_measured", n=len(normres.all_configs())))
