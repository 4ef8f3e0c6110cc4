"""Guided tour: the article sentence by sentence. The reader predicts first, then sees the measurement."""

import html
from urllib.parse import urlencode

import streamlit as st

from explorer.app import ui
from explorer.app.navigation import PAGES
from explorer.charts import tour as charts
from explorer.lessons import tour
from explorer.lessons.tour_runs import measure

t = ui.translator()
ui.language_picker(t)
fields = ui.page_fields(tour.TourConfig, "tour", t)
LOCKED = st.session_state.setdefault("tour_locked", {})  # step key -> the option the reader committed to
ANSWERS = st.session_state.setdefault("tour_answers", {})  # step key -> was it the measured one
TITLES = {url_path: key for entries in PAGES.values() for _, key, url_path, _ in entries}


def title(number: int) -> str:
    return t(f"tour.{tour.step(number).key}.title") if tour.step(number) else t("tour.summary_title")


def commit(key: str) -> None:
    guess = st.session_state.get(f"tour.guess.{key}")
    if guess is None:
        st.session_state["tour_need_guess"] = key
    else:
        st.session_state["tour_locked"][key] = guess


def try_again(key: str) -> None:
    st.session_state["tour_locked"].pop(key, None)
    st.session_state["tour_answers"].pop(key, None)
    st.session_state.pop(f"tour.guess.{key}", None)


def go(number: int) -> None:
    st.session_state["tour.step"] = number


number = fields.select(t("tour.steps"), field="step", widget="radio", format_func=lambda n: f"{n}. {title(n)}")
ui.write_url(fields.keep(tour.TourConfig(number)))
SCORE = st.sidebar.empty()  # filled last, once this run's answer is counted


def show_score() -> None:
    right, answered = tour.score(ANSWERS)
    SCORE.metric(t("tour.score"), f"{right} / {answered}")


st.title(t("tour.title"))
st.progress(number / tour.N_STEPS, text=t("tour.progress", n=number, total=tour.N_STEPS))
step = tour.step(number)


def page_link(each: tour.Step) -> str:
    """A link to the step's page with its experiment's whole config (the papers page has no settings),
    opened in a new tab: a new session reads the whole config from the URL, and the tour keeps its place."""
    query = each.config.to_query() if each.page != "papers" else {}
    address = f"{each.page}?{urlencode({'lang': ui.language(), **query})}"
    return t("tour.open", page=html.escape(t(f"nav.{TITLES[each.page]}")), url=html.escape(address))


if step is None:  # the summary
    show_score()
    right, answered = tour.score(ANSWERS)
    st.header(t("tour.summary_title"))
    st.markdown(t("tour.summary_score", right=right, answered=answered, total=len(tour.STEPS)))
    for n, each in enumerate(tour.STEPS, start=1):
        mark = "unanswered" if each.key not in ANSWERS else "right" if ANSWERS[each.key] else "wrong"
        st.markdown(t(f"tour.mark_{mark}", n=n, title=title(n)))
    revisit = tour.to_revisit(ANSWERS)
    if revisit:
        st.subheader(t("tour.revisit"))
        for each in revisit:
            n = tour.STEPS.index(each) + 1
            st.markdown(t("tour.revisit_line", n=n, title=title(n), link=page_link(each)), unsafe_allow_html=True)
    elif answered == len(tour.STEPS):
        st.success(t("tour.all_right"))
    if answered < len(tour.STEPS):
        first = next(n for n, each in enumerate(tour.STEPS, start=1) if each.key not in ANSWERS)
        st.button(t("tour.first_open", n=first), on_click=go, args=(first,), key="tour.first_open")
    st.stop()

key = step.key
st.header(t("tour.step_heading", n=number, title=title(number)))
ui.prose(t("tour.quote", quote=t(f"tour.{key}.quote"), where=t(f"tour.{key}.where")))
ui.note(t(f"tour.{key}.rendering"))
st.markdown(t(f"tour.{key}.setup"))
st.code(tour.config_line(step.config), language=None, wrap_lines=True)
ui.download_buttons(t("export.this_run"), step.config, t, place=f"tour.{key}")  # engine runs: their script

locked = LOCKED.get(key)
if locked is not None:
    st.session_state[f"tour.guess.{key}"] = locked
st.radio(
    t(f"tour.{key}.question"),
    range(len(step.options)),
    index=None,
    key=f"tour.guess.{key}",
    format_func=lambda i: t(f"tour.{key}.option_{i}"),
    disabled=locked is not None,
)
if locked is None:
    st.button(t("tour.reveal"), key=f"tour.reveal.{key}", on_click=commit, args=(key,), type="primary")
    if st.session_state.pop("tour_need_guess", None) == key:
        st.warning(t("tour.need_guess"))
    else:
        st.caption(t("tour.predict_first"))
    show_score()
    st.stop()

with st.spinner(t("ui.running")):
    found = ui.cached(measure, key)
verdict = tour.verdict(step, found, locked)
ANSWERS[key] = verdict.correct
show_score()
references = [(t(f"tour.{key}.ref_{name}"), value) for name, value in found.references]
theory = t(f"tour.{key}.theory") if found.theory is not None else ""
frame = charts.reveal_frame(found.value, found.theory, references, step.options[locked], t, theory)
ui.draw(st, charts.reveal, frame, step.options, t(f"tour.{key}.chart_title"), t)
st.markdown(
    t(
        "tour.verdict_right" if verdict.correct else "tour.verdict_wrong",
        guess=t(f"tour.{key}.option_{locked}"),
        right=t(f"tour.{key}.option_{verdict.right}"),
        measured=tour.fmt(found.value),
        decades=f"{verdict.decades:.1f}",
        factor=tour.fmt(verdict.factor),
    )
)
if found.theory is not None:
    st.caption(t("tour.theory_line", name=theory, value=tour.fmt(found.theory)))
if found.holds:
    numbers = dict(found.figures) | dict(found.references)
    ui.prose(t(f"tour.{key}.explain", measured=tour.fmt(found.value), predicted=tour.fmt(found.theory), **numbers))
else:
    st.warning(t("tour.no_longer"))
st.markdown(page_link(step), unsafe_allow_html=True)
left, right_column = st.columns(2)
left.button(t("tour.try_again"), on_click=try_again, args=(key,), key=f"tour.again.{key}")
right_column.button(t("tour.next"), on_click=go, args=(number + 1,), key=f"tour.next.{key}", type="primary")
