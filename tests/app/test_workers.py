"""Compute off the web server, for real: worker processes, a stopped worker, code changes, a Dask cluster,
and pages served through the queue (an AppTest whose runs go to a worker, and one whose queue is full).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
import pytest

from explorer import RunConfig, run
from explorer.app import compute
from explorer.app.compute import pool as pool_module
from explorer.app.compute import queue as queue_module
from explorer.app.compute.pool import DaskPool, WorkerPool, default_workers
from explorer.app.compute.queue import RunQueue
from explorer.engine import theory, worker
from tests import background
from tests.app.helpers import LAB_CHARTS, in_every_section, metrics, open_page, t, warnings_text

CONFIG = RunConfig(depth=6, width=16, activation="tanh", steps=30, batch_size=64, seed=4242)


def lab_call(config: RunConfig, key: str | None = None) -> tuple:
    return (key or worker.code_key(), "explorer.engine.train", "run", (config,), {})


def assert_same_run(got, expected) -> None:
    for name in ("layers", "steps", "weights", "boundary"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), check_exact=True)
    assert got.diverged_at == expected.diverged_at


def _started_pool(key: str) -> None:
    """WorkerPool(1), whose worker starts (torch and all) at once: started beside the tests before this module."""
    background.start(key, lambda: WorkerPool(1), lambda pool: pool.shutdown(wait=False), lambda pool: pool.warm(120))


def _dask_cluster():
    """A distributed.LocalCluster of two worker processes (one thread each)."""
    import distributed

    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)


def _warm_dask_workers(cluster) -> None:
    """Each Dask worker imports torch and does its tiny warm-up run now, below the tests' priority, as a
    `dask worker` does on its first job (worker.initialize)."""
    import distributed

    with distributed.Client(cluster) as client:
        client.run(worker.initialize, None, background.NICENESS)


def _started_dask_cluster() -> None:
    background.start("workers.dask", _dask_cluster, lambda cluster: cluster.close(), _warm_dask_workers)


START_EARLY = {  # tests/background.py
    "pool": lambda: _started_pool("workers.pool"),
    "test_the_lab_page_through_a_real_worker_shows_the_direct_runs_numbers": lambda: _started_pool("workers.lab"),
    "test_the_lab_through_a_dask_cluster_equals_a_direct_run": _started_dask_cluster,
    "test_workers_leave_with_a_server_killed_outright": lambda: background.start(
        "workers.killed_server", ServerWithAPool, ServerWithAPool.kill, ServerWithAPool.worker_pids
    ),
}


@pytest.fixture(scope="module")
def pool():
    workers = background.take("workers.pool", lambda: WorkerPool(1))
    workers.warm(120)
    yield workers
    workers.shutdown(wait=False)  # the worker exits beside the next tests (Python joins it at exit)


def test_default_worker_count_follows_the_cpus_this_process_may_use(monkeypatch):
    import os

    monkeypatch.delenv("EXPLORER_WORKERS", raising=False)
    assert default_workers() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("EXPLORER_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("EXPLORER_WORKERS", "three")
    assert default_workers() == len(os.sched_getaffinity(0))


def test_a_worker_returns_the_numbers_of_a_direct_run(pool):
    got = pool.submit(worker.execute, *lab_call(CONFIG)).result(120)
    assert_same_run(got, run(CONFIG))


def test_a_workers_cpu_time_is_read_while_it_runs_a_job(pool):
    """The queue's time limit counts this: it grows while the worker computes, not while it sleeps."""
    busy = pool.submit(worker.execute, worker.code_key(), "explorer.engine.worker", "sleep", (1.5,), {})
    time.sleep(0.5)
    before = pool.cpu_seconds(busy)
    time.sleep(0.5)
    assert before is not None and before > 0  # its start-up and warm-up run
    assert pool.cpu_seconds(busy) - before < 0.1  # asleep: no CPU
    busy.result(30)
    assert pool.cpu_seconds(busy) is None  # done: no worker runs it


def test_a_stopped_worker_fails_only_its_job_and_is_replaced(pool):
    stuck = pool.submit(worker.execute, worker.code_key(), "explorer.engine.worker", "sleep", (60,), {})
    old = set(pool.pids())
    assert pool.stop(stuck)
    with pytest.raises(BrokenProcessPool):
        stuck.result(30)
    pool.warm(120)
    assert pool.free() == 1 and set(pool.pids()).isdisjoint(old)
    assert pool.submit(worker.execute, *lab_call(CONFIG)).result(120).diverged_at is None


