"""What pages call: one import for the Streamlit layer's page plumbing.

Pages stay flat: controls -> config -> guard -> run -> charts -> prose. The state a user needs lives in
the URL (`st.query_params`, names = config field names), so a link reproduces a view.
"""

from explorer.app import article
from explorer.app.board import board_from_url, pin_button, pin_names, pin_rows
from explorer.app.board import figures_table as board_table
from explorer.app.cache import RUN_CACHE_BYTES, cached, cached_here, cached_run
from explorer.app.compute import start as start_compute
from explorer.app.controls import (
    Fields,
    network_controls,
    page_fields,
    reset_button,
    run_config_controls,
    structure_controls,
    training_controls,
)
from explorer.app.drawn import draw
from explorer.app.export import code_panel, download_buttons, view_and_code
from explorer.app.language import language, language_picker, sentences, through_entry, translator
from explorer.app.output import chart_grid, divergence_callout, download_csv, say, show, within_bound
from explorer.app.url import config_from_url, seed_widgets, write_url
from explorer.app.view import carry, expander, hidden, locked, navigation_position, note, open_tabs, prose
from explorer.app.view import label as lock_label
from explorer.lessons.verdict import formatted, short

__all__ = [
    "draw",
    "chart_grid",
    "through_entry",
    "board_from_url",
    "board_table",
    "pin_button",
    "pin_names",
    "pin_rows",
    "carry",
    "expander",
    "open_tabs",
    "note",
    "hidden",
    "lock_label",
    "locked",
    "prose",
    "RUN_CACHE_BYTES",
    "Fields",
    "article",
    "cached",
    "cached_run",
    "cached_here",
    "code_panel",
    "view_and_code",
    "config_from_url",
    "divergence_callout",
    "formatted",
    "download_buttons",
    "download_csv",
    "language",
    "language_picker",
    "navigation_position",
    "network_controls",
    "page_fields",
    "reset_button",
    "run_config_controls",
    "seed_widgets",
    "say",
    "sentences",
    "short",
    "show",
    "start_compute",
    "structure_controls",
    "training_controls",
    "translator",
    "within_bound",
    "write_url",
]
