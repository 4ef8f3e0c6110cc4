"""The papers page shows PASS or FAIL for each preset on either side of its rule's threshold, with the figures
it measured. The presets are fixed runs (the page has no controls), so their evaluation is replaced by
figures built by hand (tests/lessons/test_presets_boundary.py): one figure per preset just inside its
threshold (every preset passes), then just outside it (every preset fails). The page's verdict must follow,
shown as a success or an error, with the figure sentence filled in with those figures.
"""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.lessons import presets
from tests.app.boundary import own_cache
from tests.app.helpers import open_page, t
from tests.lessons.test_presets_boundary import EDGES, PASSING

FIRST_EDGE = {name: (figure, inside, outside) for name, figure, inside, outside, _ in reversed(EDGES)}  # the first


def figures(side: str) -> dict[str, dict[str, float]]:
    return {
        name: {**PASSING[name], figure: inside if side == "inside" else outside}
        for name, (figure, inside, outside) in FIRST_EDGE.items()
    }


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_each_preset_passes_just_inside_and_fails_just_outside_its_threshold(monkeypatch, side):
    own_cache(monkeypatch, f"papers-{side}")  # apart from the real outcomes, cached under the same names
    made_up = figures(side)

    def evaluate(name: str) -> presets.Outcome:
        values = made_up[name]
        return presets.Outcome(
            name, presets.passes(name, values), values, pd.DataFrame(columns=["x", "value", "series", "kind"])
        )

    evaluate.__module__, evaluate.__qualname__ = presets.evaluate.__module__, "evaluate"  # as ui.cached resolves it
    monkeypatch.setattr(presets, "evaluate", evaluate)
    at = open_page("pages/papers.py")
    assert not at.exception, at.exception
    shown = [str(s.value) for s in (at.success if side == "inside" else at.error)]
    assert not (at.error if side == "inside" else at.success)
    verdict = t("papers.pass" if side == "inside" else "papers.fail")
    expected = [
        t("papers.report", verdict=verdict, figure=t(f"papers.{name}.figure", **made_up[name]))
        for name in presets.PRESETS
    ]
    assert shown == expected
