"""Shared fixtures: runs are deterministic, so a run used by several tests is computed once."""

import functools
import gc
from pathlib import Path

import pytest

from explorer import RunConfig, run
from tests import background


@functools.cache
def cached_run(boundary=False, histograms=False, **fields):
    return run(RunConfig(**fields), boundary=boundary, histograms=histograms)


@pytest.fixture
def measured():
    """`measured(**fields)` -> RunResult, memoised across the session: the tables only (its decision boundary and
    histograms are empty unless asked for with `boundary=True`, `histograms=True`), as the lessons measure."""
    return cached_run


# The material the app teaches lives beside the repository (../shared/seed/, where the project's machines and
# CI put it), not in it: the first folder above the checkout that has it. Quote tests read it from there; without
# it they skip, which CI mode turns into a failure.
_SEED = Path("shared") / "seed" / "gradient-vanishing-exploding.zh.txt"
ARTICLE = next(
    (folder / _SEED for folder in Path(__file__).resolve().parents[1:] if (folder / _SEED).exists()),
    Path(__file__).resolve().parents[2] / _SEED,
)


def article_text() -> str:
    """The article's text, or a skip saying where it was looked for."""
    if not ARTICLE.exists():
        pytest.skip(f"the article is not at {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def signal_at_step(result, step=0):
    """Per-layer signal_norm at a step, indexed by layer."""
    layers = result.layers
    return layers[layers.step == step].set_index("layer")


# ----- skips are counted, and fatal in CI -----------------------------------------------------------------
# A skipped test proves nothing. The summary always prints how many were skipped; with CI set (.ci/run sets
# CI=true) any skip fails the run, so a browser or font that failed to install cannot pass silently.

_SKIPPED: list[str] = []


def _ci_mode() -> bool:
    import os

    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _SKIPPED.append(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"skipped tests: {len(_SKIPPED)}" + (" (CI mode: a skip fails the run)" if _ci_mode() else "")
    )
    for nodeid in _SKIPPED[:20]:
        terminalreporter.write_line(f"  skipped: {nodeid}")


def pytest_sessionfinish(session, exitstatus):
    background.discard()
    if _ci_mode() and _SKIPPED and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_finish(session):
    """Start the child processes the selected tests will need now, beside the tests before them: a test module's
    START_EARLY maps a test's name, or a fixture's, to what starts its children (tests/background.py)."""
    for item in session.items:
        early = getattr(getattr(item, "module", None), "START_EARLY", {})
        for name in [getattr(item, "originalname", item.name), *getattr(item, "fixturenames", ())]:
            if name in early:
                early[name]()
    # Everything imported and collected so far (torch, Streamlit, Altair, 1,500 test items) lives for the whole
    # run: out of the garbage collector's sight, a full collection scans only what the tests make. Timed with
    # gc.callbacks (2026-12-02): full collections took 3.9 s of a run (20 of them) before, 2.9-3.2 s after
    # (more of them, each a third as long).
    gc.freeze()
