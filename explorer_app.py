"""Entry point: `streamlit run explorer_app.py`. Page config and navigation only; the pages do the rest."""

import streamlit as st

from explorer.app import ui
from explorer.app.navigation import shown_sections

with ui.through_entry():  # pages know they run under this entry (explorer/app/language.py)
    ui.start_compute()  # the worker pool, if this server did not start it already (explorer_server.py does)
    t = ui.translator()
    st.set_page_config(page_title=t("ui.app_title"), page_icon="∇", layout="wide")
    position = ui.navigation_position(t)  # a class link may hide the page list (hide=nav)

    navigation = st.navigation(
        {
            t(f"nav.section_{section}"): [
                st.Page(path, title=t(f"nav.{key}"), url_path=url_path, default=default)
                for path, key, url_path, default in pages
            ]
            for section, pages in shown_sections().items()
        },
        position=position,
    )
    navigation.run()
