"""The sidebar controls of a network's fields, shared by every page that configures one."""

from __future__ import annotations

from typing import Any

import streamlit as st

from explorer import i18n
from explorer.app.url import config_from_url, seed_widgets
from explorer.engine.config import ACTIVATIONS, DATASETS, INITS, NORMS, OPTIMIZERS, RunConfig

WIDTHS = (2, 4, 8, 16, 32, 64, 128, 256)


def run_config_controls(t: i18n.Translator, *, prefix: str = "run") -> RunConfig:
    """Sidebar controls for every RunConfig field, seeded from the URL/session; returns the new config."""
    stored = config_from_url(RunConfig, "run_config", t)
    seed_widgets(stored, prefix)
    if st.session_state[f"{prefix}.clip_norm"] is None:
        st.session_state[f"{prefix}.clip_on"] = st.session_state.get(f"{prefix}.clip_on", False)
        st.session_state[f"{prefix}.clip_norm"] = 1.0
    else:
        st.session_state[f"{prefix}.clip_on"] = st.session_state.get(f"{prefix}.clip_on", True)
    k = lambda name: f"{prefix}.{name}"  # noqa: E731

    side = st.sidebar
    side.subheader(t("controls.network"))
    network = network_controls(t, prefix)
    network["bias_std"] = float(
        side.number_input(
            t("controls.bias_std"), 0.0, 2.0, step=0.05, format="%.2f", key=k("bias_std"), help=t("controls.bias_std_help")
        )
    )
    side.subheader(t("controls.remedies"))
    structure = structure_controls(t, prefix)
    clip_on = side.checkbox(t("controls.clip"), key=k("clip_on"), help=t("controls.clip_help"))
    clip_norm = side.number_input(
        t("controls.clip_norm"), 0.001, 1e6, step=0.1, format="%.3g", key=k("clip_norm"), disabled=not clip_on
    )
    weight_decay = side.number_input(
        t("controls.weight_decay"),
        0.0,
        1.0,
        step=1e-3,
        format="%.4g",
        key=k("weight_decay"),
        help=t("controls.weight_decay_help"),
    )
    side.subheader(t("controls.training"))
    training = training_controls(t, prefix)
    depth = network["depth"]
    st.session_state[k("freeze_first")] = min(st.session_state[k("freeze_first")], depth)
    freeze_first = side.slider(
        t("controls.freeze_first"), 0, depth, key=k("freeze_first"), help=t("controls.freeze_first_help")
    )
    config = RunConfig(
        **network,
        **structure,
        **training,
        clip_norm=float(clip_norm) if clip_on else None,
        weight_decay=float(weight_decay),
        freeze_first=min(freeze_first, depth),
    )
    st.session_state["run_config"] = config
    return config


# The sidebar controls of a network's fields, shared by every page that configures one. Each widget's
# key is "<prefix>.<field>" (seed it with `seed_widgets` first); each returns the fields it drew.


def network_controls(t: i18n.Translator, prefix: str, *, min_depth: int = 1) -> dict[str, Any]:
    side, k = st.sidebar, lambda name: f"{prefix}.{name}"
    return dict(
        depth=side.slider(t("controls.depth"), min_depth, 64, key=k("depth"), help=t("controls.depth_help")),
        width=side.slider(t("controls.width"), 2, 256, key=k("width"), help=t("controls.width_help")),
        activation=side.selectbox(
            t("controls.activation"), ACTIVATIONS, key=k("activation"), format_func=lambda v: t(f"names.activation.{v}")
        ),
        init=side.selectbox(
            t("controls.init"),
            INITS,
            key=k("init"),
            format_func=lambda v: t(f"names.init.{v}"),
            help=t("controls.init_help"),
        ),
        init_scale=float(
            side.number_input(
                t("controls.init_scale"),
                0.05,
                8.0,
                step=0.05,
                format="%.2f",
                key=k("init_scale"),
                help=t("controls.init_scale_help"),
            )
        ),
    )


def structure_controls(t: i18n.Translator, prefix: str) -> dict[str, Any]:
    side, k = st.sidebar, lambda name: f"{prefix}.{name}"
    return dict(
        norm=side.radio(
            t("controls.norm"), NORMS, key=k("norm"), format_func=lambda v: t(f"names.norm.{v}"), horizontal=True
        ),
        residual=side.checkbox(t("controls.residual"), key=k("residual"), help=t("controls.residual_help")),
    )


def training_controls(t: i18n.Translator, prefix: str, *, min_steps: int = 0) -> dict[str, Any]:
    side, k = st.sidebar, lambda name: f"{prefix}.{name}"
    return dict(
        optimizer=side.selectbox(
            t("controls.optimizer"), OPTIMIZERS, key=k("optimizer"), format_func=lambda v: t(f"names.optimizer.{v}")
        ),
        lr=float(side.number_input(t("controls.lr"), 1e-5, 10.0, step=0.01, format="%.4g", key=k("lr"))),
        steps=side.slider(t("controls.steps"), min_steps, 2000, key=k("steps")),
        batch_size=side.slider(t("controls.batch_size"), 8, 1024, key=k("batch_size")),
        dataset=side.selectbox(
            t("controls.dataset"), DATASETS, key=k("dataset"), format_func=lambda v: t(f"names.dataset.{v}")
        ),
        seed=int(side.number_input(t("controls.seed"), 0, 2**31 - 1, step=1, key=k("seed"))),
    )


def reset_button(t: i18n.Translator, prefix: str = "run") -> None:
    """Back to the defaults (and a clean URL)."""
    if st.sidebar.button(t("controls.reset"), key=f"{prefix}.reset"):
        for key in [k for k in st.session_state if str(k).startswith(f"{prefix}.")]:
            del st.session_state[key]
        st.session_state["run_config"] = RunConfig()
        st.rerun()
