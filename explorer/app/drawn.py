"""Charts built and converted once per input, and kept across sessions.

A chart costs the server twice on every view: building it in Altair (which deep-copies every layer and
panel as it composes them), then Streamlit's conversion to Vega-Lite (another deep copy, a JSON-schema
validation, the data to Arrow). For a cached lab view that was two thirds of the server's time (py-spy,
2026-12-02; the ridgelines alone a third). On a shared demo many readers see the same view, so the
converted spec (its data already Arrow bytes) is kept in st.cache_resource, one copy shared by every
session, and a cached view only sends it. Streamlit copies the spec's top level before it edits it; its
one nested edit (a null legend title becomes " ") gives the same spec every time.

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


def draw(where: Any, builder: Callable[..., Any], *args: Any, width: str | None = "stretch", **kwargs: Any) -> None:
    """where.altair_chart(builder(*args, **kwargs)), from the shared cache when the same inputs were drawn
    before. A callable argument (the translator, or a function the chart plots) is keyed by its name,
    and the translator by the reader's language."""
    key = (tuple(_key_of(a) for a in args), tuple(sorted((k, _key_of(v)) for k, v in kwargs.items())))
    try:
        spec = _spec(builder.__module__, builder.__qualname__, _stamp(), key, args, kwargs)
    except UnhashableParamError:  # an argument Streamlit cannot hash: build it each time
        spec = None
    if spec is None:
        where.altair_chart(builder(*args, **kwargs), width=width)
    else:
        where.vega_lite_chart(spec=spec, width=width)


@st.cache_resource(max_entries=MAX_CHARTS, show_spinner=False)
def _spec(module: str, name: str, stamp: int, key: tuple, _args: tuple, _kwargs: dict) -> dict | None:
    if _to_spec is None:
        return None
    return _to_spec(getattr(importlib.import_module(module), name)(*_args, **_kwargs))


def _key_of(value: Any) -> Any:
    if not callable(value):
        return value
    if getattr(value, "__qualname__", "") == "translator.<locals>.t":  # explorer.i18n's translator
        return ("translator", language())
    return ("function", getattr(value, "__module__", ""), getattr(value, "__qualname__", repr(value)))


def _stamp() -> int:
    """The sources' modification times as one number, looked at most once a second (about 1 ms)."""
    now = time.monotonic()
    if now - _last[0] > 1.0:
        _last[:] = [now, hash(tuple(p.stat().st_mtime_ns for pattern in SOURCES for p in PACKAGE.glob(pattern)))]
    return _last[1]
