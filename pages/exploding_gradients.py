"""Exploding gradients (material §4.5): a net that explodes, clipping by norm and by value, weight decay;
and Pascanu et al.'s one-unit recurrent toy with its cliff."""

import math

import streamlit as st

from explorer.app import ui
from explorer.charts import exploding as charts
from explorer.engine.config import MAX_RUN_SECONDS
from explorer.lessons import cliff, exploding

t = ui.translator()
ui.language_picker(t)
stored = ui.config_from_url(exploding.ExplodingConfig, "exploding_config", t)
stored_toy = ui.config_from_url(cliff.CliffConfig, "cliff_config", t)
ui.seed_widgets(stored, "exploding")
ui.seed_widgets(stored_toy, "cliff")

side = st.sidebar
side.subheader(t("exploding.network"))
depth = side.slider(t("exploding.depth"), 2, 24, key="exploding.depth")
width = side.slider(t("exploding.width"), 8, 128, key="exploding.width")
init_scale = side.number_input(
    t("exploding.init_scale"),
    0.5,
    4.0,
    step=0.1,
    format="%.2f",
    key="exploding.init_scale",
    help=t("exploding.init_scale_help"),
)
lr = side.number_input(t("exploding.lr"), 1e-4, 2.0, step=0.01, format="%.4g", key="exploding.lr")
steps = side.slider(t("exploding.steps"), 10, 200, key="exploding.steps")
seed = side.number_input(t("exploding.seed"), 0, 2**31 - 1, step=1, key="exploding.seed")
side.subheader(t("exploding.remedies"))
clip_norm = side.number_input(
    t("exploding.clip_norm"),
    1e-3,
    1e4,
    step=0.1,
    format="%.4g",
    key="exploding.clip_norm",
    help=t("exploding.clip_norm_help"),
)
clip_value = side.number_input(
    t("exploding.clip_value"),
    1e-4,
    1e4,
    step=0.01,
    format="%.4g",
    key="exploding.clip_value",
    help=t("exploding.clip_value_help"),
)
weight_decay = side.number_input(
    t("exploding.weight_decay"),
    0.0,
    1.0,
    step=0.01,
    format="%.4g",
    key="exploding.weight_decay",
    help=t("exploding.weight_decay_help"),
)
side.subheader(t("exploding.toy"))
toy_w = side.slider(t("exploding.toy_w"), *cliff.W_RANGE, step=0.1, key="cliff.toy_w")
toy_b = side.slider(t("exploding.toy_b"), *cliff.B_RANGE, step=0.1, key="cliff.toy_b")
toy_lr = side.number_input(t("exploding.toy_lr"), 1e-4, 1.0, step=0.005, format="%.4g", key="cliff.toy_lr")
toy_steps = side.slider(t("exploding.toy_steps"), 1, 1000, key="cliff.toy_steps")
toy_clip = side.number_input(t("exploding.toy_clip"), 1e-3, 1e6, step=1.0, format="%.4g", key="cliff.toy_clip")
toy_horizon = side.slider(
    t("exploding.toy_horizon"), 2, 100, key="cliff.toy_horizon", help=t("exploding.toy_horizon_help")
)

config = exploding.ExplodingConfig(
    depth=depth,
    width=width,
    init_scale=float(init_scale),
    lr=float(lr),
    steps=steps,
    clip_norm=float(clip_norm),
    clip_value=float(clip_value),
    weight_decay=float(weight_decay),
    seed=int(seed),
)
toy = cliff.CliffConfig(
    toy_w=float(toy_w),
    toy_b=float(toy_b),
    toy_lr=float(toy_lr),
    toy_steps=toy_steps,
    toy_clip=float(toy_clip),
    toy_horizon=toy_horizon,
)
st.session_state["exploding_config"] = config
st.session_state["cliff_config"] = toy
ui.write_url(config, toy)


