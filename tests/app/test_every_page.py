"""AppTest of every page in explorer_app.py's registry: it runs without an exception, shows no missing
catalogue key, and shrugs off a hostile URL (a warning naming each parameter it reads, defaults used).
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import open_page as open_path
from tests.app.helpers import warnings_text
from tests.app_registry import Page, pages

PAGES = pages()
HOSTILE = {"depth": "abc", "seq_len": "-1", "lr": "inf", "w1": "nan", "lang": "xx"}
MISSING_KEY = "⟦".encode()  # i18n shows a missing catalogue key as ⟦section.key⟧


def open_page(page: Page, query: dict[str, str] | None = None) -> AppTest:
    return open_path(page.path, query)


def nodes(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from nodes(child)


def missing_keys(at: AppTest) -> list[str]:
    """Rendered elements (text, widget labels, chart specs) that contain a ⟦missing.key⟧."""
    found = []
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString") and MISSING_KEY in proto.SerializeToString():
            found.extend(sorted(set(re.findall(r"⟦[^⟧]*⟧", proto.SerializeToString().decode("utf-8", "replace")))))
    return found


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_page_runs_cleanly(page: Page):
    at = open_page(page)
    assert not at.exception, f"{page.path}: {at.exception}"
    assert at.title or at.header, f"{page.path} shows no title"
    missing = sorted(set(missing_keys(at)))
    assert not missing, f"{page.path} shows catalogue keys that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_hostile_url_gives_warnings_not_a_traceback(page: Page):
    at = open_page(page, HOSTILE)
    assert not at.exception, f"{page.path}: {at.exception}"
    after = dict(at.query_params)
    if after == HOSTILE:
        return  # the page keeps no state in the URL, so it read none of these
    # A page writes back exactly the parameters it reads (ui.write_url), with valid values: each hostile
    # value it read must have been replaced and named in a warning.
    text = warnings_text(at)
    for name, hostile in HOSTILE.items():
        if name not in after:
            continue
        assert after[name] != hostile, f"{page.path} kept {name}={hostile!r} in the URL"
        named = "xx" if name == "lang" else name
        assert named in text, f"{page.path} read {name}={hostile!r} without a warning naming it: {text!r}"
