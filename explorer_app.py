"""Entry point: `streamlit run explorer_app.py`. Page config and navigation only; the pages do the rest."""

from pathlib import Path

import streamlit as st

from explorer.app import ui
from explorer.app.navigation import shown_sections

# ∇ as an image: a page_icon string that is not an emoji is taken for an image's address, so "∇" itself
# was requested from the server (which answered with its HTML page) and the tab showed no icon.
FAVICON = Path(__file__).parent / "explorer" / "app" / "favicon.png"

with ui.through_entry():  # pages know they run under this entry (explorer/app/language.py)
    ui.start_compute()  # the worker pool, if this server did not start it already (explorer_server.py does)
    t = ui.translator()
    st.set_page_config(page_title=t("ui.app_title"), page_icon=FAVICON, layout="wide")
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
        # Every page listed: collapsed, the menu hid six pages (the spectrum, order-to-chaos, the board, the
        # papers among them) behind Streamlit's own "View 6 more" button, in English on the Chinese pages too.
        expanded=True,
    )
    navigation.run()
