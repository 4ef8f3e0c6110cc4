"""The shallow-net page states the overlap verdict its lesson computes, on either side of the threshold
(the engine's runs replaced by loss curves whose largest gap is set; tests/lessons/test_shallow_boundary.py
tests the lesson itself)."""

from __future__ import annotations

import pytest

from explorer import i18n
from explorer.lessons import shallow
from tests.app.boundary import own_cache
from tests.app.helpers import open_page
from tests.lessons.test_shallow_boundary import DEPTH, FROZEN, STEPS, THRESHOLD, fake_runs

t = i18n.translator("en")


@pytest.mark.parametrize(("gap", "key"), [(0.99 * THRESHOLD, "overlap"), (1.01 * THRESHOLD, "separate")])
def test_the_page_states_the_verdict_on_either_side_of_the_threshold(monkeypatch, gap, key):
    # the page also shows the reference comparisons, computed here from fake curves: a cache of their own,
    # so they never reach another test (and no test loses the runs it cached)
    own_cache(monkeypatch, f"shallow-{gap:.3g}")
    monkeypatch.setattr(shallow, "run", fake_runs(gap))
    seed = 9100 + int(gap / THRESHOLD * 100)  # a config of its own: the page's cache cannot serve another
    query = {"depth": str(DEPTH), "frozen": str(FROZEN), "freeze_first": str(FROZEN), "steps": str(STEPS)}
    at = open_page("pages/shallow_net.py", {**query, "seed": str(seed), "width": "16"})
    assert not at.exception, at.exception
    # the first verdict is the reader's own comparison (the references below it may come from the cache)
    prefixes = {name: t(f"shallow.verdict_{name}").split("{")[0] for name in ("overlap", "separate")}
    verdicts = [(name, m.value) for m in at.markdown for name, p in prefixes.items() if m.value.startswith(p)]
    assert verdicts, [m.value[:60] for m in at.markdown]
    name, text = verdicts[0]
    assert name == key, text
    assert f"{gap:.2g} nats" in text  # the largest gap it states
