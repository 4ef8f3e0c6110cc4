"""The exploding-gradients page says whether clipping fired, on either side of its threshold, in both parts,
read from the text a reader sees:

- the deep net: global-norm clipping set just above and just below the largest gradient norm of the
  arm without a remedy (the engine's raw run of that arm): it never fires, or it fires;
- Pascanu's toy: clipping set just above and just below the plain path's largest gradient, which is
  computed by forward-mode differentiation in plain Python (tests/lessons/test_exploding_boundary.py).
"""

from __future__ import annotations

import functools

import pytest

from explorer.engine.train import run
from explorer.lessons import exploding
from explorer.lessons.cliff import CliffConfig
from tests.app.boundary import read
from tests.app.helpers import info_text, metrics, open_page, t
from tests.lessons.test_exploding_boundary import toy_path

PAGE = "pages/exploding_gradients.py"
NET = exploding.ExplodingConfig(depth=2, width=8, steps=10, seed=5)
TOY = CliffConfig(toy_steps=20, toy_horizon=10)


@functools.cache
def raw_norms(config: exploding.ExplodingConfig, arm: str) -> list[float]:
    """The global gradient norm before clipping at every step of one arm, from the engine's own run."""
    return [float(v) for v in run(config.run_config(arm)).steps.grad_norm_total]


@pytest.mark.parametrize(("margin", "fires"), [(1e-6, False), (-1e-3, True)])
def test_clipping_fires_only_when_a_norm_is_above_the_threshold(margin, fires):
    net = NET.replace(clip_norm=max(raw_norms(NET, "none")) * (1 + margin))
    toy = TOY.replace(toy_clip=max(norm for norm, _ in toy_path(TOY, None)) * (1 + margin))
    at = open_page(PAGE, {**net.to_query(), **toy.to_query()})
    assert not at.exception, at.exception
    text = info_text(at)

    # the deep net: how often global-norm clipping fired, from the clipped arm's raw norms
    clipped = raw_norms(net, "clip_norm")
    fired = sum(norm > net.clip_norm for norm in clipped)
    assert (fired > 0) is fires
    assert clipped[: clipped.index(max(clipped))] == raw_norms(NET, "none")[: clipped.index(max(clipped))]
    share = f"{fired / len(clipped):.0%}"
    assert share == ("9%" if fires else "0%")  # one step of the eleven recorded
    said = read("exploding.verdict_clip_norm", text)
    assert (said["threshold"], said["share"]) == (f"{net.clip_norm:g}", share), text
    applied = max(float(v) for v in run(net.run_config("clip_norm")).steps.grad_norm_clipped)
    assert said["applied"] == f"{applied:.3g}" and applied <= net.clip_norm * (1 + 1e-6)
    assert metrics(at)[t("exploding.metric_fired")] == share

    # the toy: how many times clipping fired on the clipped path
    expected = toy_path(TOY, toy.toy_clip)
    count = sum(f for _, f in expected)
    assert (count > 0) is fires
    said = read("exploding.verdict_clipped", text)
    assert (said["threshold"], said["fired"]) == (f"{toy.toy_clip:g}", str(count)), text
    peak = max(norm for norm, _ in toy_path(TOY, None))
    assert read("exploding.verdict_plain", text)["peak"] == f"{peak:.3g}"
