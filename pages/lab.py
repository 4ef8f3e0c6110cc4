"""Gradient flow lab: one configurable run, measured layer by layer, animated over training."""

import streamlit as st

from explorer.app import theory_view, ui
from explorer.charts import lab as charts
from explorer.charts.histograms import ridgelines
from explorer.charts.theory import signal_vs_theory
from explorer.engine import measures, theory

t = ui.translator()
ui.language_picker(t)
config = ui.run_config_controls(t)
ui.reset_button(t)
ui.pin_button(config, t)
ui.write_url(config)

st.title(t("lab.title"))
if not ui.hidden("prose"):
    ui.article.quote(t, "lab")
ui.prose(t("lab.intro") + " " + t("lab.intro_no_controls" if ui.hidden("controls") else "lab.intro_controls"))

with ui.view_and_code({t("export.this_run"): config}, t, key="lab_tab"):
    result = ui.cached_run(config, t)
    if result is None:
        st.stop()
    ui.divergence_callout(result, t)

    layers, steps = result.layers, result.steps
    if not layers.empty:
        ratio = measures.signal_ratio(layers, 0)
        factor = measures.per_layer_factor(layers, 0)
        speed = measures.learning_speed_ratio(layers)
        cols = st.columns(4)
        cols[0].metric(t("lab.metric_signal_ratio"), f"{ratio:.1e}", help=t("lab.metric_signal_ratio_help"))
        cols[1].metric(
            t("lab.metric_factor"), "—" if factor != factor else f"×{factor:.3g}", help=t("lab.metric_factor_help")
        )
        cols[2].metric(
            t("lab.metric_speed"), "—" if speed != speed else f"{speed:.2g}×", help=t("lab.metric_speed_help")
        )
        cols[3].metric(
            t("lab.metric_accuracy"),
            f"{steps.accuracy.iloc[-1]:.0%}",
            help=t("lab.metric_accuracy_help", step=int(steps.step.iloc[-1])),
        )
        kind = measures.flow_kind(ratio)
        underflow = measures.underflow_span(layers, 0)
        if underflow is not None:  # layer 1's signal is below float32's range: say so, not "nan"
            st.markdown(t("lab.verdict_underflow", layer=underflow[0], factor=f"{underflow[1]:.3g}"))
        elif kind != "undefined" and config.depth > 1:  # a 1-layer net has no path to judge
            st.markdown(
                t(
                    f"lab.verdict_{kind}",
                    factor=f"{factor:.3g}",
                    ratio=f"{ratio:.2g}" if 1e-2 <= ratio < 1e3 else f"{ratio:.1e}",
                    decades=f"{abs(measures.decades(ratio)):.1f}",
                    factors=measures.factor_count(layers, 0),
                )
            )

    # The view's sections are tabs whose charts are built only while open (the run is cached): a browser
    # builds a page's charts one by one before it shows them, and eleven at once kept its main thread busy
    # for seconds (README, Performance).
    prediction = ui.cached_here(theory.predict_signal, config)
    shown = ui.open_tabs({name: t(f"lab.section_{name}") for name in charts.SECTIONS}, key="lab_section")
    if "layers" in shown:
        with shown["layers"]:
            ui.draw(st, charts.animated_layer_norms, layers, t)
            ui.prose(t("lab.read_norms"))
            st.subheader(t("theory.title"))
            ui.prose(t("theory.explain"))
            ui.draw(st, signal_vs_theory, layers, prediction, t)
            theory_view.show_agreement(layers, prediction, t)
    if "training" in shown:
        with shown["training"]:
            left, right = st.columns(2)
            ui.draw(left, charts.update_ratio_heatmap, layers, t)
            ui.draw(right, charts.loss_curve, steps, t)
            ui.draw(right, charts.accuracy_curve, steps, t)
            ui.prose(t("lab.read_heatmap"))
            left, right = st.columns(2)
            ui.draw(left, charts.layer_history, layers, "signal_norm", t)
            ui.draw(right, charts.layer_history, layers, "grad_norm", t)
            ui.prose(t("lab.read_history"))
    if "distributions" in shown:
        with shown["distributions"]:
            st.subheader(t("hist.heading"))
            q_by_layer = prediction.frame.set_index("layer").q if prediction.applicable else None
            ui.draw(st, ridgelines, result.histograms, q_by_layer, config.activation, t, width=None)
            ui.prose(t("hist.read" if prediction.applicable else "hist.read_no_theory"))
    if "prediction" in shown:
        with shown["prediction"]:
            left, right = st.columns(2)
            ui.draw(left, charts.decision_boundary, result.boundary, result.data, t)
            ui.draw(right, charts.activation_spread, layers, t)
            ui.draw(right, charts.saturation, layers, t)

    if not ui.hidden("prose"):
        with st.expander(t("lab.how_measured_title")):
            st.markdown(t("lab.how_measured"))
    ui.download_csv(result, t)
