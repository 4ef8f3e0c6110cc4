"""Charts built and converted once per input, and kept across sessions.

A chart costs the server twice on every view: building it in Altair (which deep-copies every layer and
panel as it composes them), then Streamlit's conversion to Vega-Lite (another deep copy, a JSON-schema
validation, the data to Arrow). For a cached lab view that was two thirds of the server's time (py-spy,
2026-12-02; the ridgelines alone a third). On a shared demo many readers see the same view, so the
converted spec (its data already Arrow bytes) is kept in st.cache_resource, one copy shared by every
session, and a cached view only sends it. Streamlit copies the spec before it changes anything in it.

The key is what the chart depends on: the builder, its arguments as Streamlit hashes them (DataFrames by
content), the reader's language in place of the translator, and a stamp of the chart and catalogue
sources, so an edited builder or sentence is rebuilt under `streamlit run`.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.caching.cache_errors import UnhashableParamError

from explorer.app.language import language

try:  # Streamlit's own conversion (what st.altair_chart runs), so the spec is the one it would send
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as _to_spec
except ImportError:  # a Streamlit without it (the version is pinned): draw through st.altair_chart
    _to_spec = None

PACKAGE = Path(__file__).resolve().parents[1]
SOURCES = ("charts/*.py", "locales/*/*.toml")
MAX_CHARTS = 256  # ~25 lab views of ten charts, each a few hundred KB at most
_last: list = [float("-inf"), 0]  # when the sources were last looked at, and their stamp


def draw(where: Any, builder: Callable[..., Any], *args: Any, width: str | None = "stretch") -> None:
    """where.altair_chart(builder(*args)), from the shared cache when the same inputs were drawn before.
    The translator argument (the one callable) is keyed by the reader's language."""
    key = tuple(("translator", language()) if callable(a) else a for a in args)
    try:
        spec = _spec(builder.__module__, builder.__qualname__, _stamp(), key, args)
    except UnhashableParamError:  # an argument Streamlit cannot hash: build it each time
        spec = None
    if spec is None:
        where.altair_chart(builder(*args), width=width)
    else:
        where.vega_lite_chart(spec=spec, width=width)


@st.cache_resource(max_entries=MAX_CHARTS, show_spinner=False)
def _spec(module: str, name: str, stamp: int, key: tuple, _args: tuple) -> dict | None:
    if _to_spec is None:
        return None
    return _to_spec(getattr(importlib.import_module(module), name)(*_args))


def _stamp() -> int:
    """The sources' modification times as one number, looked at most once a second (about 1 ms)."""
    now = time.monotonic()
    if now - _last[0] > 1.0:
        _last[:] = [now, hash(tuple(p.stat().st_mtime_ns for pattern in SOURCES for p in PACKAGE.glob(pattern)))]
    return _last[1]
