"""The one Streamlit layer of the package: language, URL sync, shared sidebar controls, cached runs.

Pages call these and stay flat: controls -> config -> guard -> run -> charts -> prose. The state a user
needs lives in the URL (`st.query_params`, names = config field names), so a link reproduces a view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import altair as alt
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from explorer import i18n
from explorer.engine.config import ACTIVATIONS, DATASETS, INITS, MAX_RUN_SECONDS, NORMS, OPTIMIZERS, RunConfig
from explorer.engine.train import ENGINE_VERSION, RunResult, run

MAX_CACHED_RUNS = 48  # ~0.5 MB each at the default size: a bounded cache on a small shared host
WIDTHS = (2, 4, 8, 16, 32, 64, 128, 256)


# Streamlit settles "is this a pages/-directory app (multipage v1)?" on a server's first script run,
# before the entry has called st.navigation; a first visit straight to /lab then runs the page bare,
# without the entry's navigation. The entry always calls st.navigation, so settle it on import and,
# if this process began in v1 mode, rerun once through the entry.
_STARTED_AS_V1 = bool(PagesManager.uses_pages_directory)
PagesManager.uses_pages_directory = False


def _rerun_through_entry_once() -> None:
    global _STARTED_AS_V1
    if _STARTED_AS_V1:
        _STARTED_AS_V1 = False
        st.rerun()


# Streamlit sizes a chart's whole SVG (title, legend and axes included) to its height, which leaves a
# squashed plot under a title and a legend. With "fit-x" the width still follows the column and a
# chart's height is its plot's height, as the builders state it.
@alt.theme.register("explorer", enable=True)
def _explorer_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(autosize={"type": "fit-x", "contains": "padding"})


# ----- language -------------------------------------------------------------------------------------


def language() -> str:
    """The reader's language: the sidebar choice, first seeded from `?lang=` (unknown -> English + warning)."""
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
        if asked not in i18n.LANGUAGES:
            st.session_state["lang_problem"] = asked
            asked = i18n.DEFAULT_LANGUAGE
        st.session_state["lang"] = asked
    return st.session_state["lang"]


def translator() -> i18n.Translator:
    _rerun_through_entry_once()
    return i18n.translator(language())


def sentences(*parts: str) -> str:
    """Sentences of the reader's language joined into one paragraph."""
    return i18n.SENTENCE_SEPARATOR[language()].join(part for part in parts if part)


def language_picker(t: i18n.Translator) -> None:
    # Streamlit drops a widget's state when the page changes (each page's picker is a new widget);
    # setting the key first keeps the reader's language across pages.
    st.session_state["lang"] = language()
    st.sidebar.selectbox(
        t("ui.language"), i18n.LANGUAGES, key="lang", format_func=lambda code: t(f"ui.language_{code}")
    )
    bad = st.session_state.pop("lang_problem", None)
    if bad is not None:
        st.warning(t("ui.lang_ignored", value=str(bad)[:40]))


# ----- URL sync ---------------------------------------------------------------------------------------


def config_from_url(cls: type, session_key: str, t: i18n.Translator) -> Any:
    """The session's config of type `cls`: parsed from the URL the first time the session needs it (bad
    values fall back to defaults, with a warning naming each), then kept in the session across pages.
    (Streamlit clears the query string when the reader switches pages, so it only ever holds the
    parameters of the page it points to.)"""
    if session_key not in st.session_state:
        config, problems = cls.from_query(st.query_params.to_dict())
        st.session_state[session_key] = config
        if problems:
            lines = (t("ui.url_problem", field=p.field, value=p.value, allowed=p.allowed) for p in problems)
            st.warning(t("ui.url_ignored") + "\n\n" + "\n".join(f"- {line}" for line in lines))
    return st.session_state[session_key]


def write_url(*configs: Any) -> None:
    """Put every given config's fields and the language into the address bar."""
    params: dict[str, str] = {"lang": language()}
    for config in configs:
        params.update(config.to_query())
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def seed_widgets(config: Any, prefix: str) -> None:
    """Give each widget `prefix.field` the config's value unless the widget already holds one."""
    for f in fields(config):
        key = f"{prefix}.{f.name}"
        # Assigning even an existing value keeps it when the reader switches pages: Streamlit drops
        # the state of widgets that the new page's script has not created yet.
        st.session_state[key] = st.session_state.get(key, getattr(config, f.name))


# ----- the run controls (lab and comparison pages) ----------------------------------------------------


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


# ----- cached runs -----------------------------------------------------------------------------------


@st.cache_data(max_entries=MAX_CACHED_RUNS, show_spinner=False)
def _cached_run(engine_version: int, config: RunConfig) -> RunResult:
    # The engine version is part of the key: st.cache_data hashes only this function's own source.
    if config.estimated_seconds() < 1.0:
        return run(config)
    bar = st.progress(0.0)  # created and emptied inside: a cache hit replays it as nothing
    result = run(config, progress=lambda fraction: bar.progress(min(fraction, 1.0)))
    bar.empty()
    return result


def cached_run(config: RunConfig, t: i18n.Translator) -> RunResult | None:
    """The run of `config` from the cache or computed now; None (with the reason shown) when too large."""
    problem = config.bound_problem()
    if problem is not None:
        st.error(t("ui.too_large", seconds=f"{config.estimated_seconds():.0f}", limit=f"{MAX_RUN_SECONDS:.0f}"))
        return None
    with st.spinner(t("ui.running")):
        return _cached_run(ENGINE_VERSION, config)


def cached(func: Callable, *args: Any, **kwargs: Any) -> Any:
    """Cache any pure compute function of this package on its arguments (bounded like the runs)."""
    return _cached_call(ENGINE_VERSION, func.__module__, func.__qualname__, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=4 * MAX_CACHED_RUNS, show_spinner=False)
def _cached_call(engine_version: int, module: str, name: str, args: tuple, kwargs: tuple) -> Any:
    import importlib

    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target(*args, **dict(kwargs))


# ----- shared output pieces --------------------------------------------------------------------------


def divergence_callout(result: RunResult, t: i18n.Translator) -> None:
    if result.diverged_at is not None:
        recorded = int(result.steps.step.max()) if len(result.steps) else None
        if recorded is None:
            st.error(t("ui.diverged_at_start"))
        else:
            st.error(t("ui.diverged", step=result.diverged_at, recorded=recorded))


def download_csv(result: RunResult, t: i18n.Translator) -> None:
    """The run's per-layer and per-step records in one tidy CSV (config fields included as columns)."""
    frame = result.layers.merge(result.weights, on=["step", "layer"], how="left").merge(
        result.steps, on="step", how="left"
    )
    for name, value in result.config.to_query().items():
        frame[name] = value
    st.download_button(
        t("ui.download"),
        frame.to_csv(index=False).encode("utf-8"),
        file_name="gradient-run.csv",
        mime="text/csv",
        key="download_run",
    )
