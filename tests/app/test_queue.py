"""The queue in front of the workers (explorer/app/compute/queue.py), on a pool whose jobs the test ends.

No processes and no clocks asserted: the pool is a stand-in whose futures finish when the test says so.
"""

import time
from concurrent.futures import CancelledError, Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from explorer.app.compute import queue as queue_module
from explorer.app.compute.queue import Busy, RunQueue, Stopped


class FakePool:
    def __init__(self, capacity: int):
        self.capacity = capacity
        self.started: list[tuple] = []  # (call args, future) in the order the queue handed them out
        self.stopped: list[Future] = []

    def free(self) -> int:
        return self.capacity - sum(not f.done() for _, f in self.started)

    def submit(self, fn, *args) -> Future:
        future = Future()
        future.set_running_or_notify_cancel()
        self.started.append((args, future))
        return future

    def progress(self, future):
        return 0.5

    def stop(self, future) -> bool:
        self.stopped.append(future)
        future.set_exception(BrokenProcessPool("killed"))
        return True

    def shutdown(self, wait=True, *, cancel_futures=False):
        pass

    def names(self) -> list:
        return [args[0] for args, _ in self.started]

    def finish(self, name, value="done") -> None:
        for args, future in self.started:
            if args[0] == name and not future.done():
                future.set_result(value)
                return
        raise AssertionError(f"{name} is not running")


def wait_until(condition, q: RunQueue) -> None:
    for _ in range(200):
        with q._lock:  # noqa: SLF001
            q._lock.notify_all()  # noqa: SLF001
        if condition():
            return
        import time

        time.sleep(0.01)
    raise AssertionError("the dispatcher did not get there")


@pytest.fixture
def make_queue():
    queues = []

    def make(capacity=1, **kwargs):
        q = RunQueue(FakePool(capacity), tick=0.01, **kwargs)
        queues.append(q)
        return q

    yield make
    for q in queues:
        q.close()


def ask(q, session, view, name, estimate=10.0):
    return q.request(session, view, (name,), (print, (name,)), estimate)


def test_a_views_runs_stay_together_and_workers_get_one_job_each(make_queue):
    q = make_queue(capacity=1)
    first = ask(q, "s1", 1, "blocker")
    wait_until(lambda: q.pool.names() == ["blocker"], q)
    ask(q, "s2", 1, "b-first")
    ask(q, "s3", 1, "c-only")
    ask(q, "s2", 1, "b-second")  # the same view as b-first: it keeps that view's place, ahead of s3's
    assert q.counts() == (3, 1)  # nothing handed to the busy worker ahead of time
    q.pool.finish("blocker")
    assert first.done.result(1) == "done"
    for name in ("b-first", "b-second"):
        wait_until(lambda n=name: q.pool.names()[-1] == n, q)
        q.pool.finish(name)
    wait_until(lambda: q.pool.names()[-1] == "c-only", q)


def test_status_counts_runs_ahead_and_simulates_the_wait(make_queue):
    q = make_queue(capacity=2)
    ask(q, "a", 1, "r1", estimate=10.0)
    ask(q, "b", 1, "r2", estimate=10.0)
    wait_until(lambda: len(q.pool.started) == 2, q)
    ask(q, "c", 1, "q1", estimate=4.0)
    ask(q, "d", 1, "q2", estimate=6.0)
    last = ask(q, "e", 1, "q3", estimate=1.0)
    status = q.status(last)
    assert status.state == "queued" and status.ahead == 2
    # two workers free at ~10 s; q1 takes one until ~14, q2 the other until ~16: q3 starts at ~14
    assert status.wait == pytest.approx(14.0, abs=0.5)
    running = q.status(q._running[("r1",)])  # noqa: SLF001
    assert running.state == "running" and running.progress == 0.5


def test_same_config_from_two_sessions_is_one_job(make_queue):
    q = make_queue(capacity=1)
    ask(q, "x", 1, "blocker")
    wait_until(lambda: q.pool.names() == ["blocker"], q)
    one = ask(q, "s1", 1, "shared")
    two = ask(q, "s2", 1, "shared")
    assert one is two and one.waiters == {"s1", "s2"}


