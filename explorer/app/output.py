"""Output pieces several pages share: the divergence callout and the run's CSV download."""

from __future__ import annotations

import streamlit as st

from explorer import i18n
from explorer.engine.train import RunResult


def divergence_callout(result: RunResult, t: i18n.Translator) -> None:
    if result.diverged_at is not None:
        recorded = int(result.steps.step.max()) if len(result.steps) else None
        if recorded is None:
            st.error(t("ui.diverged_at_start"))
        else:
            st.error(t("ui.diverged", step=result.diverged_at, recorded=recorded))


def download_csv(result: RunResult, t: i18n.Translator) -> None:
    """The run's per-layer and per-step records in one tidy CSV (config fields included as columns)."""
    frame = result.layers.merge(result.weights, on=["step", "layer"], how="left").merge(
        result.steps, on="step", how="left"
    )
    for name, value in result.config.to_query().items():
        frame[name] = value
    st.download_button(
        t("ui.download"),
        frame.to_csv(index=False).encode("utf-8"),
        file_name="gradient-run.csv",
        mime="text/csv",
        key="download_run",
    )
