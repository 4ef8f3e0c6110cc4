"""What the page-level boundary tests (tests/app/test_*_boundary.py) share: reading a filled-in catalogue
sentence back out of a page's text, and a cache of their own for made-up results."""

from __future__ import annotations

import re

import pytest

from explorer import i18n
from explorer.engine import worker


def read(key: str, text: str, lang: str = "en") -> dict[str, str] | None:
    """The values filled into catalogue entry `key` if `text` contains it (a field used twice must repeat)."""
    pattern, seen = "", set()
    for part in re.split(r"(\{\w+\})", i18n.catalogue(lang)[key]):
        name = part[1:-1] if part.startswith("{") else None
        pattern += re.escape(part) if name is None else f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
        seen |= {name} if name else set()
    found = re.search(pattern, text, flags=re.DOTALL)
    return found.groupdict() if found else None


def own_cache(monkeypatch: pytest.MonkeyPatch, tag: str) -> None:
    """Key the page's compute cache apart for this test (`worker.code_key` is part of every key): results
    made up by a stand-in never reach, or come from, any other test, and nothing needs clearing."""
    monkeypatch.setattr(worker, "code_key", lambda: f"boundary-test-{tag}")
