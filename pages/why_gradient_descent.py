"""PLACEHOLDER: replaced by the page's owner."""

import streamlit as st

from explorer import ui

t = ui.translator()
st.title(t("nav.why"))
