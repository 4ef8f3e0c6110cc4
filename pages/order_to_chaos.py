"""Order to chaos: click a point of tanh's mean-field phase map, and an untrained network is run there."""

import streamlit as st

from explorer.app import theory_view, ui
from explorer.charts import chaos as charts
from explorer.charts.theory import signal_vs_theory
from explorer.engine import theory
from explorer.lessons import order_chaos

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(order_chaos.ChaosPoint, "chaos", t)
# A click on the map (its selection state, kept under the chart's key) moves the point before the
# sidebar's widgets are drawn, so they show it.
clicked = (st.session_state.get("chaos.map") or {}).get("selection", {}).get(charts.SELECTION) or []
if clicked and clicked[0] != st.session_state.get("chaos.last_click"):
    st.session_state["chaos.last_click"] = clicked[0]
    st.session_state["chaos.sigma_w2"] = float(clicked[0]["sigma_w2"])
    st.session_state["chaos.sigma_b2"] = float(clicked[0]["sigma_b2"])

point = order_chaos.ChaosPoint(
    sigma_w2=fields.number(t("chaos.sigma_w2"), field="sigma_w2", step=0.125, format="%.3f"),
    sigma_b2=fields.number(t("chaos.sigma_b2"), field="sigma_b2", step=0.025, format="%.3f"),
    depth=fields.slider(t("controls.depth"), field="depth"),
    width=fields.slider(t("controls.width"), field="width"),
)
fields.keep(point)
ui.write_url(point)

st.title(t("chaos.title"))
ui.prose(t("chaos.intro"))
grid = ui.cached(order_chaos.phase_map)
line = ui.cached(order_chaos.critical_line)
st.altair_chart(
    charts.phase_map(grid, line, (point.sigma_w2, point.sigma_b2), t),
    width="stretch",
    on_select="rerun",
    key="chaos.map",
)
ui.note(t("chaos.map_read"))
ui.prose(t("correlation.read"))

config = point.run_config()
result = ui.cached_run(config, t)
if result is None:
    st.stop()
found = order_chaos.point_figures(point, result)
st.subheader(t("chaos.point_heading", sigma_w2=f"{point.sigma_w2:.3g}", sigma_b2=f"{point.sigma_b2:.3g}"))
cols = st.columns(4)
cols[0].metric(t("chaos.chi"), f"{found.chi_1:.4f}", help=t("chaos.chi_help"))
cols[1].metric(t("chaos.depth_scale"), "∞" if found.depth_scale > 1e6 else f"{found.depth_scale:.3g}")
cols[2].metric(t("chaos.predicted_factor"), f"×{found.predicted_factor:.4f}")
cols[3].metric(t("chaos.measured_factor"), f"×{found.measured_factor:.4f}")


def scale(xi: float) -> str:
    return "—" if xi != xi else "∞" if xi > 1e6 else f"{xi:.3g}"


undefined = found.c_star != found.c_star  # q* = 0: no signal left to correlate
cols = st.columns(4)
cols[0].metric(t("correlation.c_star"), "—" if undefined else f"{found.c_star:.4f}", help=t("correlation.c_star_help"))
cols[1].metric(t("correlation.depth_scale"), scale(found.correlation_depth_scale), help=t("correlation.xi_c_help"))
st.markdown(
    t(
        f"chaos.verdict_{found.phase}",
        chi=f"{found.chi_1:.4f}",
        xi=f"{found.depth_scale:.3g}",
        predicted=f"{found.predicted_factor:.4f}",
        measured=f"{found.measured_factor:.4f}",
        depth=point.depth,
    )
)
kind = order_chaos.correlation_kind(found.c_star)
xi = {"xi": scale(found.depth_scale), "xi_c": scale(found.correlation_depth_scale)}
st.markdown(t(f"correlation.verdict_{kind}", c_star=f"{found.c_star:.4f}", **xi))
prediction = ui.cached_here(theory.predict_signal, config)
st.altair_chart(signal_vs_theory(result.layers, prediction, t), width="stretch")
theory_view.show_agreement(result.layers, prediction, t)

st.subheader(t("correlation.heading"))
pairs = ui.cached(order_chaos.correlation_run, point.sigma_w2, point.sigma_b2, point.depth)
starts = {f"start_{i}": f"{s:.1f}" for i, s in enumerate(sorted(pairs.frame.start.unique()))}
ui.prose(t("correlation.intro", seeds=pairs.seeds, width=pairs.width, **starts))
st.altair_chart(charts.correlation_chart(pairs.frame, found.c_star, t), width="stretch")
deepest = pairs.frame[pairs.frame.layer == point.depth].sort_values("start")
figures = {f"{name}_{i}": f"{v:.3f}" for name in ("measured", "predicted") for i, v in enumerate(deepest[name])}
st.markdown(
    t("correlation.measured_verdict", depth=point.depth, width=pairs.width, seeds=pairs.seeds, **figures, **starts)
)
ui.expander(t("chaos.theory_title"), t("chaos.theory") + "\n\n" + t("correlation.how"))
