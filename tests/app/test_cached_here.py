"""ui.cached_here: a formula of a fraction of a second (the theory's prediction) is computed in the page's thread and
cached, never queued behind other readers' runs, even when the app computes through workers."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from explorer.app.compute import waiting


def script() -> None:
    import streamlit as st

    from explorer import RunConfig
    from explorer.app import ui
    from explorer.engine import theory

    prediction = ui.cached_here(theory.predict_signal, RunConfig(depth=7, activation="tanh"))
    st.write(f"{prediction.frame.q.iloc[-1]!r}")


def test_the_prediction_is_computed_here_not_queued(monkeypatch):
    monkeypatch.setenv("EXPLORER_WORKERS", "2")  # the app's worker mode: runs and cached() go to the queue

    def queued(*args, **kwargs):
        raise AssertionError("cached_here went through the queue")

    monkeypatch.setattr(waiting, "obtain", queued)
    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception, at.exception
    from explorer import RunConfig
    from explorer.engine import theory

    expected = theory.predict_signal(RunConfig(depth=7, activation="tanh")).frame.q.iloc[-1]
    assert at.markdown[0].value == repr(expected)
