"""The tour's steps: every step's run still shows what the step says (as the paper presets do), the options
spread the right answer around, the verdict's boundary, the URL parameter, and the quotes are the article's."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from explorer import i18n
from explorer.charts import tour as charts
from explorer.lessons import tour
from explorer.lessons.tour_runs import MEASURES, measure
from tests.conftest import article_text

TIMED = [s for s in tour.STEPS if s.answer is None]
CLAIMED = [s for s in tour.STEPS if s.answer is not None]


@pytest.fixture(scope="module")
def measured():
    found: dict[str, tour.Measurement] = {}

    def get(key: str) -> tour.Measurement:
        if key not in found:
            found[key] = measure(key)
        return found[key]

    return get


def test_at_least_ten_steps_in_the_article_order_and_one_measure_each():
    assert len(tour.STEPS) >= 10 and len(tour.STEPS) + 1 == tour.SUMMARY
    assert set(MEASURES) == set(tour.KEYS) and len(set(tour.KEYS)) == len(tour.KEYS)
    article = article_text()
    if article:  # each step's sentence comes later in the article than the last one's
        zh = i18n.catalogue("zh")
        positions = [article.index(zh[f"tour.{key}.quote"]) for key in tour.KEYS]
        assert positions == sorted(positions)


@pytest.mark.parametrize("step", CLAIMED, ids=[s.key for s in CLAIMED])
def test_every_step_run_lands_on_its_answer_and_its_claim_holds(step, measured):
    found = measured(step.key)
    assert found.holds, (step.key, found)
    assert tour.nearest(step.options, found.value) == step.answer, (step.key, found.value, step.options)
    if found.theory is not None:  # the theory shown beside the run points to the same answer
        assert tour.nearest(step.options, found.theory) == step.answer, (step.key, found.theory)
    assert all(math.isfinite(v) for _, v in found.figures + found.references)


@pytest.mark.parametrize("step", TIMED, ids=[s.key for s in TIMED])
def test_timing_steps_are_measured_not_asserted(step, measured, monkeypatch):
    from explorer.lessons import cost

    monkeypatch.setattr(cost, "ROUNDS", 1)  # nothing here depends on the timings' quality (test_cost.py's does)
    found = measured(step.key)
    assert found.value > 0 and math.isfinite(found.value) and found.holds
    figures = dict(found.figures)
    assert figures["elu_us"] / figures["relu_us"] == pytest.approx(found.value, rel=1e-9)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("step", tour.STEPS, ids=[s.key for s in tour.STEPS])
def test_every_text_of_a_step_exists_and_formats_with_its_figures(step, lang, measured):
    t = i18n.translator(lang)
    found = measured(step.key)
    keys = ["title", "where", "quote", "rendering", "setup", "question", "chart_title"]
    keys += [f"option_{i}" for i in range(len(step.options))] + [f"ref_{name}" for name, _ in found.references]
    keys += ["theory"] if found.theory is not None else []
    for key in keys:
        assert "⟦" not in t(f"tour.{step.key}.{key}"), (step.key, key)
    numbers = dict(found.figures) | dict(found.references)
    text = t(f"tour.{step.key}.explain", measured=tour.fmt(found.value), predicted=tour.fmt(found.theory), **numbers)
    assert "⟦" not in text and "{" not in text


def test_quotes_are_the_articles_own_sentences_in_both_languages():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    for key in tour.KEYS:
        assert en[f"tour.{key}.quote"] == zh[f"tour.{key}.quote"]
    article = article_text()
    missing = [key for key in tour.KEYS if zh[f"tour.{key}.quote"] not in article]
    assert not missing


def test_the_right_answer_moves_between_steps():
    places = Counter(step.answer for step in CLAIMED)
    assert set(places) == {0, 1, 2, 3}
    assert max(places.values()) <= len(CLAIMED) / 2
    for step in tour.STEPS:
        assert len(set(step.options)) == len(step.options) and min(step.options) > 0
        assert list(step.options) in (sorted(step.options), sorted(step.options, reverse=True))


def test_verdict_counts_decades_and_judges_by_the_nearest_option_near_the_boundary():
    step = tour.Step("x", "lab", None, (1.0, 1e-2), 1)
    below = tour.Measurement(10**-1.01)  # just past the midpoint (10⁻¹) toward 10⁻²
    above = tour.Measurement(10**-0.99)
    assert tour.verdict(step, below, 1).correct and not tour.verdict(step, below, 0).correct
    assert tour.verdict(step, above, 0).correct and not tour.verdict(step, above, 1).correct
    wrong = tour.verdict(step, below, 0)
    assert wrong.decades == pytest.approx(1.01) and wrong.factor == pytest.approx(10**1.01) and wrong.right == 1
    with pytest.raises(ValueError):
        tour.verdict(step, below, 2)
    assert tour.nearest((1.0, 1e-2), math.nan) == 0 and tour.decades_apart(0.0, 1.0) == math.inf


def test_score_and_pages_to_revisit():
    answers = {"vanish": True, "chain": False, "relu": False, "not_a_step": True}
    assert tour.score(answers) == (1, 3)
    assert [s.key for s in tour.to_revisit(answers)] == ["chain", "relu"]  # tour order
    assert tour.score({}) == (0, 0)


@pytest.mark.parametrize("raw", ["abc", "0", "-1", str(tour.N_STEPS + 1), "2.5", "1e9", ""])
def test_hostile_step_falls_back_to_the_first_with_a_note(raw):
    config, problems = tour.TourConfig.from_query({"step": raw})
    assert config.step == 1 and [p.field for p in problems] == ["step"]


def test_step_round_trips_through_the_url():
    for number in (1, 7, tour.SUMMARY):
        config, problems = tour.TourConfig.from_query(tour.TourConfig(number).to_query())
        assert config.step == number and not problems
    assert tour.step(tour.SUMMARY) is None and tour.step(1) is tour.STEPS[0]


def test_numbers_print_plainly():
    assert tour.fmt(0.5) == "0.5" and tour.fmt(1.6701e-6) == "1.67e-06" and tour.fmt(4268755.2) == "4.27e+06"
    assert tour.fmt(math.nan) == "—" and tour.fmt(None) == "—"
    line = tour.config_line(tour.STEPS[5].config)
    assert "depth=10" in line and "activation=sigmoid" in line and "steps=0" in line


def test_reveal_chart_puts_run_theory_references_and_guess_on_one_log_axis():
    t = i18n.translator("en")
    frame = charts.reveal_frame(1.7e-6, 2.0e-6, [("he", 0.9)], 1e-2, t, "mean-field theory")
    assert list(frame.kind) == ["measured", "theory", "reference", "guess"]
    assert list(frame.shown) == ["1.70e-06", "2.00e-06", "0.9", "0.01"]
    spec = charts.reveal(frame, (1.0, 1e-2, 1e-6, 1e-12), "title", t).to_dict()
    rows = [row for rows in spec["datasets"].values() for row in rows]
    assert sorted(r["value"] for r in rows if "kind" in r) == sorted([1.7e-6, 2.0e-6, 0.9, 1e-2])
    assert {r["value"] for r in rows if "kind" not in r} == {1.0, 1e-2, 1e-6, 1e-12}  # the options' rules
    domain = spec["layer"][1]["encoding"]["x"]["scale"]["domain"]
    assert domain[0] < 1e-12 and domain[1] > 1.0
    without = charts.reveal_frame(0.5, None, [], 1.0, t)
    assert list(without.kind) == ["measured", "guess"]
