"""What every AppTest of a page needs: open a page (optionally with URL parameters) and read back what it
rendered (chart specs and their shipped rows, texts, metrics, the address bar)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from explorer import i18n
from tests.app_registry import ENTRY

t = i18n.translator("en")


def open_page(path: str, query: dict[str, str] | None = None, *, timeout: float = 120) -> AppTest:
    """The page at `path` with `query` in the URL, as a link would open it (tests/app/conftest.py has
    already spent the process's first run, which settles Streamlit's navigation mode)."""
    at = AppTest.from_file(str(ENTRY), default_timeout=timeout)
    if query:
        at.query_params.update(query)
    at.switch_page(path)
    return at.run()


# How many charts each section of the lab's view draws, in the order of explorer.charts.lab.SECTIONS.
LAB_CHARTS = {"layers": 2, "training": 5, "distributions": 1, "prediction": 3}


def open_section(at: AppTest, name: str, tr=t) -> AppTest:
    """Choose the lab view's section `name` (one of explorer.charts.lab.SECTIONS) as a click on its tab
    would: the page reruns, and only that section's charts are sent. `tr`: the page's language."""
    at.session_state["lab_section"] = tr(f"lab.section_{name}")
    return at.run()


def in_every_section(at: AppTest, read, tr=t) -> dict[str, object]:
    """read(at) with each of the lab view's sections open in turn, by section name (the first section is
    the one a visit opens on); the page is left on its first section."""
    from explorer.charts.lab import SECTIONS

    found = {name: read(open_section(at, name, tr)) for name in SECTIONS}
    open_section(at, SECTIONS[0], tr)
    return found


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def chart_rows(chart) -> pd.DataFrame:
    """The rows Streamlit ships to the browser for a chart (its named Arrow datasets)."""
    frames = [pa.ipc.open_stream(dataset.data.data).read_all().to_pandas() for dataset in chart.proto.datasets]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def title_of(spec: dict) -> str:
    title = spec.get("title", "")
    return title.get("text", "") if isinstance(title, dict) else str(title)


def titles(at: AppTest) -> list[str]:
    """Every chart title, including those of vertically concatenated parts."""
    found = [title_of(part) for spec in specs(at) for part in [spec, *spec.get("vconcat", [])]]
    return [title for title in found if title]


def fields_of(spec: dict) -> set[str]:
    """The fields a chart's encodings name, in its layers and its concatenated views too."""
    found = set()
    for channel in spec.get("encoding", {}).values():
        if isinstance(channel, dict) and "field" in channel:
            found.add(channel["field"])
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            found |= fields_of(part)
    return found


def text_of(at: AppTest) -> str:
    return "\n".join(str(block.value) for block in at.markdown)


def info_text(at: AppTest) -> str:
    return "\n".join(str(block.value) for block in at.info)


def warnings_text(at: AppTest) -> str:
    return "\n".join(str(w.value) for w in at.warning)


def url(at: AppTest) -> dict[str, str]:
    """The address bar's parameters after the run (AppTest keeps each as a list of values)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_clean(at: AppTest) -> None:
    """No exception, and no ⟦missing.key⟧ in the text or the metrics."""
    assert not at.exception, [e.value for e in at.exception]
    assert "⟦" not in text_of(at) + "".join(m.label for m in at.metric)


def filled_in(key: str, text: str, *, whole: bool = True) -> dict[str, str] | None:
    """The values formatted into catalogue entry `key` if `text` is that entry filled in (or, with
    whole=False, contains it), else None."""
    template = i18n.catalogue("en")[key]
    pattern = "".join(
        f"(?P<{part[1:-1]}>.+?)" if part.startswith("{") else re.escape(part)
        for part in re.split(r"(\{\w+\})", template)
    )
    found = (re.fullmatch if whole else re.search)(pattern, text, flags=re.DOTALL)
    return found.groupdict() if found else None


def quoted_lines(text: str) -> list[str]:
    """The “…” lines of an article quote (each a line of the material, exactly)."""
    return re.findall(r"“(.+?)”(?:\n|$)", text)


def quote_problem(at: AppTest, page_key: str, lang: str) -> str | None:
    """What is wrong with how a material page opens (None: its first markdown is its article quote, the
    Chinese line first, and in English its translation too); pages without a quote have nothing to check."""
    zh, shown = i18n.catalogue("zh"), i18n.catalogue(lang)
    key = f"article.quote_{page_key}"
    if key not in zh:
        return None
    first = [str(block.value) for block in at.markdown][:1]
    if not first or quoted_lines(zh[key])[0] not in first[0]:
        return f"{page_key} ({lang}) does not open with its quote: {first[0][:80] if first else 'no text'}"
    if lang == "en" and shown[key].split("*")[1][:30] not in first[0]:
        return f"{page_key} (en) opens without the quote's English: {first[0][:80]}"
    return None
