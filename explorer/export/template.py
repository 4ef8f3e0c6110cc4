"""Vanishing and exploding gradients, measured layer by layer: one training run from the gradient explorer.

A deep MLP learns a 2-D, two-class toy problem. Forward hooks and retained gradients measure, at each
recorded step and for every layer l, the back-propagated signal ||dL/dz_l||, the weight gradient
||dL/dW_l||, the update ratio ||dW_l|| / ||W_l||, the activations' spread and the saturated fraction.

    python gradient_run.py                 # train and print a summary
    python gradient_run.py --csv out.csv   # and write the per-layer table (the app's columns)

With the app's torch build (2.13.0 CPU) on the same kind of CPU this reproduces the app's table to the last
bit: same seed, data, random draws, order of operations, one thread, subnormals flushed to zero. Elsewhere
the last bits of float rounding may differ and grow over many steps, most in deep or diverging runs:
expect close, not identical, numbers; which layers vanish or explode stays the same. Needs only torch,
numpy and the standard library.
"""

import argparse
import contextlib
import csv
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

MAX_RECORDED = 201  # the app's recorded steps (loss, accuracy): step 0, evenly spaced ones, and the last
MAX_LAYER_RECORDED = 31  # of those, every k-th is measured layer by layer (and the last): these rows
COLUMNS = ["step", "layer", "grad_norm", "signal_norm", "update_ratio", "act_std", "saturation"]

# %% Settings: the run (the explorer writes this block)
DEPTH = 10  # hidden layers
WIDTH = 64  # units per hidden layer
ACTIVATION = "sigmoid"
INIT = "lecun"  # weight init of the hidden layers
INIT_SCALE = 1.0  # multiplies the init's standard deviation
BIAS_STD = 0.0  # hidden biases start as N(0, BIAS_STD^2); at 0 they are zeros and nothing is drawn
NORM = "none"  # "batch", "layer" or "none", between the linear map and the activation
RESIDUAL = False  # identity skip around each hidden block of equal width
OPTIMIZER = "sgd"
LR = 0.1
STEPS = 300
BATCH_SIZE = 256
CLIP_NORM = None  # clip the global gradient norm to this, or None
WEIGHT_DECAY = 0.0
DATASET = "spirals"
SEED = 0
FREEZE_FIRST = 0  # the first hidden layers are not updated (their gradients are still measured)
# A unit is "saturated" where |f'(z)| is below 5% of the activation's largest slope: for this activation,
# where z is in the region below (its threshold on z is the app's, found by bisection on f', to the bit).
SATURATED = ("abs_above", 4.356544420601757)


# %% Reproducibility: one thread (a different count sums floats in a different order), and subnormal
# floats (below ~1.2e-38) flushed to zero, as the app does: a vanishing signal reaches them, and many CPUs
# compute on them ~100x slower
def configure_torch():
    torch.set_flush_denormal(True)
    torch.set_num_threads(1)
    with contextlib.suppress(RuntimeError):  # settable only once, before any inter-op work
        torch.set_num_interop_threads(1)


# %% Data: a 2-D, two-class toy problem drawn with numpy from the seed, standardised per coordinate
# (data part: template_data.py, kept apart; export_script writes it out in place of these lines)
try:  # run in place, as a script
    from template_data import N_SAMPLES, make_dataset  # noqa: F401
except ImportError:  # imported as a module of the explorer package
    from explorer.export.template_data import N_SAMPLES, make_dataset  # noqa: F401
# (end of the data part)


# %% Network: hidden blocks linear -> norm -> activation (+ identity skip), then two logits
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "elu": nn.ELU, "gelu": nn.GELU}
ACTIVATIONS.update(leaky_relu=lambda: nn.LeakyReLU(0.01), linear=nn.Identity)
NORMS = {"batch": nn.BatchNorm1d, "layer": nn.LayerNorm, "none": lambda width: nn.Identity()}


class Block(nn.Module):
    def __init__(self, fan_in, width):
        super().__init__()
        self.linear = nn.Linear(fan_in, width)
        self.norm = NORMS[NORM](width)
        self.act = ACTIVATIONS[ACTIVATION]()
        self.skip = RESIDUAL and fan_in == width

    def forward(self, h):
        out = self.act(self.norm(self.linear(h)))
        return h + out if self.skip else out


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        widths = [2] + [WIDTH] * DEPTH
        self.hidden = nn.ModuleList(Block(a, b) for a, b in zip(widths[:-1], widths[1:], strict=True))
        self.output = nn.Linear(WIDTH, 2)

    def forward(self, x):
        for block in self.hidden:
            x = block(x)
        return self.output(x)


