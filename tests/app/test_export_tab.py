"""The "Code" tab of the lab and the remedy comparison, and the papers' downloads: the script shown is
export_script of the page's own config(s), with a .py and an .ipynb download beside it."""

from __future__ import annotations

from explorer import RunConfig, export_script
from explorer.lessons import presets, remedies
from tests.app.helpers import assert_clean, open_page, t

SMALL = RunConfig(depth=3, width=8, activation="tanh", steps=4, batch_size=16, clip_norm=0.5)


def code_tab(at):
    """The "Code" tab (the lab's view holds tabs of its own, so it is found by its label)."""
    found = [tab for tab in at.tabs if tab.label == t("export.tab_code")]
    assert len(found) == 1, [tab.label for tab in at.tabs]
    return found[0]


def open_code_tab(at, key: str):
    """Select the "Code" tab as a click would (its content is sent only while it is open)."""
    assert not code_tab(at).get("code")  # closed: the script is not sent with the view
    at.session_state[key] = t("export.tab_code")
    return at.run()


def downloads(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_lab_code_tab_shows_the_config_script():
    at = open_page("pages/lab.py", SMALL.to_query())
    assert_clean(at)
    outer = [tab.label for tab in at.tabs if tab.label in (t("export.tab_view"), t("export.tab_code"))]
    assert outer == [t("export.tab_view"), t("export.tab_code")]
    at = open_code_tab(at, "lab_tab")
    assert_clean(at)
    code = code_tab(at).get("code")
    assert [block.proto.code_text for block in code] == [export_script(SMALL).rstrip()]
    assert code[0].proto.language == "python"
    assert {t("export.download_py"), t("export.download_ipynb")} <= set(downloads(at))


def test_lab_code_tab_offers_the_script_even_when_the_run_is_too_large():
    huge = RunConfig(depth=64, width=256, steps=2000, batch_size=1024)
    at = open_page("pages/lab.py", huge.to_query())
    assert_clean(at)
    at = open_code_tab(at, "lab_tab")
    assert code_tab(at).get("code")[0].proto.code_text == export_script(huge).rstrip()


def test_comparison_code_tab_has_both_runs():
    at = open_page("pages/remedy_comparison.py", {**SMALL.to_query(), "remedy": "batch_norm"})
    assert_clean(at)
    at = open_code_tab(at, "compare_tab")
    texts = [block.proto.code_text for block in code_tab(at).get("code")]
    assert texts == [export_script(c).rstrip() for c in (SMALL, remedies.apply_remedy(SMALL, "batch_norm"))]
    assert 'NORM = "batch"' in texts[1] and 'NORM = "none"' in texts[0]


def test_papers_offer_downloads_for_engine_runs_only():
    at = open_page("pages/papers.py", timeout=600)
    assert_clean(at)
    runs = sum(len(p.configs) for p in presets.PRESETS.values() if p.engine_runs)
    assert downloads(at).count(t("export.download_py")) == runs
    assert downloads(at).count(t("export.download_ipynb")) == runs
    assert not presets.PRESETS["ioffe2015"].engine_runs  # its runs rescale a layer of a built model


def test_tour_steps_that_are_engine_runs_offer_the_script():
    from explorer.lessons import tour

    for number, step in enumerate(tour.STEPS, start=1):
        at = open_page("pages/tour.py", {"step": str(number)}, timeout=600)
        assert_clean(at)
        offered = t("export.download_py") in downloads(at)
        assert offered == isinstance(step.config, RunConfig), step.key
        if offered:
            break  # one engine-run step is enough to see the buttons; the rule is the isinstance above
