"""Papers reproduced: each preset's claim, the runs that test it, and the verdict computed from them."""

from dataclasses import fields

import pandas as pd
import streamlit as st

from explorer.app import ui
from explorer.charts.papers import preset_chart
from explorer.engine.config import RunConfig
from explorer.lessons import presets

t = ui.translator()
ui.language_picker(t)

st.title(t("papers.title"))
ui.prose(t("papers.intro"))

CHOICES = {"activation", "init", "norm", "optimizer", "dataset"}


def config_table(configs: dict[str, RunConfig]) -> pd.DataFrame:
    """One column per run, one row per setting, with the controls' own labels and names."""

    def shown(name: str, value) -> str:
        if name in CHOICES:
            return t(f"names.{name}.{value}")
        if isinstance(value, bool):
            return t("papers.yes") if value else t("papers.no")
        return t("papers.off") if value is None else f"{value:g}" if isinstance(value, float) else str(value)

    rows = {
        t(f"controls.{f.name}"): [shown(f.name, getattr(config, f.name)) for config in configs.values()]
        for f in fields(RunConfig)
    }
    columns = [t(f"papers.run.{name}") for name in configs]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


for name, preset in presets.PRESETS.items():
    st.header(t(f"papers.{name}.title"))
    st.markdown(t("papers.claim_line", claim=t(f"papers.{name}.claim")))
    st.caption(t(f"papers.{name}.citation"))
    with st.spinner(t("papers.running")):
        outcome = ui.cached(presets.evaluate, name)
    figure = t(f"papers.{name}.figure", **outcome.values)
    verdict = t("papers.pass") if outcome.passed else t("papers.fail")
    report = st.success if outcome.passed else st.error
    report(t("papers.report", verdict=verdict, figure=figure))
    ui.draw(st, preset_chart, name, outcome.data, t)
    st.markdown(t(f"papers.{name}.pass_rule"))
    with st.expander(t("papers.config_title")):
        st.markdown(t(f"papers.{name}.config", **preset.settings))
        if preset.configs:
            st.table(config_table(preset.configs))
        if preset.configs and preset.engine_runs:
            st.markdown(t("export.papers_code"))
            runs = {t(f"papers.run.{run_name}"): config for run_name, config in preset.configs.items()}
            ui.code_panel(runs, t, height=420, place=name)
