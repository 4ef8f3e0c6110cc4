"""Child processes started as soon as the session knows which tests it will run.

A test that runs a child process (an exported script, a worker, `python -m ...`) mostly waits for it, and most
of the child's time is Python and torch starting. The machine has two cores and the tests run in one process, so
that wait leaves a core idle. A test module names in START_EARLY the tests (or fixtures) that have such
children and what starts them; tests/conftest.py calls those once collection is over, for the selected tests.
`start` queues each child for one launcher thread, which starts them one at a time at niceness +10: they run on
the core the tests' process leaves idle, beside the tests before them, never more than one at once. The test
then `take`s the same child (started by the launcher, or by the test itself if the launcher has not come to it)
and checks its output as before: each child is still its own process, started from the same arguments.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Hashable
from typing import Any

NICENESS = 10  # children run below the tests' process: they use the core it leaves idle
_NOT_YET, _DISCARDED = object(), object()


class _Early:
    def __init__(self, factory: Callable[[], Any], cleanup: Callable[[Any], None], settle: Callable[[Any], Any]):
        self.factory, self.cleanup, self.settle = factory, cleanup, settle
        self.lock = threading.Lock()
        self.value: Any = _NOT_YET

    def get(self) -> Any:
        """The value, made now if nobody made it yet."""
        with self.lock:
            if self.value is _NOT_YET:
                self.value = self.factory()
            return self.value


_started: dict[Hashable, _Early] = {}
_queue: list[_Early] = []
_wake = threading.Condition()


def start(
    key: Hashable,
    factory: Callable[[], Any],
    cleanup: Callable[[Any], None] = lambda _: None,
    settle: Callable[[Any], Any] | None = None,
) -> Any:
    """Keep factory() under `key` until a test takes it (cleanup(value) at the end of the session if none does).
    Without `settle` it is made now and returned; with it, the launcher makes it in turn and waits for
    settle(value) (the child done, the worker warm) before it starts the next."""
    if key not in _started:
        early = _started[key] = _Early(factory, cleanup, settle or (lambda _: None))
        if settle is None:
            early.get()
        else:
            with _wake:
                _queue.append(early)
                _wake.notify()
            _launcher()
    return _started[key].value if settle is None else None


@functools.cache
def _launcher() -> threading.Thread:
    def launch() -> None:
        while True:
            with _wake:
                while not _queue:
                    _wake.wait()
                early = _queue.pop(0)
            with contextlib.suppress(Exception):  # a child that fails says so to the test that takes it
                value = early.get()
                if value is not _DISCARDED:
                    early.settle(value)

    thread = threading.Thread(target=launch, name="tests-background", daemon=True)
    thread.start()
    return thread


def take(key: Hashable, factory: Callable[[], Any]) -> Any:
    """What `start` keeps under `key` (no longer kept; made now if the launcher has not come to it), or factory()."""
    early = _started.pop(key, None)
    return early.get() if early is not None else factory()


def discard() -> None:
    """Clean up whatever was started and never taken (a deselected or failed test); start nothing more."""
    while _started:
        _, early = _started.popitem()
        with early.lock:
            value, early.value = early.value, _DISCARDED
        if value is not _NOT_YET and value is not _DISCARDED:
            with contextlib.suppress(Exception):
                early.cleanup(value)


class Child:
    """A child process whose output goes to files, so that it never waits for a reader to empty a pipe."""

    def __init__(self, argv: list[str], cwd: str | os.PathLike | None = None, text: bool = True):
        self.argv, self.text = argv, text
        self._out, self._err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115 (closed in result)
        lower = ["nice", "-n", str(NICENESS)] if shutil.which("nice") else []  # the tests' own process goes first
        self.process = subprocess.Popen([*lower, *argv], stdout=self._out, stderr=self._err, cwd=cwd)

    def result(self, timeout: float) -> subprocess.CompletedProcess:
        """Wait for the child (killed after `timeout` seconds) and give what it returned and printed."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        outputs = []
        for stream in (self._out, self._err):
            stream.seek(0)
            data = stream.read()
            stream.close()
            outputs.append(data.decode() if self.text else data)
        return subprocess.CompletedProcess(self.argv, self.process.returncode, *outputs)

    def wait(self) -> None:
        self.process.wait()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


def child(argv: list[str], cwd: str | os.PathLike | None = None, text: bool = True) -> Callable[[], Child]:
    """A factory for `start`/`take`: the child process of `argv`."""
    return lambda: Child(argv, cwd, text)
