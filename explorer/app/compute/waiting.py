"""The page's side of the queue: ask for a job, wait for it in short slices while the page shows the
queue (runs ahead, estimated wait) or the run's progress, and turn every way a worker can fail into a
message instead of a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from concurrent.futures import BrokenExecutor, CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from explorer import i18n
from explorer.app.compute import get_queue
from explorer.app.compute.queue import Busy, Stopped
from explorer.engine import worker

SLICE_SECONDS = 0.25  # a waiting script checks for a rerun and updates the page this often
SHOW_AFTER_SECONDS = 1.0  # progress shows for runs expected (or found) to take longer than this

_log = logging.getLogger(__name__)
_views: OrderedDict[str, tuple[object, int]] = OrderedDict()
_views_lock = threading.Lock()


def current_view() -> tuple[str, int]:
    """(session id, number of its current script run). Each script run gets a fresh `ctx.cursors` dict;
    holding on to it (one per session) tells one run of a session's script from the next."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return "no-session", 0
    with _views_lock:
        marker, number = _views.get(ctx.session_id, (None, 0))
        if marker is not ctx.cursors:
            number += 1
            _views[ctx.session_id] = (ctx.cursors, number)
        _views.move_to_end(ctx.session_id)
        while len(_views) > 2000:
            _views.popitem(last=False)
        return ctx.session_id, number


def obtain(key: tuple, fn, args: tuple, estimate: float, t: i18n.Translator) -> Any:
    """The result of `fn(*args)` computed by a worker, waiting visibly in the queue. On a refusal or a
    stopped worker the page shows why and stops here (st.stop), never with a traceback."""
    try:
        queue = get_queue()
    except Exception:  # the Dask scheduler is unreachable, or the pool cannot start
        _refuse(st.error, t("compute.unavailable"))
    session, view = current_view()
    try:
        job = queue.request(session, view, key, (fn, args), estimate)
    except Busy as busy:
        _refuse(st.warning, t("compute.busy", seconds=f"{busy.seconds:.0f}"))
    try:
        return _wait(queue, session, job, t)
    except Busy as busy:
        _refuse(st.warning, t("compute.busy", seconds=f"{busy.seconds:.0f}"))
    except Stopped as stopped:
        _log.warning("run stopped (estimate %.1f s): %s", estimate, stopped)
        _refuse(st.error, t("compute.stopped", seconds=f"{estimate:.0f}"))
    except BrokenExecutor as lost:  # the worker's process ended mid-job: not the run's fault, not its size
        _log.warning("worker lost during a run (estimate %.1f s): %r", estimate, lost)
        _refuse(st.error, t("compute.lost"))
    except worker.StaleCode:
        _refuse(st.error, t("compute.stale"))
    except CancelledError:  # withdrawn: a newer view of this session replaced this one
        _yield()
        st.stop()


def _wait(queue, session: str, job, t: i18n.Translator) -> Any:
    placeholder, shown = None, None
    try:
        while True:
            try:
                return job.done.result(timeout=SLICE_SECONDS)
            except FutureTimeout:
                pass
            status = queue.status(job)
            if status.state == "queued" or max(status.estimate, status.elapsed) > SHOW_AFTER_SECONDS:
                placeholder = placeholder or st.empty()
                shown = _show(placeholder, status, t, shown)
            _yield()
    finally:
        if not job.done.done():
            queue.leave(session, job)
        if placeholder is not None:
            with contextlib.suppress(Exception):
                placeholder.empty()


def _show(placeholder, status, t: i18n.Translator, shown: tuple | None) -> tuple:
    """Draw the queue notice or the progress bar, only when it differs from what is on the page."""
    if status.state == "queued":
        wait = max(1, round(status.wait))
        message = (
            t("compute.queued", ahead=status.ahead, seconds=wait)
            if status.ahead
            else t("compute.queued_next", seconds=wait)
        )
        if shown != ("queued", message):
            placeholder.info(message, icon=":material/hourglass_top:")
        return ("queued", message)
    fraction = status.progress
    if fraction is None:  # no report from the run yet: time against the estimate, capped
        fraction = min(status.elapsed / max(status.estimate, 0.1), 0.95)
    now = ("running", round(min(max(fraction, 0.0), 1.0), 2), round(status.elapsed))
    if shown != now:
        placeholder.progress(now[1], text=t("compute.running", seconds=f"{now[2]}"))
    return now


def _yield() -> None:
    """Let a pending rerun or stop take over this script now (raises Streamlit's control exceptions)."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.yield_check()


def _refuse(show, message: str) -> None:
    show(message)
    st.stop()
