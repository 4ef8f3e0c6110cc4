"""The data part of the exported script (template.py): export_script writes everything below the marker
into the script's "Data" cell, so the script stands alone; template.py imports it when run in place."""

import numpy as np
import torch

# --- written out into the script from here ---
N_SAMPLES = 1024


def make_dataset(name, seed, n=N_SAMPLES):
    rng = np.random.default_rng([seed, 7919])  # a stream of its own, apart from the network's init
    labels = np.arange(n) % 2
    if name == "spirals":  # two arms, half a turn apart
        radius = rng.uniform(0.05, 1.0, n)
        angle = 3.0 * np.pi * radius + np.pi * labels
        points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
        points = points + rng.normal(0.0, 0.03, points.shape)
    elif name == "moons":
        angle = rng.uniform(0.0, np.pi, n)
        upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
        lower = np.stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
        points = np.where(labels[:, None] == 0, upper, lower) + rng.normal(0.0, 0.1, (n, 2))
    elif name == "circles":
        angle = rng.uniform(0.0, 2 * np.pi, n)
        radius = np.where(labels == 0, 1.0, 0.45) + rng.normal(0.0, 0.08, n)
        points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    elif name == "xor":  # the label is the sign of x*y, with a margin around the axes
        points = rng.uniform(-1.0, 1.0, (n, 2))
        points = np.sign(points) * (0.05 + np.abs(points))
        signs = np.where(labels == 0, 1.0, -1.0)
        points[:, 1] = np.abs(points[:, 1]) * np.sign(points[:, 0]) * signs
    elif name == "gaussians":
        centres = np.where(labels[:, None] == 0, [-1.0, -0.5], [1.0, 0.5])
        points = centres + rng.normal(0.0, 0.7, (n, 2))
    else:
        raise ValueError(f"unknown dataset {name!r}")
    points = (points - points.mean(axis=0)) / points.std(axis=0)
    return torch.from_numpy(points.astype(np.float32)), torch.from_numpy(labels.astype(np.int64))