def test_a_worker_that_died_while_idle_is_replaced_when_the_next_job_comes(pool):
    """Nothing is waiting on an idle worker, so nothing notices it die until the next job: that job goes to
    a fresh worker instead of failing (the next reader would otherwise be told their run was lost)."""
    import psutil

    pool.warm(120)
    (pid,) = pool.pids()
    restarts = pool.restarts
    psutil.Process(pid).kill()
    psutil.Process(pid).wait(30)
    deadline = time.monotonic() + 30  # the executor's manager thread marks it broken once it sees the exit
    while not pool._slots[0].executor._broken:  # noqa: SLF001
        assert time.monotonic() < deadline, "the executor never noticed its worker die"
        time.sleep(0.05)
    assert_same_run(pool.submit(worker.execute, *lab_call(CONFIG)).result(120), run(CONFIG))
    assert pool.restarts == restarts + 1 and pid not in pool.pids()


def test_a_job_for_other_code_is_refused_by_the_worker(pool):
    with pytest.raises(worker.StaleCode):
        pool.submit(worker.execute, *lab_call(CONFIG, key="0000000000000000")).result(60)


SERVER_WITH_A_POOL = """
import time
from explorer.app.compute.pool import WorkerPool
pool = WorkerPool(1)
pool.warm(120)
print(*pool.pids(), flush=True)
time.sleep(600)
"""


class ServerWithAPool:
    """A stand-in for the app's server: a process that starts a one-worker pool and prints its worker's pid."""

    def __init__(self):
        import subprocess
        import sys

        nice = ["nice", "-n", str(background.NICENESS)]  # started early, beside the tests before it
        self.process = subprocess.Popen(
            [*nice, sys.executable, "-c", SERVER_WITH_A_POOL], stdout=subprocess.PIPE, text=True
        )
        self.pids: list[int] | None = None
        self._reading = threading.Lock()  # the launcher (settling it) and the test may both ask

    def worker_pids(self) -> list[int]:
        with self._reading:
            if self.pids is None:
                self.pids = [int(pid) for pid in self.process.stdout.readline().split()]
            return self.pids

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


def test_workers_leave_with_a_server_killed_outright():
    """A server killed with SIGKILL closes nothing; its workers (children of the fork server, not of the
    server) see it end and exit, and the fork server with them: nothing is left running."""
    import psutil

    server = background.take("workers.killed_server", ServerWithAPool)
    try:
        pids = server.worker_pids()
        assert pids, "the pool's worker never started"
        left = [psutil.Process(pid) for pid in pids]
        left += [p for p in psutil.Process(server.process.pid).children() if p.pid not in pids]  # the fork server
        assert all(p.is_running() for p in left)
    finally:
        server.kill()
    _, alive = psutil.wait_procs(left, timeout=20)
    assert not alive, f"still running after the server was killed: {[p.pid for p in alive]}"


def test_the_code_key_follows_the_compute_sources(tmp_path, monkeypatch):
    source = tmp_path / "engine.py"
    source.write_text("x = 1\n")
    monkeypatch.setattr(worker, "compute_sources", lambda: [source])
    before = worker.code_key()
    assert worker.code_key() == before
    source.write_text("x = 2\n")
    assert worker.code_key() != before


def test_workers_started_for_older_code_are_replaced_before_their_next_job(pool, monkeypatch):
    old = set(pool.pids())
    monkeypatch.setattr(worker, "code_key", lambda: "edited-source")
    monkeypatch.setattr(pool_module.worker, "code_key", lambda: "edited-source")
    with pytest.raises(worker.StaleCode):  # the fresh worker imported the real files, not "edited-source"
        pool.submit(worker.execute, *lab_call(CONFIG, key="edited-source")).result(120)
    assert set(pool.pids()).isdisjoint(old)  # the old worker did not serve it


def test_the_lab_through_a_dask_cluster_equals_a_direct_run():
    pytest.importorskip("distributed")
    with background.take("workers.dask", _dask_cluster) as cluster:
        queue = RunQueue(DaskPool(cluster.scheduler_address))
        try:
            assert queue.pool.capacity == 2
            configs = [CONFIG, CONFIG.replace(activation="relu", init="he", seed=7)]
            jobs = [queue.request(f"s{i}", 1, (i,), (worker.execute, lab_call(c)), 1.0) for i, c in enumerate(configs)]
            for job, config in zip(jobs, configs, strict=True):
                assert_same_run(job.done.result(180), run(config))
            call = (worker.code_key(), "explorer.engine.theory", "predict_signal", (CONFIG,), {})
            predicted = queue.request("s0", 2, ("theory",), (worker.execute, call), 1.0).done.result(60)
            expected = theory.predict_signal(CONFIG)
            for field in dataclasses.fields(expected):
                got, want = getattr(predicted, field.name), getattr(expected, field.name)
                if isinstance(want, pd.DataFrame):
                    pd.testing.assert_frame_equal(got, want, check_exact=True)
                else:
                    assert got == want or (got != got and want != want)  # NaN equals NaN here
            reports = dask_progress_reports(queue.pool, RunConfig(depth=10, width=64, steps=300, batch_size=256))
            assert reports and all(0.0 <= r <= 1.0 for r in reports), reports
            assert reports == sorted(reports), f"progress went backwards: {reports}"
            assert any(r > 0.0 for r in reports), f"only the run's first report was seen: {reports}"
            assert dask_run_leaves_when_stopped(queue.pool)
        finally:
            queue.close()


