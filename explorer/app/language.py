"""The reader's language (sidebar, seeded from `?lang=`), the translator pages use, and two settings every
page run needs first: Streamlit's navigation mode and the charts' sizing theme."""

from __future__ import annotations

import altair as alt
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from explorer import i18n
from explorer.app import view

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
    view.apply(t)  # a class link's lock and hide, read once per session and kept across pages
    bad = st.session_state.pop("lang_problem", None)
    if bad is not None:
        st.warning(t("ui.lang_ignored", value=str(bad)[:40]))
