"""Text catalogues: one per language (explorer/locales/<lang>/*.toml), kept apart from the page code.

Each TOML file is a section: key `title` in `lab.toml` is looked up as "lab.title". Pages and chart
builders receive a translator `t(key, **values)` and never hold user-facing strings themselves.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from pathlib import Path

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).parent / "locales"

Translator = Callable[..., str]
# Sentences joined into one paragraph: English puts a space between them, Chinese none (a half-width
# space after 。 shows as a gap).
SENTENCE_SEPARATOR = {"en": " ", "zh": ""}


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key of a language, flattened to "section.key" (nested tables join with dots too)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang: must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    entries: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.toml")):
        with path.open("rb") as file:
            _flatten(path.stem, tomllib.load(file), entries)
    return entries


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


def translator(lang: str) -> Translator:
    """t(key, **values): the text in `lang`, formatted with values. A missing key shows as ⟦key⟧ (and
    the catalogue test fails), so a gap is visible rather than silently English."""
    entries = catalogue(lang)

    def t(key: str, **values: object) -> str:
        text = entries.get(key)
        if text is None:
            return f"⟦{key}⟧"
        return text.format(**values) if values else text

    return t
