"""Exploding gradients (material §4.5): a net that explodes, clipping by norm and by value, weight decay;
and Pascanu et al.'s one-unit recurrent toy with its cliff."""

import streamlit as st

from explorer.app import ui
from explorer.charts import exploding as charts
from explorer.lessons import cliff, exploding

t = ui.translator()
ui.language_picker(t)
net = ui.page_fields(exploding.ExplodingConfig, "exploding", t)
toy_fields = ui.page_fields(cliff.CliffConfig, "cliff", t)

st.sidebar.subheader(t("exploding.network"))
network = dict(
    depth=net.slider(t("exploding.depth"), field="depth"),
    width=net.slider(t("exploding.width"), field="width"),
    init_scale=net.number(
        t("exploding.init_scale"), field="init_scale", step=0.1, format="%.2f", help=t("exploding.init_scale_help")
    ),
    lr=net.number(t("exploding.lr"), field="lr", step=0.01, format="%.4g"),
    steps=net.slider(t("exploding.steps"), field="steps"),
    seed=net.number(t("exploding.seed"), field="seed", step=1),
)
st.sidebar.subheader(t("exploding.remedies"))
remedies = {
    name: net.number(t(f"exploding.{name}"), field=name, step=step, format="%.4g", help=t(f"exploding.{name}_help"))
    for name, step in exploding.REMEDY_FIELDS.items()
}
config = exploding.ExplodingConfig(**network, **remedies)
st.sidebar.subheader(t("exploding.toy"))
toy = cliff.CliffConfig(
    toy_w=toy_fields.slider(t("exploding.toy_w"), field="toy_w", step=0.1),
    toy_b=toy_fields.slider(t("exploding.toy_b"), field="toy_b", step=0.1),
    toy_lr=toy_fields.number(t("exploding.toy_lr"), field="toy_lr", step=0.005, format="%.4g"),
    toy_steps=toy_fields.slider(t("exploding.toy_steps"), field="toy_steps"),
    toy_clip=toy_fields.number(t("exploding.toy_clip"), field="toy_clip", step=1.0, format="%.4g"),
    toy_horizon=toy_fields.slider(
        t("exploding.toy_horizon"), field="toy_horizon", help=t("exploding.toy_horizon_help")
    ),
)
net.keep(config)
toy_fields.keep(toy)
ui.write_url(config, toy)


st.title(t("exploding.title"))
ui.article.quote(t, "exploding")
ui.prose(t("exploding.intro"))

# ----- part 1: a deep ReLU net that explodes ------------------------------------------------------------
st.header(t("exploding.net_header"))
ui.prose(t("exploding.net_intro", init_scale=f"{config.init_scale:g}", lr=f"{config.lr:g}", depth=config.depth))
if ui.within_bound(config.estimated_seconds(), t):
    with st.spinner(t("exploding.running")):
        result = ui.cached(exploding.run_exploding, config)
    summary = exploding.arm_summary(result)
    fmt = ui.short
    none = summary.loc["none"]
    cols = st.columns(4)
    cols[0].metric(t("exploding.metric_start_norm"), fmt(none.start_grad_norm))
    cols[1].metric(t("exploding.metric_max_norm"), fmt(none.max_grad_norm))
    cols[2].metric(t("exploding.metric_fired"), exploding.percent(summary.loc["clip_norm"].fired_share))
    cols[3].metric(
        t("exploding.metric_weight_norm"),
        f"{fmt(summary.loc['clip_norm'].final_weight_norm)} → {fmt(summary.loc['clip_norm_decay'].final_weight_norm)}",
        help=t("exploding.metric_weight_norm_help"),
    )
    st.info("\n\n".join(ui.say(t, sentence) for sentence in exploding.verdict(result)))
    clip_steps = result.steps[result.steps.arm == "clip_norm"]
    value_steps = result.steps[result.steps.arm == "clip_value"]

    left, right = st.columns(2)
    ui.draw(left, charts.by_arm, result.steps, "grad_norm_total", t)
    ui.draw(right, charts.by_arm, result.steps, "loss", t)
    ui.prose(t("exploding.read_arms"))

    left, right = st.columns(2)
    left.altair_chart(
        charts.before_after(clip_steps, "grad_norm_total", "grad_norm_applied", config.clip_norm, "norm", t),
        width="stretch",
    )
    right.altair_chart(
        charts.before_after(value_steps, "max_entry", "max_entry_applied", config.clip_value, "value", t),
        width="stretch",
    )
    ui.prose(t("exploding.read_clip_norm"), into=left)
    ui.draw(right, charts.clipped_share, value_steps, t)
    ui.prose(t("exploding.read_clip_value"), into=right)

    ui.draw(st, charts.by_arm, result.steps, "weight_norm", t)
    ui.prose(t("exploding.read_decay"))

# ----- part 2: Pascanu et al.'s one-unit toy --------------------------------------------------------------
st.header(t("exploding.toy_header"))
ui.prose(t("exploding.toy_intro", horizon=toy.toy_horizon, x0=cliff.X0, target=cliff.TARGET))
surface = ui.cached(cliff.cliff_surface, toy.toy_horizon)
paths = ui.cached(cliff.descent_paths, toy)
plain, clipped = paths[paths.arm == "plain"], paths[paths.arm == "clipped"]


said = [
    cliff.path_verdict(plain, "exploding.verdict_plain", toy.toy_clip),
    cliff.path_verdict(clipped, "exploding.verdict_clipped", toy.toy_clip),
]
st.info("\n\n".join(ui.say(t, sentence) for sentence in said))
ui.draw(st, charts.cliff_surface, surface, paths, t)
ui.prose(t("exploding.read_surface"))
left, right = st.columns(2)
ui.draw(left, charts.path_gradients, paths, toy.toy_clip, t)
slice_ = ui.cached(cliff.cliff_slice, toy.toy_w, toy.toy_horizon)
ui.draw(right, charts.cliff_slice, slice_, toy.toy_w, t)
ui.prose(t("exploding.read_path"), into=left)
right.markdown(
    t(
        "exploding.read_slice",
        w=f"{toy.toy_w:g}",
        peak=ui.short(slice_.grad_b.max()),
        median=ui.short(slice_.grad_b.median()),
    )
)

ui.expander(t("exploding.how_measured_title"), t("exploding.how_measured"))
