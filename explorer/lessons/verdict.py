"""What a lesson's verdict functions return: sentences as catalogue keys with their measured numbers, so the
verdict logic is pure and unit-tested, and the page only translates and lays them out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sentence:
    key: str  # a catalogue key, e.g. "shallow.verdict_overlap"
    values: dict[str, Any] = field(default_factory=dict)  # the numbers (or nested keys) it is formatted with
    kind: str = "markdown"  # how the page shows it: markdown, caption, info, warning, error, success


def short(value: float) -> str:
    """Three significant digits, or — when there is no number (an overflow, nothing recorded)."""
    return f"{value:.3g}" if math.isfinite(value) else "—"


def formatted(spec: str, **values: float) -> dict[str, str]:
    """Each value with one format spec (".1e", ".0%", ...): the numbers a sentence quotes, side by side."""
    return {name: format(value, spec) for name, value in values.items()}


def apart(value: float, spec: str, mark: float = 1.0) -> str:
    """`value` in format `spec` (".3e", ".3g", ".0%"), with more digits when that would print a number that
    is not `mark` as `mark` (a ratio of 1.01 is not "1.0e+00 times larger"; 89.8% is not "90%, below 90%")."""
    kind, digits = spec[-1], int(spec[1:-1])

    def shown(digits: int) -> str:
        return format(value, f".{digits}{kind}")

    def read(text: str) -> float:
        return float(text[:-1]) / 100 if kind == "%" else float(text)

    text = shown(digits)
    while math.isfinite(value) and value != mark and read(text) == read(format(mark, spec)) and digits < 17:
        digits += 1
        text = shown(digits)
    return text
