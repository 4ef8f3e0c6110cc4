"""URL-backed configs: field rules (`Int`, `Float`, `Choice`, `Bool`) and the one base, `Config`, that every
frozen config dataclass of the package builds on. A config declares its fields and a class attribute
`RULES` (one rule per field); the base gives it `validate`, `replace`, `to_query` and `from_query` (which
never raises), plus the `across` hook for rules that span fields. Widgets read their bounds from the
same rules (explorer/app/controls.py), so a widget cannot produce an invalid config.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, NamedTuple, Self


class Crossed(NamedTuple):
    """A broken rule that spans fields: the field it is charged to, what is wrong, what is allowed (a
    language-neutral range), and the nearest value that satisfies it."""

    field: str
    message: str
    allowed: str
    fix: Any


class Config:
    """Base of every URL-backed config: subclass it with `@dataclass(frozen=True)` and give it `RULES`.
    Every field needs a default (a link may name none of them)."""

    RULES: ClassVar[Mapping[str, Any]] = {}

    def __post_init__(self) -> None:
        self.validate()

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def validate(self) -> None:
        """Raise ValueError "field: what is allowed, got what" for the first field out of its rule."""
        values = self.values()
        for name, value in values.items():
            self.RULES[name].check(name, value)
        for crossed in self.across(values, self.RULES):
            raise ValueError(f"{crossed.field}: {crossed.message}")

    @classmethod
    def across(cls, values: Mapping[str, Any], rules: Mapping[str, Any]) -> list[Crossed]:
        """The hook for rules that span fields (each field already passed its own rule): none by default."""
        return []

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)

    def to_query(self) -> dict[str, str]:
        """Every field as a string, in a form `from_query` reads back to an equal config."""
        return {name: self.RULES[name].format(value) for name, value in self.values().items()}

    @classmethod
    def from_query(
        cls,
        raw_query: Mapping[str, Any],
        *,
        defaults: Config | None = None,
        rules: Mapping[str, Any] | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> tuple[Self, list[Problem]]:
        """Parse untrusted strings. Never raises: each bad field falls back to its default, with a note.

        A page may bring its own `defaults` (a config of this class), narrower `rules` for some fields, and
        `aliases` (old parameter name -> field) so that links made before a rename keep working."""
        base = defaults if defaults is not None else cls()
        rules = {**cls.RULES, **(rules or {})}
        values, problems = parse_query(cls, rules, raw_query, aliases or {})
        merged = {**base.values(), **values}
        broken = cls.across(merged, rules)
        for crossed in broken:  # first the field's default, then the nearest value that satisfies the rule
            shown = _shown_name(crossed.field, raw_query, aliases or {})
            raw = _raw_value(raw_query.get(shown, getattr(base, crossed.field)))
            problems.append(Problem(shown, raw, crossed.message, crossed.allowed))
            merged[crossed.field] = getattr(base, crossed.field)
        for crossed in cls.across(merged, rules):
            merged[crossed.field] = crossed.fix
        try:
            return cls(**merged), problems
        except ValueError:  # defaults that break the class's own rules: the class's defaults then
            return cls(), problems


def _shown_name(field: str, raw_query: Mapping[str, Any], aliases: Mapping[str, str]) -> str:
    """The parameter name the link used for `field`: the field's own, or an old alias of it."""
    if field in raw_query:
        return field
    return next((old for old, new in aliases.items() if new == field and old in raw_query), field)


def _raw_value(raw: Any) -> str:
    if isinstance(raw, list | tuple):  # a repeated URL parameter: the last one wins
        raw = raw[-1] if raw else ""
    return str(raw)


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


def parse_query(
    cls: type, rules: Mapping[str, Any], query: Mapping[str, Any], aliases: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """The fields of `cls` found in `query` (by name or an old alias) that parse and pass their rule, and a
    note for each that didn't."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for f in fields(cls):
        shown = _shown_name(f.name, query, aliases or {})
        if shown not in query:
            continue
        raw = _raw_value(query[shown])
        try:
            value = rules[f.name].parse(raw)
            rules[f.name].check(f.name, value)
        except (ValueError, TypeError, OverflowError) as err:
            problems.append(Problem(shown, raw, reason(err, f.name), rules[f.name].allowed()))
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

    def span(self) -> tuple[int, int]:
        """The smallest and largest value a control may offer."""
        return self.low, self.high

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

    def span(self) -> tuple[float, float]:
        """The smallest and largest value a control may offer. Above an open low end: the next float, but
        above 0 the smallest normal one, not the subnormal 5e-324: in a thread that has run a network,
        subnormals read as 0 (engine/runtime.py flushes them), and `check` would refuse the control's own
        minimum."""
        if self.low_inclusive:
            return self.low, self.high
        return (sys.float_info.min if self.low == 0 else math.nextafter(self.low, math.inf)), self.high

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
