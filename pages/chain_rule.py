"""Chain rule, one neuron per layer: every factor of ∂L/∂w₁, their product, and autograd's number."""

import streamlit as st

from explorer.app import ui
from explorer.charts import chain as charts
from explorer.lessons.chain import (
    BIAS_RANGE,
    CHAIN_ACTIVATIONS,
    INPUT_RANGE,
    N_NEURONS,
    TARGET_RANGE,
    WEIGHT_RANGE,
    ChainConfig,
    compute,
    verdict,
)

t = ui.translator()
ui.language_picker(t)
stored = ui.config_from_url(ChainConfig, "chain_config", t)
ui.seed_widgets(stored, "chain")
side = st.sidebar
side.subheader(t("chain.controls"))
activation = side.selectbox(
    t("chain.activation"), CHAIN_ACTIVATIONS, key="chain.activation", format_func=lambda v: t(f"names.activation.{v}")
)
x = side.slider(t("chain.input"), *INPUT_RANGE, step=0.1, key="chain.x")
y = side.slider(t("chain.target"), *TARGET_RANGE, step=0.05, key="chain.y")
weights, biases = [], []
for layer in range(1, N_NEURONS + 1):
    side.markdown(t("chain.neuron_heading", layer=layer) if layer < N_NEURONS else t("chain.output_heading"))
    weights.append(side.slider(t("chain.weight", layer=layer), *WEIGHT_RANGE, step=0.1, key=f"chain.w{layer}"))
    biases.append(side.slider(t("chain.bias", layer=layer), *BIAS_RANGE, step=0.1, key=f"chain.b{layer}"))
config = ChainConfig(
    x=float(x),
    y=float(y),
    **{f"w{i}": float(w) for i, w in enumerate(weights, 1)},
    **{f"b{i}": float(b) for i, b in enumerate(biases, 1)},
    activation=activation,
)
st.session_state["chain_config"] = config
ui.write_url(config)

st.title(t("chain.title"))
ui.article.quote(t, "chain")
st.markdown(t("chain.intro"))

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
left.altair_chart(charts.chain_factors(factors, t), width="stretch")
right.altair_chart(charts.layer_gradients(layers, t), width="stretch")
st.markdown(t("chain.read_factors"))

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
    st.markdown(t("chain.forward_note", output=numbers["output"], loss=numbers["loss"], target=f"{config.y:g}"))
st.markdown(t("chain.read_material"))
