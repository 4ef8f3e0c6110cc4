"""The sidebar controls of a network's fields, shared by every page that configures one."""

from __future__ import annotations

from typing import Any

import streamlit as st

from explorer import i18n
from explorer.app import view
from explorer.app.url import config_from_url, seed_widgets
from explorer.engine.config import ACTIVATIONS, DATASETS, INITS, NORMS, OPTIMIZERS, RunConfig

WIDTHS = (2, 4, 8, 16, 32, 64, 128, 256)


def run_config_controls(t: i18n.Translator, *, prefix: str = "run") -> RunConfig:
    """Sidebar controls for every RunConfig field, seeded from the URL/session; returns the new config."""
    stored = config_from_url(RunConfig, "run_config", t)
    seed_widgets(stored, prefix)
    if view.locked("clip_norm"):  # clipping on or off is part of the locked setting
        st.session_state[f"{prefix}.clip_on"] = st.session_state[f"{prefix}.clip_norm"] is not None
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
            view.label(t("controls.bias_std"), "bias_std"),
            0.0,
            2.0,
            step=0.05,
            format="%.2f",
            key=k("bias_std"),
            disabled=view.locked("bias_std"),
            help=t("controls.bias_std_help"),
        )
    )
    side.subheader(t("controls.remedies"))
    structure = structure_controls(t, prefix)
    clip_on = side.checkbox(
        view.label(t("controls.clip"), "clip_norm"),
        key=k("clip_on"),
        help=t("controls.clip_help"),
        disabled=view.locked("clip_norm"),
    )
    clip_norm = side.number_input(
        view.label(t("controls.clip_norm"), "clip_norm"),
        0.001,
        1e6,
        step=0.1,
        format="%.3g",
        key=k("clip_norm"),
        disabled=not clip_on or view.locked("clip_norm"),
    )
    weight_decay = side.number_input(
        view.label(t("controls.weight_decay"), "weight_decay"),
        0.0,
        1.0,
        step=1e-3,
        format="%.4g",
        key=k("weight_decay"),
        disabled=view.locked("weight_decay"),
        help=t("controls.weight_decay_help"),
    )
    side.subheader(t("controls.training"))
    training = training_controls(t, prefix)
    depth = network["depth"]
    st.session_state[k("freeze_first")] = min(st.session_state[k("freeze_first")], depth)
    freeze_first = side.slider(
        view.label(t("controls.freeze_first"), "freeze_first"),
        0,
        depth,
        key=k("freeze_first"),
        disabled=view.locked("freeze_first"),
        help=t("controls.freeze_first_help"),
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
        depth=side.slider(
            view.label(t("controls.depth"), "depth"),
            min_depth,
            64,
            key=k("depth"),
            disabled=view.locked("depth"),
            help=t("controls.depth_help"),
        ),
        width=side.slider(
            view.label(t("controls.width"), "width"),
            2,
            256,
            key=k("width"),
            disabled=view.locked("width"),
            help=t("controls.width_help"),
        ),
        activation=side.selectbox(
            view.label(t("controls.activation"), "activation"),
            ACTIVATIONS,
            key=k("activation"),
            disabled=view.locked("activation"),
            format_func=lambda v: t(f"names.activation.{v}"),
        ),
        init=side.selectbox(
            view.label(t("controls.init"), "init"),
            INITS,
            key=k("init"),
            disabled=view.locked("init"),
            format_func=lambda v: t(f"names.init.{v}"),
            help=t("controls.init_help"),
        ),
        init_scale=float(
            side.number_input(
                view.label(t("controls.init_scale"), "init_scale"),
                0.05,
                8.0,
                step=0.05,
                format="%.2f",
                key=k("init_scale"),
                disabled=view.locked("init_scale"),
                help=t("controls.init_scale_help"),
            )
        ),
    )


def structure_controls(t: i18n.Translator, prefix: str) -> dict[str, Any]:
    side, k = st.sidebar, lambda name: f"{prefix}.{name}"
    return dict(
        norm=side.radio(
            view.label(t("controls.norm"), "norm"),
            NORMS,
            key=k("norm"),
            disabled=view.locked("norm"),
            format_func=lambda v: t(f"names.norm.{v}"),
            horizontal=True,
        ),
        residual=side.checkbox(
            view.label(t("controls.residual"), "residual"),
            key=k("residual"),
            disabled=view.locked("residual"),
            help=t("controls.residual_help"),
        ),
    )


def training_controls(t: i18n.Translator, prefix: str, *, min_steps: int = 0) -> dict[str, Any]:
    side, k = st.sidebar, lambda name: f"{prefix}.{name}"
    return dict(
        optimizer=side.selectbox(
            view.label(t("controls.optimizer"), "optimizer"),
            OPTIMIZERS,
            key=k("optimizer"),
            disabled=view.locked("optimizer"),
            format_func=lambda v: t(f"names.optimizer.{v}"),
        ),
        lr=float(
            side.number_input(
                view.label(t("controls.lr"), "lr"),
                1e-5,
                10.0,
                step=0.01,
                format="%.4g",
                key=k("lr"),
                disabled=view.locked("lr"),
            )
        ),
        steps=side.slider(
            view.label(t("controls.steps"), "steps"), min_steps, 2000, key=k("steps"), disabled=view.locked("steps")
        ),
        batch_size=side.slider(
            view.label(t("controls.batch_size"), "batch_size"),
            8,
            1024,
            key=k("batch_size"),
            disabled=view.locked("batch_size"),
        ),
        dataset=side.selectbox(
            view.label(t("controls.dataset"), "dataset"),
            DATASETS,
            key=k("dataset"),
            disabled=view.locked("dataset"),
            format_func=lambda v: t(f"names.dataset.{v}"),
        ),
        seed=int(
            side.number_input(
                view.label(t("controls.seed"), "seed"),
                0,
                2**31 - 1,
                step=1,
                key=k("seed"),
                disabled=view.locked("seed"),
            )
        ),
    )


def reset_button(t: i18n.Translator, prefix: str = "run") -> None:
    """Back to the defaults (and a clean URL)."""
    if st.sidebar.button(t("controls.reset"), key=f"{prefix}.reset"):
        for key in [k for k in st.session_state if str(k).startswith(f"{prefix}.")]:
            del st.session_state[key]
        st.session_state["run_config"] = RunConfig()
        st.rerun()
