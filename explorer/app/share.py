"""The Share control: a link to this view for a class, with settings locked and parts hidden (view.py)."""

from __future__ import annotations

import html
from dataclasses import fields
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from explorer import i18n
from explorer.app import view
from explorer.app.language import language


def share_control(params: dict[str, str], configs: tuple[Any, ...]) -> None:
    """A sidebar popover: which settings to lock, which parts to hide, and the resulting URL."""
    lang = language()
    t = i18n.translator(lang)
    names = list(dict.fromkeys(f.name for config in configs for f in fields(config)))
    current = view.view()
    if "share.lock" not in st.session_state:
        st.session_state["share.lock"] = [name for name in names if name in current.lock]
    known = i18n.catalogue(lang)

    def field_label(name: str) -> str:
        return f"{t(f'controls.{name}')} · {name}" if f"controls.{name}" in known else name

    with st.sidebar.popover(t("share.button"), icon=":material/share:", width="stretch"):
        st.caption(t("share.intro"))
        lock = st.multiselect(t("share.lock"), names, key="share.lock", format_func=field_label)
        hide = [
            part
            for part in view.HIDE
            if st.checkbox(t(f"share.hide_{part}"), value=part in current.hide, key=f"share.hide_{part}")
        ]
        embed = st.checkbox(t("share.embed"), help=t("share.embed_help"), key="share.embed")
        shaped = {k: v for k, v in params.items() if k not in ("lock", "hide")}
        shaped.update(view.View(frozenset(lock), frozenset(hide)).to_query())
        link = link_for(st.context.url, shaped, embed=embed)
        st.code(link, language=None, wrap_lines=True)
        if embed:
            st.code(iframe(link), language="html", wrap_lines=True)
        st.caption(t("share.not_security"))


def link_for(base: str | None, params: dict[str, str], *, embed: bool) -> str:
    """The page's address with the parameters (commas kept readable) and Streamlit's embed flag."""
    query = urlencode({**params, **({"embed": "true"} if embed else {})}, safe=",")
    return f"{base or ''}?{query}"


def iframe(link: str) -> str:
    return f'<iframe src="{html.escape(link)}" width="100%" height="900" style="border: none;"></iframe>'