def test_a_newer_view_withdraws_older_queued_runs_unless_another_session_waits(make_queue):
    q = make_queue(capacity=1)
    ask(q, "x", 1, "blocker")
    wait_until(lambda: q.pool.names() == ["blocker"], q)
    mine = ask(q, "s1", 1, "mine-only")
    shared = ask(q, "s1", 1, "shared")
    ask(q, "s2", 7, "shared")
    ask(q, "s1", 2, "slider-moved")  # s1's next view
    with pytest.raises(CancelledError):
        mine.done.result(0)
    assert not shared.done.done() and shared.waiters == {"s2"}
    assert set(q._queued) == {("shared",), ("slider-moved",)}  # noqa: SLF001


def test_an_interrupted_wait_leaves_the_queue(make_queue):
    q = make_queue(capacity=1)
    ask(q, "x", 1, "blocker")
    wait_until(lambda: q.pool.names() == ["blocker"], q)
    job = ask(q, "s1", 1, "left")
    q.leave("s1", job)
    assert q.counts() == (0, 1) and job.done.cancelled()


def test_past_the_busy_limit_a_new_run_is_refused_but_a_shared_one_is_joined(make_queue):
    q = make_queue(capacity=1, busy_seconds=25.0)
    ask(q, "a", 1, "r1", estimate=10.0)
    wait_until(lambda: q.pool.names() == ["r1"], q)
    ask(q, "b", 1, "q1", estimate=10.0)  # would start at ~10 s: accepted
    ask(q, "c", 1, "q2", estimate=10.0)  # ~20 s
    with pytest.raises(Busy) as refused:
        ask(q, "d", 1, "q3", estimate=10.0)  # ~30 s: refused
    assert refused.value.seconds == pytest.approx(30.0, abs=0.5)
    assert ask(q, "e", 1, "q2").waiters == {"c", "e"}  # joining a queued job adds no work: never refused


def test_a_run_far_past_its_estimate_is_stopped_and_the_queue_goes_on(make_queue, monkeypatch):
    monkeypatch.setattr(queue_module, "time_limit", lambda estimate: 0.05)
    q = make_queue(capacity=1)
    stuck = ask(q, "a", 1, "stuck")
    after = ask(q, "b", 1, "after")
    with pytest.raises(Stopped):
        stuck.done.result(5)
    assert len(q.pool.stopped) == 1 and q.stopped_jobs == 1
    wait_until(lambda: q.pool.names()[-1] == "after", q)
    q.pool.finish("after", "fine")
    assert after.done.result(1) == "fine"


def test_the_limit_counts_the_workers_cpu_time_not_its_wait_for_a_core(make_queue, monkeypatch):
    """A worker starved by a busy host passes the limit in wall time while its CPU time stays under it: it
    goes on. Once its CPU time passes the limit, it is stopped; with no CPU at all, at WALL_FACTOR x the
    limit of wall time."""
    monkeypatch.setattr(queue_module, "time_limit", lambda estimate: 0.2)
    q = make_queue(capacity=2)
    cpu = {"starved": 0.0, "stuck": 0.0}
    q.pool.cpu_seconds = lambda future: next(cpu[n] for (n,), f in q.pool.started if f is future)
    starved, stuck = ask(q, "a", 1, "starved"), ask(q, "b", 1, "stuck")
    wait_until(lambda: len(q.pool.started) == 2, q)
    cpu["starved"] = 0.15  # under the limit, while the wall clock runs past it
    time.sleep(0.5)
    assert not starved.done.done() and not stuck.done.done()
    cpu["starved"] = 0.25  # past it
    with pytest.raises(Stopped):
        starved.done.result(2)
    with pytest.raises(Stopped):  # no CPU used: stopped by wall time, after 5 x 0.2 s
        stuck.done.result(3)
    assert q.stopped_jobs == 2


def test_a_worker_failure_reaches_only_its_job(make_queue):
    q = make_queue(capacity=1)
    broken = ask(q, "a", 1, "dies")
    wait_until(lambda: q.pool.names() == ["dies"], q)
    q.pool.started[0][1].set_exception(BrokenProcessPool("worker died"))
    with pytest.raises(BrokenProcessPool):
        broken.done.result(1)
    again = ask(q, "a", 2, "next")
    wait_until(lambda: q.pool.names()[-1] == "next", q)
    q.pool.finish("next")
    assert again.done.result(1) == "done"


def test_finished_results_are_remembered_for_the_next_asker(make_queue):
    q = make_queue(capacity=1)
    ask(q, "a", 1, "once")
    wait_until(lambda: q.pool.names() == ["once"], q)
    q.pool.finish("once", 42)
    wait_until(lambda: q.take(("once",)) == (True, 42), q)
    assert ask(q, "b", 1, "once").done.result(0) == 42 and len(q.pool.started) == 1
