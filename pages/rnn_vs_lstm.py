"""RNN vs LSTM through time: the gradient reaching each earlier time step, λ₁ against Pascanu's bound, and
which cell learns to recall the first symbol; all measured on real nn.RNN / nn.LSTM runs."""

import math

import pandas as pd
import streamlit as st

from explorer.app import ui
from explorer.charts import recurrent as charts
from explorer.lessons.recurrent import (
    BATCH,
    EVAL_SIZE,
    FORGET_BIASES,
    N_SYMBOLS,
    SequenceConfig,
    accuracy_frame,
    bound_profile,
    canonical,
    lambda_at,
    learned_at,
    per_step_factor,
    profile,
    reach,
    run_sequence,
)


def sci(value: float) -> str:
    """1.2e-05; ∞ for an overflow; — when there is no number."""
    return f"{value:.1e}" if math.isfinite(value) else "∞" if value == math.inf else "—"


def fixed(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else sci(value)


t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(SequenceConfig, "rnn", t)
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
config = fields.keep(SequenceConfig(cell="rnn", **task, **init, **training))
ui.write_url(config)

st.title(t("rnn.title"))
ui.article.quote(t, "rnn")
ui.article.slip(t, "lstm")
st.markdown(t("rnn.intro", seq_len=config.seq_len))

if config.too_large():
    st.error(t("rnn.too_large", units=f"{config.work_units():.2g}"))
    st.stop()

biases = sorted({*FORGET_BIASES, config.forget_bias})
with st.spinner(t("rnn.running")):
    rnn = ui.cached(run_sequence, canonical(config))
    lstms = {b: ui.cached(run_sequence, config.replace(cell="lstm", forget_bias=b)) for b in biases}
lstm = lstms[config.forget_bias]
T = config.seq_len
rnn_name, lstm_name = t("rnn.series_rnn"), t("rnn.series_lstm", b=f"{config.forget_bias:g}")

# ----- headline numbers ------------------------------------------------------------------------------------
cols = st.columns(4)
cols[0].metric(t("rnn.metric_reach_rnn"), sci(reach(rnn)), help=t("rnn.metric_reach_help", T=T))
cols[1].metric(
    t("rnn.metric_reach_lstm", b=f"{config.forget_bias:g}"), sci(reach(lstm)), help=t("rnn.metric_reach_help", T=T)
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
left.altair_chart(charts.time_grad_heatmap(rnn.time_grads, t, title=rnn_name, domain=domain), width="stretch")
right.altair_chart(charts.time_grad_heatmap(lstm.time_grads, t, title=lstm_name, domain=domain), width="stretch")
st.markdown(t("rnn.read_heatmap"))

recorded = [int(s) for s in rnn.steps.step]
if st.session_state.get("rnn_view.step") not in recorded:
    st.session_state["rnn_view.step"] = recorded[0]
shown = st.select_slider(t("rnn.pick_step"), options=recorded, key="rnn_view.step")
curves = pd.concat(
    [
        profile(rnn, shown, rnn_name),
        bound_profile(rnn, shown, t("rnn.series_bound")),
        profile(lstm, shown, lstm_name),
    ]
)
st.altair_chart(
    charts.time_grad_profile(curves, t, title=t("rnn.profile_title", step=shown), subtitle=t("rnn.profile_subtitle")),
    width="stretch",
)
r_rnn, r_lstm = reach(rnn, shown), reach(lstm, shown)
advantage = r_lstm / r_rnn if 0 < r_rnn < math.inf and math.isfinite(r_lstm) else math.nan
st.markdown(
    ui.sentences(
        t(
            "rnn.verdict_profile",
            step=shown,
            T=T,
            reach_rnn=sci(r_rnn),
            factor_rnn=fixed(per_step_factor(rnn, shown)),
            reach_lstm=sci(r_lstm),
            factor_lstm=fixed(per_step_factor(lstm, shown)),
        ),
        (
            ""
            if not advantage > 0
            else t("rnn.verdict_lstm_more", ratio=sci(advantage))
            if advantage > 1
            else t("rnn.verdict_lstm_less", ratio=sci(1 / advantage))
        ),
    )
)

# ----- λ₁ against Pascanu's bound ----------------------------------------------------------------------------
st.header(t("rnn.lambda_header"))
left, right = st.columns([3, 2])
left.altair_chart(charts.lambda_chart(rnn.spectral, t), width="stretch")
lam0, lam_end = lambda_at(rnn, 0), float(rnn.spectral.sigma_max.iloc[-1])
reach0, factor0 = reach(rnn, 0), per_step_factor(rnn, 0)
if lam0 < 1:
    side_text = t("rnn.verdict_lambda_below", lam=fixed(lam0), T=T, bound=sci(lam0 ** (T - 1)), reach=sci(reach0))
else:
    trend = "rnn.trend_vanished" if reach0 < 1 else "rnn.trend_grew" if reach0 < math.inf else "rnn.trend_overflow"
    side_text = t("rnn.verdict_lambda_above", lam=fixed(lam0), reach=sci(reach0), trend=t(trend, factor=fixed(factor0)))
crossed = (rnn.spectral.sigma_max < 1).any() and (rnn.spectral.sigma_max >= 1).any()
later = ui.sentences(
    t("rnn.lambda_training", start=fixed(lam0), end=fixed(lam_end), step=config.steps),
    t("rnn.lambda_crossed") if crossed else "",
)
right.markdown(t("rnn.lambda_explain"))
right.markdown(ui.sentences(side_text, later))

# ----- which learns the long dependency -----------------------------------------------------------------------
st.header(t("rnn.accuracy_header", T=T))
runs = [(rnn_name, rnn)] + [(t("rnn.series_lstm", b=f"{b:g}"), lstms[b]) for b in biases]
st.altair_chart(
    charts.accuracy_chart(pd.concat([accuracy_frame(r, name) for name, r in runs]), t, chance=rnn.chance),
    width="stretch",
)
lines = []
for name, r in runs:
    final, hit = float(r.steps.accuracy.iloc[-1]), learned_at(r)
    if hit is not None:
        lines.append(t("rnn.outcome_learned", name=name, step=hit, final=f"{final:.0%}"))
    elif final < r.chance + 0.1:
        lines.append(t("rnn.outcome_chance", name=name, final=f"{final:.0%}", chance=f"{r.chance:.0%}"))
    else:
        lines.append(t("rnn.outcome_partly", name=name, final=f"{final:.0%}"))
st.markdown(t("rnn.outcome_intro", T=T, steps=config.steps) + "\n\n" + "\n".join(f"- {line}" for line in lines))
st.caption(t("rnn.one_seed"))

# ----- the forget gate sets the memory at initialisation --------------------------------------------------
st.header(t("rnn.forget_header"))
st.markdown(t("rnn.forget_explain"))
start_curves = pd.concat(
    [profile(rnn, 0, rnn_name)] + [profile(lstms[b], 0, t("rnn.series_lstm", b=f"{b:g}")) for b in biases]
)
st.altair_chart(
    charts.time_grad_profile(start_curves, t, title=t("rnn.forget_title"), subtitle=t("rnn.forget_subtitle")),
    width="stretch",
)
left, right = st.columns(2)
rows = [
    t(
        "rnn.forget_row",
        b=f"{b:g}",
        gate=f"{1 / (1 + math.exp(-b)):.3f}",
        factor=fixed(per_step_factor(lstms[b], 0)),
        reach=sci(reach(lstms[b], 0)),
    )
    for b in biases
]
left.markdown(t("rnn.forget_rows_intro", T=T) + "\n\n" + "\n".join(f"- {row}" for row in rows))
low, high = biases[0], biases[-1]
right.markdown(
    t(
        "rnn.forget_verdict",
        low=f"{low:g}",
        high=f"{high:g}",
        reach_low=sci(reach(lstms[low], 0)),
        reach_high=sci(reach(lstms[high], 0)),
        ratio=sci(reach(lstms[high], 0) / reach(lstms[low], 0)) if reach(lstms[low], 0) > 0 else "—",
    )
)

with st.expander(t("rnn.how_measured_title")):
    st.markdown(t("rnn.how_measured", batch=BATCH, eval=EVAL_SIZE, symbols=N_SYMBOLS))
