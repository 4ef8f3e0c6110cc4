"""The lab where layer 1's signal is below float32's range: a true sentence and no "nan" on the page."""

from tests.app.helpers import metrics, open_page, t, text_of


def test_a_signal_below_float32s_range_is_named_not_shown_as_nan():
    at = open_page("pages/lab.py", {"depth": "64", "width": "64", "activation": "sigmoid", "steps": "0"})
    assert not at.exception
    shown = text_of(at)
    assert "below float32's range" in shown and "nan" not in shown.lower()
    assert metrics(at)[t("lab.metric_factor")] == "—"
