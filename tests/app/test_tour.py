"""AppTest of the tour: nothing is revealed before a guess is committed, the guess is then locked, "try
again" resets the step, the score counts, `?step=N` opens step N (hostile values warn), and every step
renders before and after its reveal in both languages with no missing catalogue key."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from explorer import i18n
from explorer.lessons import tour
from tests.app.helpers import chart_rows, open_page, specs, text_of, url, warnings_text
from tests.app.test_every_page import missing_keys

PAGE = "pages/tour.py"
VANISH = tour.KEYS.index("vanish") + 1  # step number of "vanish" (answer: option 2, 10⁻⁶)
CHAIN = tour.KEYS.index("chain") + 1
t = i18n.translator("en")


def guess(at: AppTest, key: str, option: int | None) -> AppTest:
    if option is not None:
        at.radio(key=f"tour.guess.{key}").set_value(option)
    at.button(key=f"tour.reveal.{key}").click()
    return at.run()


def score(at: AppTest) -> str:
    return at.metric[0].value


def revealed(at: AppTest) -> bool:
    return bool(specs(at)) or "**Right.**" in text_of(at) or "**Not this time.**" in text_of(at)


def test_nothing_is_revealed_before_a_guess_is_committed():
    at = open_page(PAGE, {"step": str(VANISH)})
    assert not at.exception and not revealed(at)
    assert at.radio(key="tour.guess.vanish").value is None  # no default answer
    at.radio(key="tour.guess.vanish").set_value(1).run()  # picked, not committed
    assert not revealed(at)
    at.radio(key="tour.guess.vanish").set_value(None).run()
    guess(at, "vanish", None)  # the button without an answer
    assert not revealed(at) and t("tour.need_guess") in warnings_text(at)


def test_reveal_locks_the_guess_and_try_again_resets_the_step():
    at = guess(open_page(PAGE, {"step": str(VANISH)}), "vanish", 2)
    assert not at.exception and revealed(at)
    choice = at.radio(key="tour.guess.vanish")
    assert choice.value == 2 and choice.disabled
    assert "**Right.**" in text_of(at) and score(at) == "1 / 1"
    [chart] = at.get("vega_lite_chart")
    rows = chart_rows(chart).dropna(subset=["kind"])
    assert sorted(rows.kind) == ["guess", "measured", "theory"] and 1e-6 in set(rows.value)  # the guess beside both
    link = html.unescape(text_of(at))
    assert 'href="lab?lang=en&depth=10' in link and 'target="_blank"' in link  # whole config, new session
    at.button(key="tour.again.vanish").click().run()
    assert not revealed(at) and at.radio(key="tour.guess.vanish").value is None
    assert not at.radio(key="tour.guess.vanish").disabled
    assert score(at) == "0 / 0"


def test_score_counts_right_and_wrong_answers_across_steps_and_the_summary_names_pages():
    at = guess(open_page(PAGE, {"step": str(VANISH)}), "vanish", 2)
    at.radio(key="tour.step").set_value(CHAIN).run()
    guess(at, "chain", 3)  # "the chain rule passes it along unchanged": wrong
    assert "**Not this time.**" in text_of(at)
    assert score(at) == "1 / 2"
    at.button(key="tour.next.chain").click().run()
    assert url(at)["step"] == str(CHAIN + 1)
    at.radio(key="tour.step").set_value(tour.SUMMARY).run()
    text = html.unescape(text_of(at))
    assert t("tour.summary_score", right=1, answered=2, total=len(tour.STEPS)) in text
    assert t("tour.mark_wrong", n=CHAIN, title=t("tour.chain.title")) in text
    assert 'href="chain_rule?lang=en' in text  # the page to revisit, with the step's config
    assert 'href="lab?' not in text  # the step answered right is not sent back


@pytest.mark.parametrize("number", [1, VANISH, len(tour.STEPS), tour.SUMMARY])
def test_step_in_the_url_opens_that_step_and_stays_in_the_url(number):
    at = open_page(PAGE, {"step": str(number)})
    assert not at.exception and at.radio(key="tour.step").value == number
    found = tour.step(number)
    expected = t(f"tour.{found.key}.title") if found else t("tour.summary_title")
    assert expected in [h.value for h in at.header][0]
    assert url(at)["step"] == str(number)


@pytest.mark.parametrize("raw", ["abc", "0", "999", "-3", "<script>"])
def test_hostile_step_warns_and_opens_the_first_step(raw):
    at = open_page(PAGE, {"step": raw})
    assert not at.exception
    assert "step" in warnings_text(at)
    assert at.radio(key="tour.step").value == 1 and url(at)["step"] == "1"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_step_renders_before_and_after_its_reveal_with_no_missing_key(lang):
    at = open_page(PAGE, {"step": "1", "lang": lang}, timeout=300)
    for number, step in enumerate(tour.STEPS, start=1):
        at.radio(key="tour.step").set_value(number).run()
        assert not at.exception and not missing_keys(at) and not revealed(at), (lang, step.key)
        guess(at, step.key, number % len(step.options))
        assert not at.exception and not missing_keys(at), (lang, step.key)
        assert len(specs(at)) == 1 and at.radio(key=f"tour.guess.{step.key}").disabled, (lang, step.key)
    at.radio(key="tour.step").set_value(tour.SUMMARY).run()
    assert not at.exception and not missing_keys(at)
    assert i18n.translator(lang)("tour.summary_title") in at.header[0].value
