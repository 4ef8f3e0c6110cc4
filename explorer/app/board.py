"""The board of pinned runs in the session: read from the URL once (`pins`), kept in every page's URL
while it holds pins (view.carry), added to by the lab's Pin button, edited on the board page."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from explorer import i18n
from explorer.app import view
from explorer.app.language import language
from explorer.app.url import config_from_url
from explorer.engine.config import RunConfig
from explorer.lessons.board import MAX_PINS, Board, Pin

_KEY = "board"
_LABEL = "board.label."


def board_from_url(t: i18n.Translator) -> Board:
    """The session's board (parsed from `pins` the first time, with a warning naming each bad value)."""
    found = config_from_url(Board, _KEY, t)
    _carry(found)
    return found


def store(board: Board) -> None:
    st.session_state[_KEY] = board
    _carry(board)


def _carry(board: Board) -> None:
    view.carry("pins", board.to_query()["pins"] if board.pins else None)


def pin_button(config: RunConfig, t: i18n.Translator) -> None:
    """The lab's Pin button (sidebar): adds this config to the board, or says why not."""
    board = board_from_url(t)
    if not st.sidebar.button(t("board.pin_button"), icon=":material/push_pin:", help=t("board.pin_help")):
        return
    same = [i for i, pin in enumerate(board.pins, start=1) if pin.config == config]
    grown = board.with_pin(Pin(config))
    if same:
        st.sidebar.info(t("board.already", n=same[0]))
    elif grown is None:
        st.sidebar.warning(t("board.full", limit=MAX_PINS))
    else:
        store(grown)
        st.sidebar.success(t("board.pinned", n=len(grown.pins), limit=MAX_PINS))
    st.sidebar.page_link("pages/run_board.py", label=t("nav.board"), icon=":material/dashboard:")


CHOICES = ("activation", "init", "norm", "optimizer", "dataset")  # their values are named in names.toml
NAMED_ALONE = ("activation", "norm", "optimizer", "dataset")  # "ReLU", "BatchNorm", "Adam" need no label


def describer(t: i18n.Translator):
    """A pin's setting in the reader's words, from the catalogues: "depth 30", "ReLU", "He/Kaiming init"."""

    def describe(name: str, value: str) -> str:
        if name in NAMED_ALONE:
            return t(f"names.{name}.{value}")
        if name in CHOICES:
            return t(f"board.field.{name}", value=t(f"names.{name}.{value}"))
        if name == "residual":
            return t("board.field.residual_on" if value == "true" else "board.field.residual_off")
        return t(f"board.field.{name}", value=value)

    return describe


def summary(pin: Pin, t: i18n.Translator) -> str:
    """A pin's settings that differ from the lab's defaults, in the reader's language."""
    return pin.summary(t("board.defaults"), describer(t), t("board.separator"))


def pin_names(board: Board, t: i18n.Translator) -> list[str]:
    """Each pin's number and label (or its settings, translated), as the charts and the table show it."""
    return board.names(t("board.defaults"), describer(t), t("board.separator"))


def lab_link(pin: Pin, board: Board) -> str:
    """The lab's address with this pin's whole config (and the board), for a new tab."""
    return "lab?" + urlencode({"lang": language(), **pin.config.to_query(), **board.to_query()})


def _relabel(index: int) -> None:
    key = f"{_LABEL}{index}"
    board = st.session_state[_KEY].relabelled(index, st.session_state[key])
    st.session_state[key] = board.pins[index].label
    store(board)


def _remove(index: int) -> None:
    store(st.session_state[_KEY].without(index))
    for key in [key for key in st.session_state if str(key).startswith(_LABEL)]:
        del st.session_state[key]  # the labels shift up: their widgets are seeded again from the board


def pin_rows(board: Board, t: i18n.Translator) -> None:
    """One row per pin: its editable label, what it changes, its cost, open in the lab, remove."""
    for index, pin in enumerate(board.pins):
        key = f"{_LABEL}{index}"
        st.session_state.setdefault(key, pin.label)
        label, fields, link, remove = st.columns([3, 3.6, 1.9, 1.1], vertical_alignment="bottom")
        label.text_input(
            t("board.label", n=index + 1),
            key=key,
            on_change=_relabel,
            args=(index,),
            placeholder=summary(pin, t),
        )
        fields.caption(t("board.fields", fields=summary(pin, t), seconds=f"{pin.config.estimated_seconds():.1f}"))
        link.link_button(t("board.open"), lab_link(pin, board), icon=":material/open_in_new:")
        remove.button(t("board.remove"), key=f"board.remove.{index}", on_click=_remove, args=(index,))


def figures_table(rows: list[dict], t: i18n.Translator) -> None:
    """The pins' key figures, sortable (st.dataframe sorts by a click on a column's header)."""
    kinds = {
        "vanishing": t("board.kind_vanishing"),
        "exploding": t("board.kind_exploding"),
        "stable": t("board.kind_stable"),
        "undefined": t("board.kind_undefined"),
    }
    frame = pd.DataFrame(rows).assign(kind=lambda f: f.kind.map(kinds))
    frame["diverged_at"] = [("—" if step is None else str(step)) for step in frame.diverged_at]
    columns = {
        "pin": st.column_config.TextColumn(t("board.pin")),
        "signal_ratio": st.column_config.NumberColumn(
            t("board.col_ratio"), format="%.2e", help=t("board.col_ratio_help")
        ),
        "kind": st.column_config.TextColumn(t("board.col_kind")),
        "final_loss": st.column_config.NumberColumn(t("board.col_loss"), format="%.4f"),
        "accuracy": st.column_config.NumberColumn(t("board.col_accuracy"), format="percent"),
        "diverged_at": st.column_config.TextColumn(t("board.col_diverged")),
    }
    st.dataframe(frame, column_config=columns, hide_index=True, width="stretch")
