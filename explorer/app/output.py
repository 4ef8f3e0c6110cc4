"""Output pieces several pages share: a lesson's verdict sentences, the size guard, the divergence callout
and the run's CSV download."""

from __future__ import annotations

import functools

import streamlit as st

from explorer import i18n
from explorer.engine.config import MAX_RUN_SECONDS
from explorer.engine.train import RunResult
from explorer.lessons.verdict import Sentence


def say(t: i18n.Translator, sentence: Sentence) -> str:
    """A sentence in the reader's language (sentences nested in its values are said first)."""
    values = {k: say(t, v) if isinstance(v, Sentence) else v for k, v in sentence.values.items()}
    return t(sentence.key, **values)


def show(t: i18n.Translator, sentences: list[Sentence], where=st) -> None:
    """Each sentence in its own element (markdown, caption, info, warning, ...)."""
    for sentence in sentences:
        getattr(where, sentence.kind)(say(t, sentence))


def within_bound(seconds: float, t: i18n.Translator) -> bool:
    """The size guard of one page view: its runs' estimated seconds summed, refused (with the shared
    message) above the demo's bound."""
    if seconds <= MAX_RUN_SECONDS:
        return True
    st.error(t("ui.too_large", seconds=f"{seconds:.0f}", limit=f"{MAX_RUN_SECONDS:.0f}"))
    return False


def divergence_callout(result: RunResult, t: i18n.Translator) -> None:
    if result.diverged_at is not None:
        recorded = int(result.steps.step.max()) if len(result.steps) else None
        if recorded is None:
            st.error(t("ui.diverged_at_start"))
        else:
            st.error(t("ui.diverged", step=result.diverged_at, recorded=recorded))


def download_csv(result: RunResult, t: i18n.Translator) -> None:
    """The run's per-layer and per-step records in one tidy CSV, written when the reader clicks (building
    it on every view cost a tenth of a cached lab view's server time)."""
    st.download_button(
        t("ui.download"),
        functools.partial(run_table_csv, result),
        file_name="gradient-run.csv",
        mime="text/csv",
        key="download_run",
    )


def run_table_csv(result: RunResult) -> bytes:
    """Every recorded (step, layer) row with its weight figures and the step's loss and accuracy, and
    the config's fields as columns (the URL's names), so one file says what was run."""
    frame = result.layers.merge(result.weights, on=["step", "layer"], how="left").merge(
        result.steps, on="step", how="left"
    )
    for name, value in result.config.to_query().items():
        frame[name] = value
    return frame.to_csv(index=False).encode("utf-8")


def chart_grid(*rows: tuple) -> None:
    """Charts laid out row by row: a row of one chart spans the page, a row of two shares it in columns."""
    for row in rows:
        for column, chart in zip(st.columns(len(row)) if len(row) > 1 else [st], row, strict=True):
            column.altair_chart(chart, width="stretch")
