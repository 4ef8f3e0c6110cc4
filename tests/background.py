"""Child processes started as soon as the session knows which tests it will run.

A test that runs a child process (an exported script, a worker, `python -m ...`) mostly waits for it, and most
of the child's time is Python and torch starting. The machine has two cores and the tests run in one process, so
that wait leaves a core idle. A test module that has such children defines `start_early()`, which starts them
through `start` here; tests/conftest.py calls it once collection is over when the module has selected tests, so
the children run beside the tests before them. The test then `take`s the same child (or, when nothing started it,
starts it there and then) and checks its output as before: each child is still its own process, started
the same way from the same arguments.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Hashable
from typing import Any

NICENESS = 10  # children run below the tests' process: they use the core it leaves idle
_started: dict[Hashable, tuple[Any, Callable[[Any], None]]] = {}


def start(key: Hashable, factory: Callable[[], Any], cleanup: Callable[[Any], None] = lambda _: None) -> Any:
    """factory() now (unless started already), kept under `key` until a test takes it; cleanup(value) at the
    end of the session if none does."""
    if key not in _started:
        _started[key] = (factory(), cleanup)
    return _started[key][0]


def take(key: Hashable, factory: Callable[[], Any]) -> Any:
    """What `start` started under `key` (no longer kept), or factory() now."""
    found = _started.pop(key, None)
    return found[0] if found is not None else factory()


def discard() -> None:
    """Clean up whatever was started and never taken (a deselected or failed test)."""
    while _started:
        _, (value, cleanup) = _started.popitem()
        with contextlib.suppress(Exception):
            cleanup(value)


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

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


def child(argv: list[str], cwd: str | os.PathLike | None = None, text: bool = True) -> Callable[[], Child]:
    """A factory for `start`/`take`: the child process of `argv`."""
    return lambda: Child(argv, cwd, text)
