"""Field rules for frozen config dataclasses: validation with messages that name the field, and the URL
form (str -> value and back). Any config built on these gets a `from_query` that never raises.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


def validate(config: Any, rules: Mapping[str, Any]) -> None:
    """Raise ValueError "field: what is allowed, got what" for the first field out of its rule."""
    for f in fields(config):
        rules[f.name].check(f.name, getattr(config, f.name))


def to_query(config: Any, rules: Mapping[str, Any]) -> dict[str, str]:
    return {f.name: rules[f.name].format(getattr(config, f.name)) for f in fields(config)}


class Problem(str):
    """A human-readable note on an ignored URL parameter (the str), with its parts for translation:
    `field`, the offending `value` (shortened) and `allowed`, a language-neutral range or list."""

    field: str
    value: str
    allowed: str

    def __new__(cls, field: str, raw: str, reason_text: str, allowed: str) -> Problem:
        note = super().__new__(cls, f"{field}={shorten(raw)!r} ignored: {reason_text}")
        note.field, note.value, note.allowed = field, shorten(raw).replace("`", "'"), allowed
        return note


def parse_query(cls: type, rules: Mapping[str, Any], query: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The fields of `cls` found in `query` that parse and pass their rule, and a note for each that didn't."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for f in fields(cls):
        if f.name not in query:
            continue
        raw = query[f.name]
        if isinstance(raw, list | tuple):  # a repeated URL parameter: the last one wins
            raw = raw[-1] if raw else ""
        try:
            value = rules[f.name].parse(str(raw))
            rules[f.name].check(f.name, value)
        except (ValueError, TypeError, OverflowError) as err:
            problems.append(Problem(f.name, str(raw), reason(err, f.name), rules[f.name].allowed()))
            continue
        values[f.name] = value
    return values, problems


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def reason(err: Exception, name: str) -> str:
    message = str(err)
    prefix = f"{name}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


@dataclass(frozen=True)
class Int:
    low: int
    high: int

    def check(self, name: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name}: must be a whole number from {self.low} to {self.high}, got {value!r}")
        if not self.low <= value <= self.high:
            raise ValueError(f"{name}: must be from {self.low} to {self.high}, got {value}")

    def allowed(self) -> str:
        return f"{self.low} … {self.high}"

    def parse(self, text: str) -> int:
        text = text.strip()
        if len(text) > 12:
            raise ValueError(f"must be a whole number from {self.low} to {self.high}")
        message = f"must be a whole number from {self.low} to {self.high}"
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)  # accept "10.0", reject "10.5"
            except ValueError:
                raise ValueError(message) from None
            if not number.is_integer():
                raise ValueError(message) from None
            return int(number)

    def format(self, value: int) -> str:
        return str(value)


@dataclass(frozen=True)
class Float:
    low: float
    high: float
    low_inclusive: bool = True
    optional: bool = False  # None allowed ("off")

    def allowed(self) -> str:
        bracket = "[" if self.low_inclusive else "("
        return f"{bracket}{self.low:g}, {self.high:g}]" + (" | off" if self.optional else "")

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
        try:
            if len(text) > 32:
                raise ValueError
            return float(text)
        except ValueError:
            raise ValueError(f"must be {self.describe()}") from None

    def format(self, value: float | None) -> str:
        return "off" if value is None else repr(float(value))


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]

    def allowed(self) -> str:
        return ", ".join(self.options)

    def check(self, name: str, value: Any) -> None:
        if value not in self.options:
            raise ValueError(f"{name}: must be one of {', '.join(self.options)}; got {value!r}")

    def parse(self, text: str) -> str:
        return text.strip().lower()

    def format(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class Bool:
    def allowed(self) -> str:
        return "true, false"

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
