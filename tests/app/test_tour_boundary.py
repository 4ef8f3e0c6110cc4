"""The tour's verdict on either side of its boundary, on the page: a guess is right when its option is the
one nearest the measurement on a log scale. A step's measurement is fixed (its run has no controls), so
the "vanish" step's measured value is set just past the log-midpoint between two options, 10⁻⁴ between
10⁻² and 10⁻⁶ (the rest of the real measurement kept), and the reader guesses 10⁻⁶. Expected decades and
factors are computed here from the values; and a run that no longer shows the explanation withholds it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from explorer import i18n
from explorer.lessons import tour, tour_runs
from tests.app.boundary import own_cache
from tests.app.helpers import open_page, t, text_of, warnings_text

VANISH = tour.KEYS.index("vanish") + 1
OPTIONS = tour.STEPS[VANISH - 1].options  # 1, 1e-2, 1e-6, 1e-12
real = functools.cache(tour_runs.measure)


def revealed_with(monkeypatch, tag: str, **changes) -> AppTest:
    own_cache(monkeypatch, f"tour-{tag}")

    def measure(key: str) -> tour.Measurement:
        return replace(real(key), **changes) if key == "vanish" else real(key)

    measure.__module__, measure.__qualname__ = tour_runs.__name__, "measure"
    monkeypatch.setattr(tour_runs, "measure", measure)
    at = open_page("pages/tour.py", {"step": str(VANISH)})
    at.radio(key="tour.guess.vanish").set_value(2)  # 10⁻⁶
    at.button(key="tour.reveal.vanish").click()
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("exponent", "right"), [(-4.01, 2), (-3.99, 1)])
def test_a_guess_is_right_only_on_its_side_of_the_log_midpoint(monkeypatch, exponent, right):
    assert math.log10(OPTIONS[1] * OPTIONS[2]) / 2 == -4  # the midpoint between 10⁻² and 10⁻⁶
    value = 10**exponent
    at = revealed_with(monkeypatch, str(exponent), value=value)
    decades = abs(math.log10(OPTIONS[2] / value))
    factor = 10**decades
    numbers = dict(
        guess=t("tour.vanish.option_2"),
        right=t(f"tour.vanish.option_{right}"),
        measured=f"{value:.2e}",
        decades=f"{decades:.1f}",
        factor=f"{factor:.3g}",  # 97.7 or 102: between 0.01 and 1000, three digits
    )
    said = t("tour.verdict_right" if right == 2 else "tour.verdict_wrong", **numbers)
    assert said in text_of(at), text_of(at)
    assert at.metric[0].value == ("1 / 1" if right == 2 else "0 / 1")


def test_a_run_that_no_longer_shows_the_explanation_withholds_it(monkeypatch):
    at = revealed_with(monkeypatch, "holds", holds=False)
    assert t("tour.no_longer") in warnings_text(at)
    opening = i18n.catalogue("en")["tour.vanish.explain"].split("{")[0]
    assert opening and opening not in text_of(at)
    at_real = revealed_with(monkeypatch, "holds-real")  # the real measurement holds: its explanation shows
    assert opening in text_of(at_real) and t("tour.no_longer") not in warnings_text(at_real)
