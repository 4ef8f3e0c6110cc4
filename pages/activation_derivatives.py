"""Activation derivatives: σ′ ≤ 0.25, what n such factors multiply to, and when |w|·σ′(z) exceeds 1."""

import math

import streamlit as st

from explorer.app import ui
from explorer.charts import activations as charts
from explorer.lessons.derivatives import DerivativesConfig, compute

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(DerivativesConfig, "activations", t)
st.sidebar.subheader(t("activations.controls"))
config = DerivativesConfig(
    slope=fields.slider(t("activations.slope"), field="slope", step=0.01, help=t("activations.slope_help")),
    alpha=fields.slider(t("activations.alpha"), field="alpha", step=0.05, help=t("activations.alpha_help")),
    n_layers=fields.slider(t("activations.n_layers"), field="n_layers"),
    w_abs=fields.slider(t("activations.w_abs"), field="w_abs", step=0.1, help=t("activations.w_abs_help")),
)
ui.write_url(fields.keep(config))

st.title(t("activations.title"))
ui.article.quote(t, "activations")
ui.article.slip(t, "zero")
ui.article.slip(t, "sigmoid")
ui.prose(t("activations.intro"))

result = ui.cached(compute, config)
peaks = result.peaks.set_index("activation")
sigmoid_peak, sigmoid_at = float(peaks.peak["sigmoid"]), float(peaks.peak_x["sigmoid"])
ui.draw(st, charts.sigmoid_and_slope, result.curves, t)
ui.prose(t("activations.sigmoid_read", peak=f"{sigmoid_peak:.6g}", at=f"{sigmoid_at:g}"))

st.header(t("activations.depth_header"))
best = float(result.products[result.products.quantity == "sigmoid_alone"]["product"].iloc[-1])
weighted = float(result.products[result.products.quantity == "with_weight"]["product"].iloc[-1])
cols = st.columns(2)
cols[0].metric(t("activations.metric_best", n=config.n_layers), f"{best:.3e}", help=t("activations.metric_best_help"))
cols[1].metric(
    t("activations.metric_weighted", n=config.n_layers, w=f"{config.w_abs:g}"),
    f"{weighted:.3e}",
    help=t("activations.metric_weighted_help"),
)
ui.draw(st, charts.depth_products, result.products, t, w_abs=config.w_abs)
ui.prose(t("activations.depth_read", n=config.n_layers, best=f"{best:.2e}", digits=f"{-math.log10(best):.1f}"))

st.header(t("activations.exploding_header"))
ui.draw(st, charts.weight_factor, result.factor, t, w_abs=config.w_abs)
if result.window is None:
    st.info(t("activations.window_none", w=f"{config.w_abs:g}", top=f"{config.w_abs * sigmoid_peak:.4g}"))
else:
    st.warning(
        t(
            "activations.window",
            w=f"{config.w_abs:g}",
            top=f"{config.w_abs * sigmoid_peak:.4g}",
            window=f"{result.window:.4f}",
            measured=f"{result.measured_window:.2f}",
        )
    )
ui.prose(t("activations.exploding_read"))

st.header(t("activations.others_header"))
ui.prose(t("activations.others_intro"))
ui.draw(st, charts.all_activations, result.curves, "df", t)
ui.draw(st, charts.all_activations, result.curves, "f", t)
table = result.peaks.assign(activation=[t(f"names.activation.{a}") for a in result.peaks.activation])
table.columns = [t(f"activations.col_{c}", n=config.n_layers) for c in result.peaks.columns]
numbers = {name: st.column_config.NumberColumn(format="%.4g") for name in table.columns[1:]}
st.dataframe(table, hide_index=True, width="stretch", column_config=numbers)
ui.prose(t("activations.others_read", slope=f"{config.slope:g}", alpha=f"{config.alpha:g}"))