def init_weight(weight, scheme, scale, generator):
    """Draw the weights from `generator`; the std of each scheme at scale 1 is in the comments."""
    fan_out, fan_in = weight.shape
    with torch.no_grad():
        if scheme == "orthogonal":  # singular values all equal to `scale`
            nn.init.orthogonal_(weight, gain=scale, generator=generator)
        elif scheme == "uniform":  # U[-1/sqrt(n), 1/sqrt(n)], Glorot & Bengio's "standard" init
            bound = scale / math.sqrt(fan_in)
            nn.init.uniform_(weight, -bound, bound, generator=generator)
        else:
            std = {
                "lecun": 1.0 / math.sqrt(fan_in),
                "xavier": math.sqrt(2.0 / (fan_in + fan_out)),
                "he": math.sqrt(2.0 / fan_in),  # keeps the variance through ReLU, which zeroes half
            }[scheme]
            nn.init.normal_(weight, 0.0, scale * std, generator=generator)


def build_model(generator):
    model = MLP()
    for block in model.hidden:
        init_weight(block.linear.weight, INIT, INIT_SCALE, generator)
        nn.init.zeros_(block.linear.bias)
    init_weight(model.output.weight, "lecun", 1.0, generator)  # the output layer is always LeCun x 1
    nn.init.zeros_(model.output.bias)
    if BIAS_STD > 0:  # a generator of its own, so the weights and batches stay those of the bias-free net
        biases = torch.Generator().manual_seed(SEED + 104_729)
        with torch.no_grad():
            for block in model.hidden:
                block.linear.bias.normal_(0.0, BIAS_STD, generator=biases)
    return model


# %% Measurement: hooks watch the network from outside; training never reads what they keep
def saturated_fraction(z):
    """Fraction of saturated units per layer of a (layers, batch, width) stack of pre-activations."""
    kind, threshold = SATURATED
    if kind == "none":  # a linear network never saturates
        return torch.zeros(z.shape[0], dtype=z.dtype)
    if kind == "below":  # ReLU family: the zero side; ELU: far on the negative side
        flat = (threshold - z).relu_().sign_()
    elif kind == "abs_above":  # sigmoid, tanh: both tails
        flat = (z.abs() - threshold).relu_().sign_()
    else:  # GELU: its slope is not monotone, so test the slope itself
        cdf = 0.5 * (1 + torch.erf(z / math.sqrt(2)))
        pdf = torch.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
        flat = ((cdf + z * pdf).abs() < threshold).to(z.dtype)
    return flat.flatten(1).mean(dim=1)


def spread(rows):
    """Population standard deviation of each row (two passes)."""
    centred = rows - rows.mean(dim=1, keepdim=True)
    return centred.pow(2).mean(dim=1).sqrt()


def norms(tensors):
    """The Frobenius norm of each tensor, its squares summed in float64: in float32 the squares of
    entries below ~1e-19 underflow, and a vanishing signal of ~1e-29 would read 0."""
    return [torch.linalg.vector_norm(t, dtype=torch.float64).item() for t in tensors]


class LayerProbe:
    """Keeps z_l (the activation's input) and h_l (its output) of each layer during a recorded forward
    pass; z_l.retain_grad() makes backward fill in dL/dz_l. The output layer's z and h are the logits."""

    def __init__(self, model):
        self.recording, self.z, self.h = False, [], []
        self.weights = [block.linear.weight for block in model.hidden] + [model.output.weight]
        for block in model.hidden:
            block.act.register_forward_hook(lambda module, inputs, output: self.keep(inputs[0], output))
        model.output.register_forward_hook(lambda module, inputs, logits: self.keep(logits, logits))

    def keep(self, z, h):
        if self.recording:
            if z.requires_grad:
                z.retain_grad()
            self.z.append(z)
            self.h.append(h)

    def start(self):
        self.recording, self.z, self.h = True, [], []

    def forward_stats(self):
        """act_std and saturation of each layer (the output layer has no saturation: NaN)."""
        with torch.no_grad():
            hidden_z, hidden_h = torch.stack(self.z[:-1]), torch.stack(self.h[:-1])
            act_std = spread(hidden_h.flatten(1)).tolist() + [spread(self.h[-1].reshape(1, -1)).item()]
            return act_std, saturated_fraction(hidden_z).tolist() + [math.nan]

    def backward_stats(self):
        """signal_norm = ||dL/dz_l|| and grad_norm = ||dL/dW_l|| of each layer, after backward()."""
        self.recording = False
        signals = [z.grad if z.grad is not None else torch.full((), math.nan) for z in self.z]
        return norms(signals), norms([w.grad for w in self.weights])

    def snapshot(self):
        return [w.detach().clone() for w in self.weights]

    def update_norms(self, before):
        with torch.no_grad():
            return norms([w.detach() - b for w, b in zip(self.weights, before, strict=True)])


