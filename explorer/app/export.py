"""The "Code" panel: a run's standalone PyTorch script, highlighted and copyable, as .py and .ipynb downloads."""

from __future__ import annotations

import hashlib

import streamlit as st

from explorer import i18n
from explorer.engine.config import RunConfig
from explorer.export.notebook import export_notebook
from explorer.export.script import export_script


def view_and_code(runs: dict[str, RunConfig], t: i18n.Translator, *, key: str):
    """The page's "View" and "Code" tabs; returns the view's container.

    The code tab's content is sent only while that tab is open (switching tabs reruns the page, whose runs
    are cached): a highlighted script of ~14 KB cost a browser a quarter of a second to draw, before the
    view's first chart, on every visit (Chromium profile of the lab, 2026-12-02)."""
    view, code = st.tabs([t("export.tab_view"), t("export.tab_code")], key=key, on_change="rerun")
    if code.open:
        with code:
            code_panel(runs, t)
    return view


def code_panel(
    runs: dict[str, RunConfig], t: i18n.Translator, *, height: int | str = "content", place: str = ""
) -> None:
    """Each run's script (a sub-tab per run when there are several), with both downloads (`place` tells
    apart equal runs on one page)."""
    st.markdown(t("export.intro"))
    st.caption(t("export.exact"))
    if len(runs) == 1:
        _one(*runs.items(), t, height, place)
        return
    for tab, item in zip(st.tabs(list(runs)), runs.items(), strict=True):
        with tab:
            _one(item, t, height, place)


# What a run can be taken home as: file ending -> (builder, MIME type); each has its catalogue keys.
DOWNLOADS = {
    "py": (export_script, "text/x-python"),
    "ipynb": (export_notebook, "application/x-ipynb+json"),
}


def download_buttons(label: str, config: object, t: i18n.Translator, *, place: str = "") -> None:
    """The script and the notebook of one run, side by side (`place` tells apart equal runs on one page);
    nothing for a config that is not an engine run (a RunConfig), which has no script."""
    if not isinstance(config, RunConfig):
        return
    key = hashlib.sha1(repr((place, label, config)).encode()).hexdigest()[:12]  # stable across reruns
    for column, (kind, (build, mime)) in zip(st.columns(2), DOWNLOADS.items(), strict=True):
        column.download_button(
            t(f"export.download_{kind}"),
            build(config),
            file_name=f"gradient_run.{kind}",
            mime=mime,
            key=f"export.{kind}.{key}",
            on_click="ignore",
            help=t(f"export.download_{kind}_help", run=label),
            icon=":material/download:",
        )


def _one(item: tuple[str, RunConfig], t: i18n.Translator, height: int | str, place: str) -> None:
    label, config = item
    download_buttons(label, config, t, place=place)
    st.code(export_script(config), language="python", line_numbers=True, height=height)
