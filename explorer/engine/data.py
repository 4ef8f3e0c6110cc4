"""Deterministic 2-D, two-class datasets (2-D so the app can draw the decision boundary).

Each is generated from the seed alone with numpy and standardised to zero mean, unit variance per
coordinate, so every dataset feeds the first layer inputs of the same scale.
"""

from __future__ import annotations

import numpy as np

from explorer.engine.config import DATASETS, N_SAMPLES


def make_dataset(name: str, seed: int, n: int = N_SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """Points (n, 2) float32 and labels (n,) int64, half of each class."""
    if name not in DATASETS:
        raise ValueError(f"dataset: must be one of {', '.join(DATASETS)}; got {name!r}")
    rng = np.random.default_rng([seed, 7919])  # a stream of its own, apart from the model's init
    labels = np.arange(n) % 2
    points = _GENERATORS[name](rng, labels)
    points = (points - points.mean(axis=0)) / points.std(axis=0)
    return points.astype(np.float32), labels.astype(np.int64)


def _spirals(rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
    radius = rng.uniform(0.05, 1.0, labels.size)
    angle = 3.0 * np.pi * radius + np.pi * labels  # two arms, half a turn apart
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return points + rng.normal(0.0, 0.03, points.shape)


def _moons(rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
    angle = rng.uniform(0.0, np.pi, labels.size)
    upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    lower = np.stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
    points = np.where(labels[:, None] == 0, upper, lower)
    return points + rng.normal(0.0, 0.1, points.shape)


def _circles(rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
    angle = rng.uniform(0.0, 2 * np.pi, labels.size)
    radius = np.where(labels == 0, 1.0, 0.45) + rng.normal(0.0, 0.08, labels.size)
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def _xor(rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
    points = rng.uniform(-1.0, 1.0, (labels.size, 2))
    # keep a small margin around the axes; the label is the sign of x*y
    points = np.sign(points) * (0.05 + np.abs(points))
    signs = np.where(labels == 0, 1.0, -1.0)
    points[:, 1] = np.abs(points[:, 1]) * np.sign(points[:, 0]) * signs
    return points


def _gaussians(rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
    centres = np.where(labels[:, None] == 0, [-1.0, -0.5], [1.0, 0.5])
    return centres + rng.normal(0.0, 0.7, (labels.size, 2))


_GENERATORS = {
    "spirals": _spirals,
    "moons": _moons,
    "circles": _circles,
    "xor": _xor,
    "gaussians": _gaussians,
}
