"""Flush-to-zero in every thread that runs a network, and norms that read 0 only when their entries do.

Oracles: float64 arithmetic (the product of two float32 numbers whose product is subnormal in float32) and
autograd on the same network rebuilt in float64.
"""

import threading

import numpy as np
import torch
import torch.nn.functional as F

from explorer import RunConfig, run
from explorer.engine import measures, runtime
from explorer.engine.instruments import norms
from explorer.engine.train import setup
from tests import oracles

SMALLEST_NORMAL = torch.finfo(torch.float32).tiny  # ~1.18e-38


def _in_thread(func):
    box = []
    thread = threading.Thread(target=lambda: box.append(func()))
    thread.start()
    thread.join()
    return box[0]


def _subnormal_product() -> float:
    """1e-30 * 1e-10 in float32: 1e-40 is below the normal range (float64 says so), a subnormal or 0."""
    return (torch.tensor([1e-30]) * torch.tensor([1e-10])).item()


def test_configure_threads_flushes_subnormals_in_a_new_thread():
    assert 0 < 1e-30 * 1e-10 < SMALLEST_NORMAL  # the float64 oracle: the exact product is subnormal in float32

    def unconfigured():
        torch.set_flush_denormal(False)  # a thread inherits its creator's state: start from "off"
        return _subnormal_product()

    def configured():
        torch.set_flush_denormal(False)
        runtime.configure_threads()
        return _subnormal_product()

    assert _in_thread(unconfigured) > 0  # kept as a subnormal without flush-to-zero
    assert _in_thread(configured) == 0.0


def test_norms_sum_squares_in_float64():
    tiny = torch.full((64, 32), 6e-29)  # normal float32 entries whose squares underflow float32
    assert torch.linalg.vector_norm(tiny).item() == 0.0  # what a float32 sum of squares reads
    expected = np.linalg.norm(tiny.numpy().astype(np.float64))
    assert expected > 0
    np.testing.assert_allclose(norms([tiny, torch.zeros(3)]), [expected, 0.0], rtol=1e-6)


def _float64_signal_norms(config: RunConfig) -> list[float]:
    """||dL/dz_l|| of step 0 by autograd, on the same network and batch in float64."""
    x, y, model, batches, _, _ = setup(config)
    model = model.double()
    xb, yb = x[batches[0]].double(), y[batches[0]]
    zs, logits = oracles.forward_by_hand(model, xb)
    grads = torch.autograd.grad(F.cross_entropy(logits, yb), zs)
    return [g.norm().item() for g in grads]


def test_deep_sigmoid_signal_is_recorded_down_to_layer_one():
    """Depth 40 sigmoid: layer 1's error is ~1e-27, far below what a float32 sum of squares can hold."""
    config = RunConfig(depth=40, width=64, activation="sigmoid", steps=0)
    recorded = run(config).layers.set_index("layer").signal_norm
    expected = _float64_signal_norms(config)
    assert 0 < expected[0] < 1e-19  # its squares underflow float32 (below ~1e-38)
    np.testing.assert_allclose(recorded, expected, rtol=1e-3)  # float32 forward/backward vs float64


def test_per_layer_factor_stays_defined_where_float32_squares_underflow():
    result = run(RunConfig(depth=30, width=64, activation="sigmoid", steps=0))
    factor = measures.per_layer_factor(result.layers, 0)
    assert 0 < factor < 0.5  # a measured vanishing factor, not NaN


def test_an_underflowed_layer_one_is_reported_with_the_span_still_measured():
    """Depth 64 sigmoid: layer 1's error is below float32's range (0), higher layers are not."""
    layers = run(RunConfig(depth=64, width=64, activation="sigmoid", steps=0)).layers
    hidden = layers[layers.layer <= 64].set_index("layer").signal_norm
    assert hidden.loc[1] == 0 and hidden.loc[64] > 0
    lowest, factor = measures.underflow_span(layers, 0)
    assert hidden.loc[lowest] > 0 and hidden.loc[lowest - 1] == 0  # the boundary of what is representable
    np.testing.assert_allclose(factor ** (64 - lowest), hidden.loc[lowest] / hidden.loc[64], rtol=1e-9)
    assert measures.underflow_span(run(RunConfig(depth=30, activation="sigmoid", steps=0)).layers, 0) is None
