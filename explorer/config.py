"""RunConfig: the frozen description of one training run, its validation, and its URL form.

A RunConfig is the cache key of a run, so everything that changes the numbers lives here and nothing
mutates it. `from_query` is the one door for untrusted strings (a URL): it never raises.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "linear")
INITS = ("lecun", "xavier", "he", "orthogonal", "uniform")
NORMS = ("none", "batch", "layer")
OPTIMIZERS = ("sgd", "momentum", "adam")
DATASETS = ("spirals", "moons", "circles", "xor", "gaussians")

# Every dataset has this many points; a batch is drawn from them.
N_SAMPLES = 1024

# Public-demo bound on one run's work: depth x width^2 x steps x batch multiply-adds ~ proportional.
# The largest allowed config (64 x 256 x 2000 x 1024) is far beyond it; see `work_units`.
MAX_WORK_UNITS = 2.0e12


@dataclass(frozen=True)
class RunConfig:
    depth: int = 10
    width: int = 64
    activation: str = "sigmoid"
    init: str = "lecun"
    init_scale: float = 1.0
    norm: str = "none"
    residual: bool = False
    optimizer: str = "sgd"
    lr: float = 0.5
    steps: int = 300
    batch_size: int = 256
    clip_norm: float | None = None
    weight_decay: float = 0.0
    dataset: str = "spirals"
    seed: int = 0
    freeze_first: int = 0

    def __post_init__(self) -> None:
        for f in fields(self):
            _RULES[f.name].check(f.name, getattr(self, f.name))
        if self.freeze_first > self.depth:
            raise ValueError(f"freeze_first: must be at most depth ({self.depth}), got {self.freeze_first}")

    def replace(self, **changes: Any) -> RunConfig:
        return dataclasses.replace(self, **changes)

    def to_query(self) -> dict[str, str]:
        """Every field as a string, in a form `from_query` reads back to an equal config."""
        return {f.name: _RULES[f.name].format(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> tuple[RunConfig, list[str]]:
        """Parse untrusted strings. Never raises: each bad field falls back to its default, with a note."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):
            if f.name not in query:
                continue
            raw = query[f.name]
            if isinstance(raw, (list, tuple)):  # a repeated URL parameter: the last one wins
                raw = raw[-1] if raw else ""
            try:
                value = _RULES[f.name].parse(str(raw))
                _RULES[f.name].check(f.name, value)
            except (ValueError, TypeError, OverflowError) as err:
                problems.append(f"{_shorten(f.name)}={_shorten(str(raw))!r} ignored: {_reason(err, f.name)}")
                continue
            values[f.name] = value
        try:
            return cls(**values), problems
        except ValueError as err:  # a cross-field rule (freeze_first <= depth): drop the dependent field
            values.pop("freeze_first", None)
            problems.append(f"freeze_first ignored: {_reason(err, 'freeze_first')}")
            return cls(**values), problems

    def work_units(self) -> float:
        """Multiply-adds of a run, roughly: what bounds its time on a shared demo."""
        per_step = self.batch_size * (2 * self.width + self.depth * self.width**2 + 2 * self.width)
        return 3.0 * per_step * max(self.steps, 1)

    def bound_problem(self) -> str | None:
        """Why this config is too large for a shared demo, or None when it is within the bound."""
        if self.work_units() <= MAX_WORK_UNITS:
            return None
        return (
            f"This run needs about {self.work_units():.1e} multiply-adds; the demo allows {MAX_WORK_UNITS:.0e}. "
            "Reduce depth, width, steps or batch size."
        )


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _reason(err: Exception, name: str) -> str:
    message = str(err)
    prefix = f"{name}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


@dataclass(frozen=True)
class _Int:
    low: int
    high: int

    def check(self, name: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name}: must be a whole number from {self.low} to {self.high}, got {value!r}")
        if not self.low <= value <= self.high:
            raise ValueError(f"{name}: must be from {self.low} to {self.high}, got {value}")

    def parse(self, text: str) -> int:
        text = text.strip()
        if len(text) > 12:
            raise ValueError(f"must be a whole number from {self.low} to {self.high}")
        try:
            return int(text)
        except ValueError:
            number = float(text)  # accept "10.0", reject "10.5"
            if not number.is_integer():
                raise ValueError(f"must be a whole number from {self.low} to {self.high}") from None
            return int(number)

    def format(self, value: int) -> str:
        return str(value)


@dataclass(frozen=True)
class _Float:
    low: float
    high: float
    low_inclusive: bool = True
    optional: bool = False  # None allowed ("off")

    def describe(self) -> str:
        bracket = "[" if self.low_inclusive else "("
        text = f"a number in {bracket}{self.low:g}, {self.high:g}]"
        return text + " or 'off'" if self.optional else text

    def check(self, name: str, value: Any) -> None:
        if value is None and self.optional:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{name}: must be {self.describe()}, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name}: must be {self.describe()}, got {value}")
        above_low = value >= self.low if self.low_inclusive else value > self.low
        if not (above_low and value <= self.high):
            raise ValueError(f"{name}: must be {self.describe()}, got {value:g}")

    def parse(self, text: str) -> float | None:
        text = text.strip()
        if self.optional and text.lower() in ("", "none", "off", "null"):
            return None
        if len(text) > 32:
            raise ValueError(f"must be {self.describe()}")
        return float(text)

    def format(self, value: float | None) -> str:
        return "off" if value is None else repr(float(value))


@dataclass(frozen=True)
class _Choice:
    options: tuple[str, ...]

    def check(self, name: str, value: Any) -> None:
        if value not in self.options:
            raise ValueError(f"{name}: must be one of {', '.join(self.options)}; got {value!r}")

    def parse(self, text: str) -> str:
        return text.strip().lower()

    def format(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class _Bool:
    def check(self, name: str, value: Any) -> None:
        if not isinstance(value, bool):
            raise ValueError(f"{name}: must be true or false, got {value!r}")

    def parse(self, text: str) -> bool:
        lowered = text.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ValueError("must be true or false")

    def format(self, value: bool) -> str:
        return "true" if value else "false"


_RULES: dict[str, Any] = {
    "depth": _Int(1, 64),
    "width": _Int(2, 256),
    "activation": _Choice(ACTIVATIONS),
    "init": _Choice(INITS),
    "init_scale": _Float(0.05, 8.0),
    "norm": _Choice(NORMS),
    "residual": _Bool(),
    "optimizer": _Choice(OPTIMIZERS),
    "lr": _Float(0.0, 10.0, low_inclusive=False),
    "steps": _Int(0, 2000),
    "batch_size": _Int(8, N_SAMPLES),
    "clip_norm": _Float(0.0, 1e6, low_inclusive=False, optional=True),
    "weight_decay": _Float(0.0, 1.0),
    "dataset": _Choice(DATASETS),
    "seed": _Int(0, 2**31 - 1),
    "freeze_first": _Int(0, 64),
}
