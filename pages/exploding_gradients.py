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
    for name, step in (("clip_norm", 0.1), ("clip_value", 0.01), ("weight_decay", 0.01))
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