def dask_progress_reports(dask_pool: DaskPool, config: RunConfig) -> list[float]:
    """Poll a run's progress on a Dask worker as a page does, until it ends; then check that the run's
    progress Variable was deleted with it (nothing left on the scheduler)."""
    import distributed

    future = dask_pool.submit(worker.execute, *lab_call(config))
    variable = dask_pool._running[future]  # noqa: SLF001
    seen = []
    while not future.done():
        fraction = dask_pool.progress(future)
        if fraction is not None:
            seen.append(fraction)
        time.sleep(0.05)
    future.result(300)
    with pytest.raises(TimeoutError):
        distributed.Variable(variable, client=dask_pool.client).get(timeout=0.5)
    return seen


def dask_run_leaves_when_stopped(dask_pool: DaskPool) -> bool:
    """A run of ~20 s on a Dask worker, stopped by the app once it has reported: the worker leaves it
    (counted by the worker) within about a second instead of finishing it in the background."""
    # ~20 s of work (the bound aside), a progress report every 40 steps
    huge = RunConfig(depth=40, width=64, steps=2000, batch_size=256)
    future = dask_pool.submit(worker.execute, *lab_call(huge))
    deadline = time.monotonic() + 120
    while not dask_pool.progress(future):  # None or 0.0 until it has reported past its first step
        assert time.monotonic() < deadline, "the run never reported its progress"
        time.sleep(0.05)
    assert sum(dask_pool.client.run(worker.stopped_runs).values()) == 0
    dask_pool.stop(future)
    deadline = time.monotonic() + 60  # not a speed test: a run left to finish is counted as not stopped
    while sum(dask_pool.client.run(worker.stopped_runs).values()) == 0:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.fixture
def server_queue(monkeypatch):
    """The queue a page uses, replaced for one test (and the server's own stopped around it)."""
    compute.stop()
    holder = compute._holder()  # noqa: SLF001
    monkeypatch.setenv("EXPLORER_WORKERS", "1")

    def install(queue):
        holder.queue = queue
        return queue

    yield install
    compute.stop()


LAB_QUERY = {"depth": "5", "width": "12", "steps": "25", "batch_size": "32", "seed": "90210"}


def test_the_lab_page_through_a_real_worker_shows_the_direct_runs_numbers(server_queue):
    server_queue(RunQueue(background.take("workers.lab", lambda: WorkerPool(1))))
    through_worker = open_page("pages/lab.py", LAB_QUERY, timeout=180)
    assert not through_worker.exception
    shown = metrics(through_worker)
    said = [str(a.value) for a in (*through_worker.error, *through_worker.warning, *through_worker.info)]
    assert t("lab.metric_signal_ratio") in shown, f"no metrics; the page said: {said}"
    direct = run(RunConfig(depth=5, width=12, steps=25, batch_size=32, seed=90210))
    from explorer.engine import measures

    assert shown[t("lab.metric_signal_ratio")] == f"{measures.signal_ratio(direct.layers, 0):.1e}"
    drawn = in_every_section(through_worker, lambda at: len(at.get("vega_lite_chart")))
    assert drawn == LAB_CHARTS  # each section's charts (the run is cached in front)


class NeverFinishing:
    capacity = 1

    def __init__(self, fail: bool = False):
        self.fail = fail

    def free(self):
        return 1

    def submit(self, fn, *args):
        future = Future()
        future.set_running_or_notify_cancel()
        if self.fail:
            future.set_exception(BrokenProcessPool("the worker was killed"))
        return future

    def progress(self, future):
        return None

    def stop(self, future):
        return True

    def shutdown(self, wait=True, *, cancel_futures=False):
        pass


def test_a_full_queue_tells_the_reader_the_demo_is_busy_without_a_traceback(server_queue):
    server_queue(RunQueue(NeverFinishing(), busy_seconds=-1.0))
    at = open_page("pages/lab.py", {**LAB_QUERY, "seed": "31337"})
    assert not at.exception
    assert "The demo is busy" in warnings_text(at)
    assert not at.get("vega_lite_chart")


def test_a_killed_worker_is_a_message_not_a_traceback(server_queue):
    """A worker that died is not blamed on the run's size: the page says the worker ended, not that the
    run took too long."""
    server_queue(RunQueue(NeverFinishing(fail=True)))
    at = open_page("pages/remedy_comparison.py", {"seed": "4711"})
    assert not at.exception
    assert [str(e.value) for e in at.error] == [t("compute.lost")]


def test_an_overdue_run_is_stopped_with_a_message_that_says_so(server_queue, monkeypatch):
    monkeypatch.setattr(queue_module, "time_limit", lambda estimate: 0.3)
    server_queue(RunQueue(NeverFinishing()))
    at = open_page("pages/lab.py", {**LAB_QUERY, "seed": "2718"})
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("This run took far longer than its estimate (about ")
    assert not at.get("vega_lite_chart")
