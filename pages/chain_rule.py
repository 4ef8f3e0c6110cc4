"""Chain rule, one neuron per layer: every factor of ∂L/∂w₁, their product, and autograd's number."""

import streamlit as st

from explorer.app import ui
from explorer.charts import chain as charts
from explorer.lessons.chain import N_NEURONS, ChainConfig, compute, verdict

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(ChainConfig, "chain", t)
st.sidebar.subheader(t("chain.controls"))
activation = fields.select(t("chain.activation"), field="activation", format_func=lambda v: t(f"names.activation.{v}"))
x = fields.slider(t("chain.input"), field="x", step=0.1)
y = fields.slider(t("chain.target"), field="y", step=0.05)
neurons = {}
for layer in range(1, N_NEURONS + 1):
    st.sidebar.markdown(t("chain.neuron_heading", layer=layer) if layer < N_NEURONS else t("chain.output_heading"))
    neurons[f"w{layer}"] = fields.slider(t("chain.weight", layer=layer), field=f"w{layer}", step=0.1)
    neurons[f"b{layer}"] = fields.slider(t("chain.bias", layer=layer), field=f"b{layer}", step=0.1)
config = fields.keep(ChainConfig(x=x, y=y, **neurons, activation=activation))
ui.write_url(config)

st.title(t("chain.title"))
ui.article.quote(t, "chain")
ui.prose(t("chain.intro"))

result = ui.cached(compute, config)
factors, layers = result.factors, result.layers
cols = st.columns(3)
cols[0].metric(t("chain.metric_chain"), f"{result.grad_w1:.6e}", help=t("chain.metric_chain_help"))
cols[1].metric(t("chain.metric_autograd"), f"{result.grad_w1_autograd:.6e}", help=t("chain.metric_autograd_help"))
cols[2].metric(
    t("chain.metric_difference"), f"{result.relative_difference:.1e}", help=t("chain.metric_difference_help")
)

said = verdict(result)
numbers = said.numbers
if said.kind == "zero":
    st.warning(t("chain.verdict_zero", **numbers))
else:
    moves = "" if said.moves is None else " " + t(f"chain.moves_{said.moves}", **numbers)
    st.info(t(f"chain.verdict_{said.kind}", **numbers) + moves)

left, right = st.columns([3, 2])
ui.draw(left, charts.chain_factors, factors, t)
ui.draw(right, charts.layer_gradients, layers, t)
ui.prose(t("chain.read_factors"))

table = factors.assign(
    factor_name=[t(f"chain.factor_{key}") for key in factors.key],
    product_name=[t(f"chain.running_{key}") for key in factors.key],
)[["factor_name", "factor", "product_name", "running", "autograd"]]
table.columns = [t(f"chain.col_{name}") for name in ("factor", "value", "product", "running", "autograd")]
st.markdown(t("chain.table_title"))
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={name: st.column_config.NumberColumn(format="%.17g") for name in table.columns[[1, 3, 4]]},
)

with st.expander(t("chain.forward_title")):
    forward = result.neurons.rename(columns={name: t(f"chain.col_{name}") for name in result.neurons.columns})
    st.dataframe(forward, hide_index=True, width="stretch")
    ui.prose(t("chain.forward_note", output=numbers["output"], loss=numbers["loss"], target=f"{config.y:g}"))
ui.prose(t("chain.read_material"))
