"""The activation functions: the torch modules the networks use, their derivatives, and "saturated".

One place defines each activation, so the lab's saturation, the theory's expectations and the
derivative charts all agree. Closed-form derivatives are checked against autograd in the tests.
"""

from __future__ import annotations

import functools
import math

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

LEAKY_SLOPE = 0.01  # torch's default negative slope
ELU_ALPHA = 1.0
# A unit counts as saturated where its derivative is below this fraction of the activation's largest one.
SATURATION_FRACTION = 0.05


def make(name: str, *, slope: float = LEAKY_SLOPE, alpha: float = ELU_ALPHA) -> nn.Module:
    if name == "sigmoid":
        return nn.Sigmoid()
    if name == "tanh":
        return nn.Tanh()
    if name == "relu":
        return nn.ReLU()
    if name == "leaky_relu":
        return nn.LeakyReLU(slope)
    if name == "elu":
        return nn.ELU(alpha)
    if name == "gelu":
        return nn.GELU()
    if name == "silu":
        return nn.SiLU()
    if name == "linear":
        return nn.Identity()
    raise ValueError(f"activation: unknown {name!r}")


def derivative(name: str, z: torch.Tensor, *, slope: float = LEAKY_SLOPE, alpha: float = ELU_ALPHA) -> torch.Tensor:
    """f'(z) elementwise, closed form (cheap enough to run at every recorded step)."""
    if name == "sigmoid":
        s = torch.sigmoid(z)
        return s * (1 - s)
    if name == "tanh":
        return 1 - torch.tanh(z) ** 2
    if name == "relu":
        return (z > 0).to(z.dtype)
    if name == "leaky_relu":
        return torch.where(z > 0, torch.ones_like(z), torch.full_like(z, slope))
    if name == "elu":
        return torch.where(z > 0, torch.ones_like(z), alpha * torch.exp(z))
    if name == "gelu":  # d/dz z*Phi(z) = Phi(z) + z*phi(z)
        cdf = 0.5 * (1 + torch.erf(z / math.sqrt(2)))
        pdf = torch.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
        return cdf + z * pdf
    if name == "silu":
        s = torch.sigmoid(z)
        return s * (1 + z * (1 - s))
    if name == "linear":
        return torch.ones_like(z)
    raise ValueError(f"activation: unknown {name!r}")


# Largest |f'| of each activation (GELU's peak is at z = sqrt(2): 1.1289...; SiLU's: 1.0998...).
MAX_DERIVATIVE = {
    "sigmoid": 0.25,
    "tanh": 1.0,
    "relu": 1.0,
    "leaky_relu": 1.0,
    "elu": 1.0,
    "gelu": 0.5 * (1 + math.erf(1.0)) + math.sqrt(2) * math.exp(-1.0) / math.sqrt(2 * math.pi),
    "silu": 1.0998393194,
    "linear": 1.0,
}


def is_saturated(name: str, z: torch.Tensor) -> torch.Tensor:
    """The definition of "saturated": |f'(z)| below 5% of the activation's largest |f'|.

    For sigmoid/tanh that is the tails, for ReLU the zero side (dead), for ELU the far negative side.
    """
    return derivative(name, z).abs() < SATURATION_FRACTION * MAX_DERIVATIVE[name]


@functools.cache
def _flat_region(name: str) -> tuple[str, float]:
    """The same set as `is_saturated`, as a threshold on z where the derivative allows: a third of the
    elementwise work at every recorded step. Found by bisection on `derivative`, and tested against it.
    """
    limit = SATURATION_FRACTION * MAX_DERIVATIVE[name]
    if name == "linear":
        return ("none", 0.0)
    if name in ("relu", "leaky_relu"):
        return ("below", 0.0)  # f' is 1 above zero and at most 0.01 below it
    if name in ("sigmoid", "tanh", "elu"):  # |f'| falls monotonically away from the centre
        low, high = (0.0, 50.0) if name != "elu" else (-50.0, 0.0)
        for _ in range(80):
            mid = (low + high) / 2
            flat = bool(derivative(name, torch.tensor(mid, dtype=torch.float64)).abs() < limit)
            if name == "elu":
                low, high = (mid, high) if flat else (low, mid)
            else:
                low, high = (low, mid) if flat else (mid, high)
        return ("abs_above", high) if name != "elu" else ("below", low)
    return ("derivative", limit)  # GELU, SiLU: non-monotone derivatives


def saturated_fraction(name: str, z: torch.Tensor) -> torch.Tensor:
    """Fraction of saturated entries per slice of the first dimension (a stack of layers: one per layer)."""
    kind, threshold = _flat_region(name)
    if kind == "none":
        return torch.zeros(z.shape[0], dtype=z.dtype)
    # 1.0 where saturated, in as few passes over z as torch allows (this runs at every recorded step)
    if kind == "below":
        flat = torch.sub(z, threshold).clamp_(max=0).ne_(0)
    elif kind == "abs_above":
        flat = F.hardshrink(z, threshold).ne_(0)  # z where |z| > threshold, else 0
    else:
        flat = is_saturated(name, z).to(z.dtype)
    return flat.flatten(1).mean(dim=1)


def curves(
    name: str, xs: list[float] | torch.Tensor, *, slope: float = LEAKY_SLOPE, alpha: float = ELU_ALPHA
) -> pd.DataFrame:
    """f(x) and f'(x) from the real module, f' by autograd: the data for the activation charts."""
    x = torch.as_tensor(xs, dtype=torch.float64).clone().requires_grad_(True)
    y = make(name, slope=slope, alpha=alpha)(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    return pd.DataFrame({"x": x.detach().numpy(), "f": y.detach().numpy(), "df": grad.numpy(), "activation": name})
