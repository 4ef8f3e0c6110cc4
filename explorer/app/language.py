"""The reader's language (sidebar, seeded from `?lang=`), the translator pages use, and two settings every
page run needs first: Streamlit's navigation mode and the charts' sizing theme."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import altair as alt
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from explorer import i18n
from explorer.app import view

# Streamlit settles "is this a pages/-directory app (multipage v1)?" when a server's first session starts,
# before any entry has called st.navigation. Every session whose first run starts before that is settled
# runs the page bare (Streamlit's own page list of file names, without this entry); with a class opening
# twelve tabs on a fresh server, that is several sessions, not one. So the entry marks the runs it drives
# (`through_entry`), and a session's page run without that mark, before the session has ever been through the
# entry, settles the mode and reruns through it. (Later bare runs are left alone: on a server the mode stays
# settled, and AppTest, which resets it on every run, would otherwise lose a button's click to the rerun.)
PagesManager.uses_pages_directory = False
_run = threading.local()


@contextlib.contextmanager
def through_entry() -> Iterator[None]:
    """Wrap the entry's whole run: pages run inside it know they were reached through the entry."""
    _run.through_entry = True
    st.session_state["_through_entry"] = True
    try:
        yield
    finally:
        _run.through_entry = False


def _rerun_through_entry_if_bare() -> None:
    if not getattr(_run, "through_entry", False) and not st.session_state.get("_through_entry"):
        PagesManager.uses_pages_directory = False
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
    _rerun_through_entry_if_bare()
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
    from explorer.app.board import board_from_url  # board.py imports this module

    board_from_url(t)  # a link's pinned runs, read on whichever page a session opens first, then kept
    view.apply(t)  # a class link's lock and hide, read once per session and kept across pages
    bad = st.session_state.pop("lang_problem", None)
    if bad is not None:
        st.warning(t("ui.lang_ignored", value=str(bad)[:40]))
