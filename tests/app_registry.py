"""The app's page registry (explorer/navigation.py), as the tests use it.

Tests iterate over this, so a page added to the registry is covered by the AppTest and browser tests
as soon as it lands. Each entry of `PAGES` is `(path, title key, url_path, is_default)` under a section.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENTRY = REPO / "explorer_app.py"


@dataclass(frozen=True)
class Page:
    section: str
    path: str  # "pages/lab.py", as AppTest.switch_page wants it
    key: str  # title key in nav.toml
    url_path: str  # "lab": the page's address under the server root
    default: bool  # the page served at "/"

    @property
    def url(self) -> str:
        """Path under the server root; the default page is served at "/"."""
        return "" if self.default else self.url_path


def pages() -> list[Page]:
    """Every registered page, in navigation order (explorer/navigation.py imports no Streamlit)."""
    from explorer.app.navigation import PAGES

    return [Page(section, *entry) for section, entries in PAGES.items() for entry in entries]


def page(url_path: str) -> Page:
    return next(p for p in pages() if p.url_path == url_path)
