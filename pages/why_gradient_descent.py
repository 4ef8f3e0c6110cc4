"""Why gradient descent: training is finding a minimum of the loss; a real descent on one neuron's loss."""

import streamlit as st

from explorer.app import navigation, ui
from explorer.charts import why as charts
from explorer.lessons.surface import SurfaceConfig, descend, verdict

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(SurfaceConfig, "why", t)
st.sidebar.subheader(t("why.controls"))
config = SurfaceConfig(
    lr=fields.number(t("why.lr"), field="lr", step=0.1, format="%.4g", help=t("why.lr_help")),
    start_w=fields.slider(t("why.start_w"), field="start_w", step=0.1),
    start_b=fields.slider(t("why.start_b"), field="start_b", step=0.1),
    steps=fields.slider(t("why.steps"), field="steps"),
)
ui.write_url(fields.keep(config))

st.title(t("why.title"))
ui.article.quote(t, "why")
ui.prose(t("why.intro"))
ui.prose(t("why.model"))

result = ui.cached(descend, config)
end = result.final
loss_star = result.minimum[2]
cols = st.columns(4)
cols[0].metric(t("why.metric_loss"), f"{end.loss:.4g}", help=t("why.metric_loss_help", min_loss=f"{loss_star:.6g}"))
cols[1].metric(t("why.metric_distance"), f"{result.distance:.3g}", help=t("why.metric_distance_help"))
cols[2].metric(t("why.metric_grad"), f"{end.grad_norm:.2e}", help=t("why.metric_grad_help"))
cols[3].metric(t("why.metric_critical"), f"{result.critical_lr:.3g}", help=t("why.metric_critical_help"))

said = verdict(result, config)  # the outcome and the learning rate against the critical one, then notes
getattr(st, said[0].kind)(ui.sentences(*(ui.say(t, sentence) for sentence in said[:2])))
ui.show(t, said[2:])

ui.draw(st, charts.loss_landscape, result.surface, result.path, result.minimum, t)
left, right = st.columns(2)
ui.draw(left, charts.loss_along_path, result.path, loss_star, t)
ui.draw(right, charts.gradient_along_path, result.path, t)
ui.prose(t("why.read"))

st.header(t("article.table_title"))
ui.prose(t("article.table_intro"))
ui.article.section_table(t)

st.header(t("why.map_title"))
ui.prose(t("why.map_intro"))
for path, key in navigation.other_pages():
    st.page_link(path, label=t(f"nav.{key}"), icon=":material/arrow_forward:")
    st.caption(t(f"why.map_{key}"))
