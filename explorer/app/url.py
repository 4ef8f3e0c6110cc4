"""URL sync: a page's config comes from the address bar the first time a session needs it, lives in the
session across pages, seeds the widgets, and goes back into the address bar, so a link reproduces a view."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import streamlit as st

from explorer import i18n
from explorer.app import view
from explorer.app.language import language
from explorer.app.share import share_control


def config_from_url(cls: type, session_key: str, t: i18n.Translator, **options: Any) -> Any:
    """The session's config of type `cls`: parsed from the URL the first time the session needs it (bad
    values fall back to defaults, with a warning naming each), then kept in the session across pages.
    (Streamlit clears the query string when the reader switches pages, so it only ever holds the
    parameters of the page it points to.) `options` go to `cls.from_query` (a page's defaults, rules, aliases)."""
    if session_key not in st.session_state:
        config, problems = cls.from_query(st.query_params.to_dict(), **options)
        st.session_state[session_key] = config
        if problems:
            lines = (t("ui.url_problem", field=p.field, value=p.value, allowed=p.allowed) for p in problems)
            st.warning(t("ui.url_ignored") + "\n\n" + "\n".join(f"- {line}" for line in lines))
    return st.session_state[session_key]


def write_url(*configs: Any) -> None:
    """Put every given config's fields, the language and the view (lock, hide, carried parameters such
    as a tour step) into the address bar, and offer the Share control that builds a link from them."""
    params: dict[str, str] = {"lang": language()}
    for config in configs:
        params.update(config.to_query())
    params.update(view.view_query())
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)  # keeps Streamlit's own embed parameters
    share_control(params, configs)


def seed_widgets(config: Any, prefix: str) -> None:
    """Give each widget `prefix.field` the config's value unless the widget already holds one."""
    for f in fields(config):
        key = f"{prefix}.{f.name}"
        # Assigning even an existing value keeps it when the reader switches pages: Streamlit drops
        # the state of widgets that the new page's script has not created yet.
        st.session_state[key] = st.session_state.get(key, getattr(config, f.name))
        if view.locked(key):  # a link's lock: the first value again on every run, whatever the browser sent
            view.enforce(key, st.session_state[key])
