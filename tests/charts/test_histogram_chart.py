"""The ridgeline chart: the rows it draws come from the run's histograms, the theory curve only at step 0."""

import altair as alt
import numpy as np

from explorer import RunConfig, i18n, run
from explorer.charts.histograms import ridgeline_data, ridgelines, shown_layers
from explorer.engine import histograms
from explorer.engine.theory import predict_signal

t = i18n.translator("en")


def test_ridgeline_rows_and_the_normal_overlay():
    config = RunConfig(depth=12, width=32, batch_size=64, steps=20)
    result = run(config)
    q = predict_signal(config).frame.set_index("layer").q
    data = ridgeline_data(result.histograms, q, config.activation)
    assert sorted(data.layer.unique()) == shown_layers(12) and len(shown_layers(12)) == 8
    assert data.step_index.max() == 20
    predicted = data[data.source == "predicted"]
    assert set(predicted.step) == {0} and set(predicted.quantity) == {"z"}
    # the overlay is N(0, q_l)'s expected counts: they add up to the entries measured (edge bins take tails)
    expected = histograms.expected_normal(histograms.edges("z", "sigmoid"), float(q.loc[1]), 64 * 32)
    assert np.isclose(expected.sum(), 64 * 32)
    # drawn where the bell is (at least 1% of its peak), not as a flat line along the row over the tails
    bounds = histograms.edges("z", "sigmoid")
    centres = ((bounds[:-1] + bounds[1:]) / 2).astype(np.float32)
    drawn = np.sort(predicted[predicted.layer == 1].x.to_numpy())
    assert np.array_equal(drawn, centres[expected >= 0.01 * expected.max()])
    assert 0 < len(drawn) < len(centres) and drawn.min() < 0 < drawn.max()
    with alt.data_transformers.disable_max_rows():
        spec = ridgelines(result.histograms, q, config.activation, t).to_dict()
    assert spec["params"][0]["bind"]["max"] == 20 and len(spec["vconcat"]) == 2
