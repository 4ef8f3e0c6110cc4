"""The probe's shortcuts give the numbers of the plain definitions, bit for bit: the traced forward pass is
model(x), the stacked float64 norms are each tensor's own norm, and histogram bins stay in their layer."""

import math

import pytest
import torch
import torch.nn.functional as F

from explorer import RunConfig
from explorer.engine import histograms
from explorer.engine.instruments import NORM_DTYPE, LayerProbe, norms
from explorer.engine.train import make_optimizer, setup
from tests import oracles

NETS = [
    RunConfig(depth=3, width=8, batch_size=16),
    RunConfig(depth=3, width=8, batch_size=16, activation="linear", residual=True),
    RunConfig(depth=4, width=2, batch_size=16, norm="batch"),  # width 2: every weight has 4 entries
    RunConfig(depth=1, width=5, batch_size=16, norm="layer", activation="gelu"),
]


@pytest.mark.parametrize("config", NETS, ids=lambda c: f"{c.activation}-{c.norm}-{c.depth}x{c.width}")
def test_traced_forward_is_the_model_forward_bit_for_bit(config):
    x, _, model, batches, _, _ = setup(config)
    xb = x[batches[0]]
    model.eval()  # BatchNorm in eval mode: both passes read the same running statistics
    logits, zs, outs = model.traced(xb)
    assert torch.equal(logits, model(xb))
    by_hand, _ = oracles.forward_by_hand(model, xb)
    assert all(torch.equal(a, b) for a, b in zip(zs, by_hand[:-1], strict=True))
    assert all(torch.equal(out, block.act(z)) for out, z, block in zip(outs, zs, model.hidden, strict=True))


def _one_recorded_step(config):
    x, y, model, batches, params, optimizer = setup(config)
    probe = LayerProbe(model, config.activation)
    xb, yb = x[batches[0]], y[batches[0]]
    F.cross_entropy(probe.forward(xb), yb).backward()
    before = [w.detach().clone() for w in probe.weights]
    probe.snapshot_weights()
    optimizer.step()
    return probe, before


def _float64_norm(t):
    return torch.linalg.vector_norm(t, dtype=NORM_DTYPE).item()


@pytest.mark.parametrize("config", NETS, ids=lambda c: f"{c.activation}-{c.norm}-{c.depth}x{c.width}")
def test_stacked_norms_are_each_tensors_own_float64_norm(config):
    probe, before = _one_recorded_step(config)
    n = config.depth + 1
    got = probe.norms().view(4, n)
    want = [
        [_float64_norm(z.grad) for z in probe.z],
        [_float64_norm(w.grad) for w in probe.weights],
        [_float64_norm(b) for b in before],
        [_float64_norm(w.detach() - b) for w, b in zip(probe.weights, before, strict=True)],
    ]
    assert got.tolist() == want  # exact: a row of a stack is reduced as the tensor alone
    assert all(v > 0 for v in want[3])  # the update was applied and measured


def test_norms_of_mixed_sizes_keep_their_order():
    tensors = [torch.full((3,), 2.0), torch.full((2, 2), 1.0), torch.full((3,), 1e-30), torch.zeros(4)]
    assert norms(tensors) == [math.sqrt(12.0), 2.0, pytest.approx(math.sqrt(3) * 1e-30, rel=1e-6), 0.0]


def test_optimizers_leave_the_gradients_the_norms_read_after_the_step():
    for optimizer in ("sgd", "momentum", "adam"):
        config = RunConfig(depth=2, width=4, batch_size=8, optimizer=optimizer, weight_decay=0.1)
        x, y, model, batches, params, _ = setup(config)
        F.cross_entropy(model(x[batches[0]]), y[batches[0]]).backward()
        grads = [p.grad.clone() for p in params]
        make_optimizer(config, params).step()
        assert all(torch.equal(p.grad, g) for p, g in zip(params, grads, strict=True)), optimizer


def test_a_bin_index_never_spills_into_the_next_layer():
    """Just below the top edge in every one of 64 layers: each count lands in its own layer's last bin (in
    float32, 31.99999 + 63 * 32 would round up to the next layer's first bin)."""
    below_top = torch.nextafter(torch.tensor(6.0), torch.tensor(0.0))
    values = below_top.expand(64, 5).clone()
    for offsets in (histograms.row_offsets(64, histograms.N_BINS), histograms.layer_offsets([5] * 64, 32)):
        flat = values if offsets.dim() == 2 else values.flatten()
        table = histograms.counts(flat, offsets, 64, "z", "tanh")
        assert (table[:, -1] == 5).all() and table.sum() == 64 * 5