# %% Training: plain minibatch training; at recorded steps, the probe measures
def record_schedule(steps):
    stride = max(1, math.ceil(steps / (MAX_RECORDED - 1)))
    schedule = list(range(0, steps + 1, stride))
    schedule = schedule if schedule[-1] == steps else schedule + [steps]
    every = max(1, math.ceil((len(schedule) - 1) / (MAX_LAYER_RECORDED - 1)))
    picked = schedule[::every]
    return picked if picked[-1] == steps else picked + [steps]


def make_optimizer(params):
    if OPTIMIZER == "adam":
        return torch.optim.Adam(params, lr=LR, weight_decay=WEIGHT_DECAY, foreach=True)
    momentum = 0.9 if OPTIMIZER == "momentum" else 0.0
    return torch.optim.SGD(params, lr=LR, momentum=momentum, weight_decay=WEIGHT_DECAY, foreach=True)


def train():
    """Rows of the per-layer table, and the first step whose loss or gradient was not finite (or None)."""
    configure_torch()
    generator = torch.Generator().manual_seed(SEED)  # the network's init, then the batches, in this order
    x, y = make_dataset(DATASET, SEED)
    model = build_model(generator)
    # every step's batch at once: a random permutation per row, cut to the batch size (no replacement)
    batches = torch.rand(STEPS + 1, len(y), generator=generator).argsort(dim=1)[:, :BATCH_SIZE]
    trained = model.hidden[FREEZE_FIRST:]
    params = [p for block in trained for p in block.parameters()] + list(model.output.parameters())
    optimizer = make_optimizer(params)
    probe = LayerProbe(model)
    schedule = set(record_schedule(STEPS))
    rows = []

    for step in range(STEPS + 1):  # step s measures the network after s updates
        record = step in schedule
        xb, yb = x[batches[step]], y[batches[step]]
        if record:
            probe.start()
        loss = F.cross_entropy(model(xb), yb)
        model.zero_grad(set_to_none=True)
        loss.backward()
        if CLIP_NORM is not None:  # rescale all gradients together when their global norm exceeds CLIP_NORM
            total = torch.nn.utils.clip_grad_norm_(params, CLIP_NORM).item()
        else:
            total = torch.nn.utils.get_total_norm([p.grad for p in params]).item()
        if not (math.isfinite(loss.item()) and math.isfinite(total)):
            return rows, step  # diverged: nothing finite left to measure

        if record:
            act_std, saturation = probe.forward_stats()
            signal_norm, grad_norm = probe.backward_stats()
            weight_norm = norms([w.detach() for w in probe.weights])
            if step % max(1, STEPS // 10) == 0 or step == STEPS:
                print(f"step {step:5d}  loss {loss.item():.4f}  ||dL/dz_1|| {signal_norm[0]:.3e}")
        if step < STEPS:
            before = probe.snapshot() if record else None
            optimizer.step()
            update_ratio = (np.array(probe.update_norms(before)) / weight_norm).tolist() if record else None
        else:
            update_ratio = [math.nan] * (DEPTH + 1)
        if record:
            for layer in range(DEPTH + 1):
                row = (grad_norm, signal_norm, update_ratio, act_std, saturation)
                rows.append([step, layer + 1] + [column[layer] for column in row])
    return rows, None


# %% Results: the per-layer table, with the columns of the app's CSV
def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows([row[:2] + [repr(float(v)) for v in row[2:]] for row in rows])


# %% Run it
def main():
    parser = argparse.ArgumentParser(description="Train one network and measure its gradients layer by layer.")
    parser.add_argument("--csv", help="write the per-layer table to this CSV file")
    args = parser.parse_args()
    rows, diverged_at = train()
    if diverged_at is not None:
        print(f"diverged at step {diverged_at}: the loss or the gradient norm overflowed to inf/nan")
    if args.csv:
        write_csv(args.csv, rows)


if __name__ == "__main__":
    main()
