"""Links for a class: `lock=depth,activation` fixes settings, `hide=controls|nav|prose` shapes the page.

The view is read from the URL once per session (like the configs) and kept across pages; write_url and
the entry put it back into every page's address. A locked setting is enforced on the server: its widget
is disabled, and its value is set again before the widget is drawn on every run, so a changed value from
the browser is ignored. The reader can still edit the URL: a classroom convenience, not security.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import streamlit as st

from explorer import i18n, lessons
from explorer.engine.config import RunConfig

HIDE = ("controls", "nav", "prose")


def _url_configs() -> list[type]:
    """Every config class a page reads from the URL: RunConfig and the lessons' dataclasses with from_query."""
    found: list[type] = [RunConfig]
    for module_info in pkgutil.iter_modules(lessons.__path__):
        module = importlib.import_module(f"{lessons.__name__}.{module_info.name}")
        found += [
            cls
            for cls in vars(module).values()
            if isinstance(cls, type)
            and is_dataclass(cls)
            and hasattr(cls, "from_query")
            and cls.__module__ == module.__name__
        ]
    return found


# Every page setting a link can lock: the URL fields of the pages' configs.
LOCKABLE = frozenset(f.name for cls in _url_configs() for f in fields(cls))
# A character, not Streamlit's ":material/lock:" markup: a widget's accessible name is its label's raw
# text, so screen readers say "locked, Depth" rather than reading out the markup.
LOCK_ICON = "\N{LOCK}"
_VIEW, _PINNED, _CARRIED = "view", "view.pinned", "view.carried"


@dataclass(frozen=True)
class View:
    lock: frozenset[str] = frozenset()
    hide: frozenset[str] = frozenset()

    def to_query(self) -> dict[str, str]:
        """lock and hide as the URL has them (sorted, comma-separated), only when set."""
        found = {"lock": ",".join(sorted(self.lock)), "hide": ",".join(h for h in HIDE if h in self.hide)}
        return {name: value for name, value in found.items() if value}


def parse(raw: dict[str, Any]) -> tuple[View, list[tuple[str, str]]]:
    """The view of a URL's parameters and its unknown values as (parameter, value). Never raises."""
    problems: list[tuple[str, str]] = []

    def values(name: str, allowed: frozenset[str] | tuple[str, ...]) -> frozenset[str]:
        raw_value = raw.get(name, "")
        raw_value = raw_value[-1] if isinstance(raw_value, list) and raw_value else raw_value
        given = [part.strip() for part in str(raw_value).split(",") if part.strip()]
        problems.extend((name, part[:40]) for part in given if part not in allowed)
        return frozenset(part for part in given if part in allowed)

    return View(lock=values("lock", LOCKABLE), hide=values("hide", HIDE)), problems


def view(t: i18n.Translator | None = None) -> View:
    """This session's view: parsed from the URL the first time (a warning names each unknown value)."""
    if _VIEW not in st.session_state:
        found, problems = parse(st.query_params.to_dict())
        st.session_state[_VIEW] = found
        if problems and t is not None:
            lines = (t("share.unknown_value", parameter=name, value=value) for name, value in problems)
            allowed = t("share.allowed", hide=", ".join(HIDE))
            st.warning(t("ui.url_ignored") + "\n\n" + "\n".join(f"- {line}" for line in lines) + "\n\n" + allowed)
    return st.session_state[_VIEW]


def hidden(part: str) -> bool:
    return part in view().hide


def locked(key: str) -> bool:
    """Whether the widget `prefix.field` (or a bare field name) is locked by the link."""
    return str(key).rsplit(".", 1)[-1] in view().lock


def label(text: str, key: str) -> str:
    """A widget's label, with a lock in front when the link locks it."""
    return f"{LOCK_ICON} {text}" if locked(key) and not text.startswith(LOCK_ICON) else text


def locked_help(help_text: str | None = None) -> str:
    """A locked widget's help: that the link locks it, then its own help (the tooltip beside the lock)."""
    from explorer.app.language import language  # language.py imports this module

    note = i18n.translator(language())("share.locked_help")
    return f"{note}\n\n{help_text}" if help_text else note


def enforce(key: str, value: Any) -> None:
    """Give a locked widget its locked value on every run (the first value it was seeded with)."""
    pinned = st.session_state.setdefault(_PINNED, {})
    st.session_state[key] = pinned.setdefault(key, value)


def carry(name: str, value: str | None) -> None:
    """Keep a view parameter of another feature (a tour step, pinned runs) in every page's URL."""
    carried = st.session_state.setdefault(_CARRIED, {})
    if value is None:
        carried.pop(name, None)
    else:
        carried[name] = value


def view_query() -> dict[str, str]:
    """lock, hide and the carried parameters: what every URL of this session keeps."""
    return {**st.session_state.get(_CARRIED, {}), **view().to_query()}


def keep_in_url() -> None:
    """Add the view parameters to the address bar without touching the page's own parameters (which its
    config reads later in this run). write_url then rewrites the whole query with them."""
    for name, value in view_query().items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def navigation_position(t: i18n.Translator) -> str:
    """For the entry's st.navigation: "hidden" when the link hides the page list."""
    return "hidden" if "nav" in view(t).hide else "sidebar"


def apply(t: i18n.Translator) -> None:
    """Hide what the link hides and keep the view in the address bar (every page runs this first)."""
    current = view(t)
    rules = []
    if "controls" in current.hide and "nav" in current.hide:
        rules.append('[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"] {display: none;}')
    elif "controls" in current.hide:
        rules.append('[data-testid="stSidebarUserContent"] {display: none;}')
    if rules:
        st.html(f"<style>{' '.join(rules)}</style>")
    keep_in_url()


def prose(text: str, into: Any = None, **kwargs: Any) -> None:
    """Explanatory text (in `into`, a column, or the page): shown unless the link hides prose (then only
    charts and verdicts remain)."""
    if not hidden("prose"):
        (st if into is None else into).markdown(text, **kwargs)


def note(text: str) -> None:
    """A reading note in small print (st.caption), hidden with the prose."""
    if not hidden("prose"):
        st.caption(text)


def expander(title: str, text: str) -> None:
    """A "how it is measured" expander of explanatory text, hidden with the prose."""
    if not hidden("prose"):
        with st.expander(title):
            st.markdown(text)


def open_tabs(labels: dict[str, str], key: str) -> dict[str, Any]:
    """Tabs (name -> label) whose content is built only while open: the open tab's container by name, the
    closed ones absent. Choosing a tab reruns the page, so a view sends the browser one tab's charts."""
    tabs = st.tabs(list(labels.values()), key=key, on_change="rerun")
    return {name: tab for name, tab in zip(labels, tabs, strict=True) if tab.open}
