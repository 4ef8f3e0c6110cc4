"""A board of pinned runs: up to 8 lab configurations, each with a label, kept in one URL parameter.

`pins` holds the pins separated by `|`; a pin is its label (percent-encoded, so any character is safe)
then `~` then its non-default RunConfig fields as `name:value` separated by `,` (the values as
RunConfig.to_query writes them). The default config is an empty field list:
    pins=relu%20He~activation:relu,init:he|~depth:30
Parsing never raises: a malformed pin is dropped, a bad field falls back to its default, a pin beyond
the eighth is refused, each with a Problem naming it (`pins`, `pins 2: depth`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import pandas as pd

from explorer.engine import measures, query
from explorer.engine.config import RunConfig

MAX_PINS = 8
MAX_LABEL = 40
_PIN, _LABEL, _FIELD, _VALUE = "|", "~", ",", ":"
_DEFAULTS = RunConfig().to_query()
Describe = Callable[[str, str], str]  # (field, value as in the URL) -> the words a reader sees


def plain(name: str, value: str) -> str:
    """A setting as the URL names it: "depth 30"."""
    return f"{name} {value}"


@dataclass(frozen=True)
class Pin:
    config: RunConfig
    label: str = ""

    def encode(self) -> str:
        own = self.config.to_query()
        changed = _FIELD.join(f"{name}{_VALUE}{value}" for name, value in own.items() if value != _DEFAULTS[name])
        return f"{quote(self.label, safe='').replace(_LABEL, '%7E')}{_LABEL}{changed}"

    def changes(self) -> list[tuple[str, str]]:
        """(field, value) of each setting that differs from the lab's defaults, in RunConfig's order, the
        values as RunConfig.to_query writes them."""
        return [(name, value) for name, value in self.config.to_query().items() if value != _DEFAULTS[name]]

    def summary(self, default: str = "default", describe: Describe = plain, separator: str = ", ") -> str:
        """The non-default settings, for a pin without a label; `default` for the default config. The page
        passes `describe` and the separator in the reader's language ("depth 30, ReLU" / "深度 30，ReLU");
        without them, the URL's own names ("depth 30, activation relu")."""
        return separator.join(describe(name, value) for name, value in self.changes()) or default


@dataclass(frozen=True)
class Board:
    pins: tuple[Pin, ...] = ()

    def to_query(self) -> dict[str, str]:
        return {"pins": _PIN.join(pin.encode() for pin in self.pins)}

    @classmethod
    def from_query(cls, raw_query: dict[str, Any]) -> tuple[Board, list[query.Problem]]:
        """Parse untrusted text. Never raises."""
        raw = raw_query.get("pins", "")
        raw = (raw[-1] if raw else "") if isinstance(raw, list | tuple) else str(raw)
        problems: list[query.Problem] = []
        pins: list[Pin] = []
        parts = [part for part in raw.split(_PIN) if part.strip()]
        for number, part in enumerate(parts, start=1):
            if len(pins) == MAX_PINS:
                problems.append(query.Problem("pins", part, f"at most {MAX_PINS} pins", f"≤ {MAX_PINS} pins"))
                continue
            pin = _parse_pin(part, number, problems)
            if pin is not None:
                pins.append(pin)
        return cls(tuple(pins)), problems

    def with_pin(self, pin: Pin) -> Board | None:
        """This board with `pin` added, or None when it is full."""
        return None if len(self.pins) >= MAX_PINS else Board((*self.pins, pin))

    def without(self, index: int) -> Board:
        return Board(self.pins[:index] + self.pins[index + 1 :])

    def relabelled(self, index: int, label: str) -> Board:
        pins = list(self.pins)
        pins[index] = Pin(pins[index].config, clean_label(label))
        return Board(tuple(pins))

    def names(self, default: str = "default", describe: Describe = plain, separator: str = ", ") -> list[str]:
        """Each pin's name on the charts and in the table: its number and its label (or its settings, as
        `summary` words them)."""
        texts = [pin.label or pin.summary(default, describe, separator) for pin in self.pins]
        short = [text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…" for text in texts]
        return [f"{i}. {text}" for i, text in enumerate(short, start=1)]

    def estimated_seconds(self) -> float:
        return sum(pin.config.estimated_seconds() for pin in self.pins)


def clean_label(text: str) -> str:
    """A label as the board keeps it: one line, at most MAX_LABEL characters."""
    return " ".join(str(text).split())[:MAX_LABEL]


def _parse_pin(part: str, number: int, problems: list[query.Problem]) -> Pin | None:
    where = f"pins {number}"
    if _LABEL not in part:
        problems.append(query.Problem(where, part, "no '~' between label and fields", "label~name:value,…"))
        return None
    label_text, _, field_text = part.partition(_LABEL)
    values: dict[str, str] = {}
    for item in filter(None, field_text.split(_FIELD)):
        name, sep, value = item.partition(_VALUE)
        if not sep or name not in _DEFAULTS:
            allowed = ", ".join(_DEFAULTS)
            problems.append(query.Problem(f"{where}: {name[:20]}", item, "not a run setting", allowed))
            continue
        values[name] = value
    config, found = RunConfig.from_query(values)
    problems += [query.Problem(f"{where}: {p.field}", p.value, "", p.allowed) for p in found]
    return Pin(config, clean_label(unquote(label_text)))


def figures(pin_name: str, result: Any) -> dict[str, Any]:
    """One pin's key figures, read off its run's records (measures.py's definitions)."""
    layers, steps = result.layers, result.steps
    ratio = measures.signal_ratio(layers, 0) if not layers.empty else float("nan")
    return {
        "pin": pin_name,
        "signal_ratio": ratio,
        "kind": measures.flow_kind(ratio),
        "final_loss": float(steps.loss.iloc[-1]) if not steps.empty else float("nan"),
        "accuracy": float(steps.accuracy.iloc[-1]) if not steps.empty else float("nan"),
        "diverged_at": result.diverged_at,
    }


def tidy(names: list[str], results: list[Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """All pins' layers, steps and mean update ratio per layer (measures.mean_update_ratio), with a `pin` column."""
    layers = pd.concat([r.layers.assign(pin=n) for n, r in zip(names, results, strict=True)], ignore_index=True)
    steps = pd.concat([r.steps.assign(pin=n) for n, r in zip(names, results, strict=True)], ignore_index=True)
    updates = [
        measures.mean_update_ratio(r.layers).rename("update_ratio").reset_index().assign(pin=n)
        for n, r in zip(names, results, strict=True)
    ]
    return layers, steps, pd.concat(updates, ignore_index=True)
