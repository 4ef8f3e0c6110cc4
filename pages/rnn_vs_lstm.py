"""RNN vs LSTM through time: the gradient reaching each earlier time step, λ₁ against Pascanu's bound, and
which cell learns to recall the first symbol; all measured on real nn.RNN / nn.LSTM runs."""

import pandas as pd
import streamlit as st

from explorer.app import ui
from explorer.charts import recurrent as charts
from explorer.lessons import recurrent, rnn_view
from explorer.lessons.rnn_view import sci

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(recurrent.SequenceConfig, "rnn", t)
st.sidebar.subheader(t("rnn.controls_task"))
task = dict(
    seq_len=fields.slider(t("rnn.seq_len"), field="seq_len", help=t("rnn.seq_len_help")),
    hidden=fields.slider(t("rnn.hidden"), field="hidden", help=t("rnn.hidden_help")),
)
st.sidebar.subheader(t("rnn.controls_init"))
init = dict(
    recurrent_scale=fields.number(
        t("rnn.recurrent_scale"), field="recurrent_scale", step=0.05, format="%.2f", help=t("rnn.recurrent_scale_help")
    ),
    forget_bias=fields.number(
        t("rnn.forget_bias"), field="forget_bias", step=0.5, format="%.2f", help=t("rnn.forget_bias_help")
    ),
)
st.sidebar.subheader(t("rnn.controls_training"))
training = dict(
    lr=fields.number(t("rnn.lr"), field="lr", step=0.005, format="%.4g", help=t("rnn.lr_help")),
    steps=fields.slider(t("rnn.steps"), field="steps"),
    seed=fields.number(t("rnn.seed"), field="seed", step=1),
)
fields.reset_button(t)
config = fields.keep(recurrent.SequenceConfig(cell="rnn", **task, **init, **training))
ui.write_url(config)

st.title(t("rnn.title"))
ui.article.quote(t, "rnn")
ui.article.slip(t, "lstm")
ui.prose(t("rnn.intro", seq_len=config.seq_len))

if not ui.within_bound(rnn_view.view_seconds(config), t):
    st.caption(t("rnn.too_large"))
    st.stop()

rnn_config, lstm_configs = rnn_view.view_runs(config)
with st.spinner(t("rnn.running")):
    rnn = ui.cached(recurrent.run_sequence, rnn_config)
    lstms = {b: ui.cached(recurrent.run_sequence, c) for b, c in lstm_configs.items()}
lstm = lstms[config.forget_bias]
T = config.seq_len
rnn_name, lstm_name = t("rnn.series_rnn"), ui.say(t, rnn_view.lstm_name(config.forget_bias))

# ----- headline numbers ------------------------------------------------------------------------------------
cols = st.columns(4)
cols[0].metric(t("rnn.metric_reach_rnn"), sci(recurrent.reach(rnn)), help=t("rnn.metric_reach_help", T=T))
cols[1].metric(
    t("rnn.metric_reach_lstm", b=f"{config.forget_bias:g}"),
    sci(recurrent.reach(lstm)),
    help=t("rnn.metric_reach_help", T=T),
)
cols[2].metric(
    t("rnn.metric_acc_rnn"), f"{rnn.steps.accuracy.iloc[-1]:.0%}", help=t("rnn.metric_acc_help", step=config.steps)
)
cols[3].metric(
    t("rnn.metric_acc_lstm", b=f"{config.forget_bias:g}"),
    f"{lstm.steps.accuracy.iloc[-1]:.0%}",
    help=t("rnn.metric_acc_help", step=config.steps),
)

# ----- ‖∂L/∂h_t‖ over time step × training step ----------------------------------------------------------
st.header(t("rnn.through_time_header"))
domain = charts.shared_domain(rnn.time_grads, lstm.time_grads)
left, right = st.columns(2)
ui.draw(left, charts.time_grad_heatmap, rnn.time_grads, t, title=rnn_name, domain=domain)
ui.draw(right, charts.time_grad_heatmap, lstm.time_grads, t, title=lstm_name, domain=domain)
ui.prose(t("rnn.read_heatmap"))

recorded = [int(s) for s in rnn.steps.step]
if st.session_state.get("rnn_view.step") not in recorded:
    st.session_state["rnn_view.step"] = recorded[0]
shown = st.select_slider(t("rnn.pick_step"), options=recorded, key="rnn_view.step")
curves = [
    recurrent.profile(rnn, shown, rnn_name),
    recurrent.bound_profile(rnn, shown, t("rnn.series_bound")),
    recurrent.profile(lstm, shown, lstm_name),
]
st.altair_chart(
    charts.time_grad_profile(
        pd.concat(curves), t, title=t("rnn.profile_title", step=shown), subtitle=t("rnn.profile_subtitle")
    ),
    width="stretch",
)
st.markdown(ui.sentences(*(ui.say(t, s) for s in rnn_view.profile_verdict(rnn, lstm, shown))))

# ----- λ₁ against Pascanu's bound ----------------------------------------------------------------------------
st.header(t("rnn.lambda_header"))
left, right = st.columns([3, 2])
ui.draw(left, charts.lambda_chart, rnn.spectral, t)
ui.prose(t("rnn.lambda_explain"), into=right)
right.markdown(ui.sentences(*(ui.say(t, s) for s in rnn_view.lambda_verdict(rnn))))

# ----- which learns the long dependency -----------------------------------------------------------------------
st.header(t("rnn.accuracy_header", T=T))
names = [rnn_view.lstm_name(b) for b in lstms]
runs = [(rnn_name, rnn)] + [(ui.say(t, name), r) for name, r in zip(names, lstms.values(), strict=True)]
st.altair_chart(
    charts.accuracy_chart(pd.concat([recurrent.accuracy_frame(r, name) for name, r in runs]), t, chance=rnn.chance),
    width="stretch",
)
outcomes = [rnn_view.outcome(rnn_view.Sentence("rnn.series_rnn"), rnn)] + [
    rnn_view.outcome(name, r) for name, r in zip(names, lstms.values(), strict=True)
]
lines = "\n".join(f"- {ui.say(t, line)}" for line in outcomes)
st.markdown(t("rnn.outcome_intro", T=T, steps=config.steps) + "\n\n" + lines)
ui.note(t("rnn.one_seed"))

# ----- the forget gate sets the memory at initialisation --------------------------------------------------
st.header(t("rnn.forget_header"))
ui.prose(t("rnn.forget_explain"))
start_curves = pd.concat([recurrent.profile(r, 0, name) for name, r in runs])
st.altair_chart(
    charts.time_grad_profile(start_curves, t, title=t("rnn.forget_title"), subtitle=t("rnn.forget_subtitle")),
    width="stretch",
)
left, right = st.columns(2)
rows, verdict = rnn_view.forget_verdict(lstms)
left.markdown(t("rnn.forget_rows_intro", T=T) + "\n\n" + "\n".join(f"- {ui.say(t, row)}" for row in rows))
right.markdown(ui.say(t, verdict))

ui.expander(
    t("rnn.how_measured_title"),
    t("rnn.how_measured", batch=recurrent.BATCH, eval=recurrent.EVAL_SIZE, symbols=recurrent.N_SYMBOLS),
)
