"""export_script: the standalone PyTorch script of one RunConfig's run (template.py with its settings filled in).

template.py (with its data part, template_data.py, written out in place) is a real script on purpose (deliberately standalone: torch, numpy and the standard library,
no `explorer`), so it can be read, linted and run as it is; it reproduces the engine's run and
measurements operation for operation, and tests/export checks its table against `run(config).layers`.
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from explorer.engine import activations
from explorer.engine.config import RunConfig

TEMPLATE = Path(__file__).with_name("template.py")
DATA = Path(__file__).with_name("template_data.py")  # the data part, kept apart to keep each file short
DATA_IMPORT = re.compile(r"^# \(data part: .*?^# \(end of the data part\)\n", re.MULTILINE | re.DOTALL)
DATA_MARK = "# --- written out into the script from here ---\n"
SETTINGS_MARK = "# %% Settings"


def template_text() -> str:
    """The script of the default config: template.py with its data part written out in place."""
    data = DATA.read_text(encoding="utf-8")
    text, count = DATA_IMPORT.subn(lambda _: data.split(DATA_MARK, 1)[1], TEMPLATE.read_text(encoding="utf-8"))
    if count != 1:
        raise ValueError(f"template: {count} imports of its data part")
    return text


def export_script(config: RunConfig) -> str:
    """The script that trains and measures `config`'s run, as text."""
    text = template_text()
    start = text.index(SETTINGS_MARK)
    end = text.index("\n# %% ", start + 1)
    block = text[start:end]
    for f in fields(config):
        block = _set(block, f.name.upper(), _literal(getattr(config, f.name)))
    kind, threshold = activations._flat_region(config.activation)
    block = _set(block, "SATURATED", f'("{kind}", {float(threshold)!r})')
    return text[:start] + block + text[end:]


def _set(block: str, name: str, value: str) -> str:
    """Replace the value of the one line `NAME = value  # comment` in the settings block."""
    pattern = re.compile(rf"^{name} = .*?(  # .*)?$", re.MULTILINE)
    block, count = pattern.subn(lambda m: f"{name} = {value}{m.group(1) or ''}", block)
    if count != 1:
        raise ValueError(f"template: the settings block has {count} lines for {name}")
    return block


def _literal(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)  # bool, int, None, and floats (repr round-trips exactly)