def fmt(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else "—"


st.title(t("exploding.title"))
ui.article.quote(t, "exploding")
st.markdown(t("exploding.intro"))

# ----- part 1: a deep ReLU net that explodes ------------------------------------------------------------
st.header(t("exploding.net_header"))
st.markdown(t("exploding.net_intro", init_scale=f"{config.init_scale:g}", lr=f"{config.lr:g}", depth=config.depth))
if config.bound_problem() is not None:
    st.error(t("ui.too_large", seconds=f"{config.estimated_seconds():.0f}", limit=f"{MAX_RUN_SECONDS:.0f}"))
else:
    with st.spinner(t("exploding.running")):
        result = ui.cached(exploding.run_exploding, config)
    summary = exploding.arm_summary(result)
    steps_of = {arm: result.steps[result.steps.arm == arm] for arm in exploding.ARMS}

    def fate(arm: str) -> str:
        row = summary.loc[arm]
        if row.diverged_at is not None and not math.isnan(row.diverged_at):
            return t("exploding.fate_diverged", step=int(row.diverged_at))
        return t("exploding.fate_survived", steps=config.steps, loss=fmt(row.final_loss))

    none = summary.loc["none"]
    cols = st.columns(4)
    cols[0].metric(t("exploding.metric_start_norm"), fmt(none.start_grad_norm))
    cols[1].metric(t("exploding.metric_max_norm"), fmt(none.max_grad_norm))
    cols[2].metric(t("exploding.metric_fired"), f"{summary.loc['clip_norm'].fired_share:.0%}")
    cols[3].metric(
        t("exploding.metric_weight_norm"),
        f"{fmt(summary.loc['clip_norm'].final_weight_norm)} → {fmt(summary.loc['clip_norm_decay'].final_weight_norm)}",
        help=t("exploding.metric_weight_norm_help"),
    )
    clip_steps = steps_of["clip_norm"]
    value_steps = steps_of["clip_value"]
    st.info(
        "\n\n".join(
            [
                t(
                    "exploding.verdict_none",
                    start=fmt(none.start_grad_norm),
                    peak=fmt(none.max_grad_norm),
                    fate=fate("none"),
                ),
                t(
                    "exploding.verdict_clip_norm",
                    threshold=f"{config.clip_norm:g}",
                    share=f"{summary.loc['clip_norm'].fired_share:.0%}",
                    applied=fmt(clip_steps.grad_norm_applied.max()) if len(clip_steps) else "—",
                    fate=fate("clip_norm"),
                ),
                t(
                    "exploding.verdict_clip_value",
                    threshold=f"{config.clip_value:g}",
                    share=f"{summary.loc['clip_value'].fired_share:.0%}",
                    entries=f"{value_steps.clipped_share.mean():.1%}" if len(value_steps) else "—",
                    fate=fate("clip_value"),
                ),
                t(
                    "exploding.verdict_decay",
                    decay=f"{config.weight_decay:g}",
                    fate=fate("weight_decay"),
                    w_clip=fmt(summary.loc["clip_norm"].final_weight_norm),
                    w_both=fmt(summary.loc["clip_norm_decay"].final_weight_norm),
                    g_clip=fmt(summary.loc["clip_norm"].final_grad_norm),
                    g_both=fmt(summary.loc["clip_norm_decay"].final_grad_norm),
                ),
            ]
        )
    )

    left, right = st.columns(2)
    left.altair_chart(charts.by_arm(result.steps, "grad_norm_total", t), width="stretch")
    right.altair_chart(charts.by_arm(result.steps, "loss", t), width="stretch")
    st.markdown(t("exploding.read_arms"))

    left, right = st.columns(2)
    left.altair_chart(
        charts.before_after(clip_steps, "grad_norm_total", "grad_norm_applied", config.clip_norm, "norm", t),
        width="stretch",
    )
    right.altair_chart(
        charts.before_after(value_steps, "max_entry", "max_entry_applied", config.clip_value, "value", t),
        width="stretch",
    )
    left.markdown(t("exploding.read_clip_norm"))
    right.altair_chart(charts.clipped_share(value_steps, t), width="stretch")
    right.markdown(t("exploding.read_clip_value"))

    st.altair_chart(charts.by_arm(result.steps, "weight_norm", t), width="stretch")
    st.markdown(t("exploding.read_decay"))

# ----- part 2: Pascanu et al.'s one-unit toy --------------------------------------------------------------
st.header(t("exploding.toy_header"))
st.markdown(t("exploding.toy_intro", horizon=toy.toy_horizon, x0=cliff.X0, target=cliff.TARGET))
surface = ui.cached(cliff.cliff_surface, toy.toy_horizon)
paths = ui.cached(cliff.descent_paths, toy)
plain, clipped = paths[paths.arm == "plain"], paths[paths.arm == "clipped"]


def path_sentence(path, key: str) -> str:
    jump_step, jump = cliff.largest_jump(path)
    end = path.iloc[-1]
    peak = path.grad_norm.max()
    return t(
        key,
        peak=fmt(peak),
        jump=fmt(jump),
        jump_step=jump_step,
        w=fmt(end.w),
        b=fmt(end.b),
        loss=fmt(end.loss),
        fired=int(path.fired.sum()),
        threshold=f"{toy.toy_clip:g}",
    )


st.info(path_sentence(plain, "exploding.verdict_plain") + "\n\n" + path_sentence(clipped, "exploding.verdict_clipped"))
st.altair_chart(charts.cliff_surface(surface, paths, t), width="stretch")
st.markdown(t("exploding.read_surface"))
left, right = st.columns(2)
left.altair_chart(charts.path_gradients(paths, toy.toy_clip, t), width="stretch")
slice_ = ui.cached(cliff.cliff_slice, toy.toy_w, toy.toy_horizon)
right.altair_chart(charts.cliff_slice(slice_, toy.toy_w, t), width="stretch")
left.markdown(t("exploding.read_path"))
right.markdown(
    t("exploding.read_slice", w=f"{toy.toy_w:g}", peak=fmt(slice_.grad_b.max()), median=fmt(slice_.grad_b.median()))
)

with st.expander(t("exploding.how_measured_title")):
    st.markdown(t("exploding.how_measured"))
