"""The engine's speed: instrumented run over a bare PyTorch loop, cold default run, thread count."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

from explorer import RunConfig, run
from explorer.engine.histograms import histogram_steps
from explorer.engine.instruments import LayerProbe
from explorer.engine.train import layer_schedule, record_schedule, setup

OVERHEAD_CONFIG = RunConfig(depth=10, width=64, batch_size=256, steps=300)
# A wide, deep net, short: where a reader waits longest, and where the measuring's passes over the layers'
# data, not its calls, are the cost (40 layers of 256 x 256; every 2nd step measured layer by layer).
WIDE_CONFIG = RunConfig(depth=40, width=256, steps=60)


def layer_steps(config: RunConfig) -> str:
    """How many of the run's steps are measured layer by layer, as the engine schedules them."""
    return f"{len(layer_schedule(record_schedule(config.steps)))} of {config.steps + 1} steps measured"


def bare_loop_seconds(config: RunConfig) -> float:
    """The same network, data, batches and optimizer, trained with nothing measured. Building them is
    timed on both sides (run() builds them too): 0.1 s of the default run, a third of it the batches'
    permutations."""
    started = time.perf_counter()
    x, y, model, batches, _, optimizer = setup(config)
    for step in range(config.steps):
        idx = batches[step]
        loss = F.cross_entropy(model(x[idx]), y[idx])
        model.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return time.perf_counter() - started


def instrumented_seconds(config: RunConfig, histograms: bool = True) -> float:
    started = time.perf_counter()
    run(config, histograms=histograms)
    return time.perf_counter() - started


def overhead(repeats: int = 9) -> list[tuple[str, str, str]]:
    """Interleaved triples (bare, instrumented with histograms, without), so machine noise hits all alike;
    the median ratio over the triples, and its interquartile range (the host's noise: a shared 2-core VM
    varies the same loop's time by 30% within a minute)."""
    instrumented_seconds(OVERHEAD_CONFIG)  # warm-up: first-call allocations and lazy init
    triples = [
        (
            bare_loop_seconds(OVERHEAD_CONFIG),
            instrumented_seconds(OVERHEAD_CONFIG),
            instrumented_seconds(OVERHEAD_CONFIG, histograms=False),
        )
        for _ in range(repeats)
    ]
    ratios = [inst / bare for bare, inst, _ in triples]
    ratio, quartiles = statistics.median(ratios), statistics.quantiles(ratios, n=4)
    ratio_plain = statistics.median(plain / bare for bare, _, plain in triples)
    histogram_cost = statistics.median(inst - plain for _, inst, plain in triples)
    bare, inst, plain = (statistics.median(t[i] for t in triples) for i in range(3))
    return [
        ("bare PyTorch loop (depth 10, width 64, batch 256, 300 steps)", f"{bare * 1000:.0f} ms", ""),
        (
            f"instrumented run with histograms (21 steps), same network ({layer_steps(OVERHEAD_CONFIG)})",
            f"{inst * 1000:.0f} ms",
            "",
        ),
        ("instrumented run without histograms", f"{plain * 1000:.0f} ms", ""),
        ("histograms' cost (with - without, median of pairs)", f"{histogram_cost * 1000:.0f} ms", "this host's noise"),
        counting_alone(OVERHEAD_CONFIG),
        (
            "instrumented (with histograms) / bare",
            f"{ratio:.2f}",
            f"goal <= 1.20; quartiles {quartiles[0]:.2f}-{quartiles[2]:.2f}",
        ),
        ("instrumented (without histograms) / bare", f"{ratio_plain:.2f}", ""),
    ]


def counting_alone(config: RunConfig, repeats: int = 50) -> tuple[str, str, str]:
    """The histograms' counting timed on its own: one recorded step's data (the run's first), counted
    `repeats` times; the median, times the run's histogram steps. Steadier than a difference of two runs."""
    x, y, model, batches, _, _ = setup(config)
    probe = LayerProbe(model, config.activation)
    idx = batches[0]
    F.cross_entropy(probe.forward(x[idx]), y[idx]).backward()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        probe.histograms()
        times.append(time.perf_counter() - started)
    steps = len(histogram_steps(layer_schedule(record_schedule(config.steps))))
    per_step = statistics.median(times)
    return (
        f"histograms' counting alone: {steps} steps x median of {repeats}",
        f"{per_step * steps * 1000:.0f} ms",
        f"{per_step * 1000:.2f} ms per step",
    )


def overhead_wide(repeats: int = 3) -> list[tuple[str, str, str]]:
    """Instrumented over bare for WIDE_CONFIG, interleaved pairs, the median ratio."""
    instrumented_seconds(WIDE_CONFIG)
    pairs = [(bare_loop_seconds(WIDE_CONFIG), instrumented_seconds(WIDE_CONFIG)) for _ in range(repeats)]
    bare, inst = (statistics.median(p[i] for p in pairs) for i in range(2))
    ratio = statistics.median(inst / bare for bare, inst in pairs)
    name = f"depth 40, width 256, batch 256, 60 steps ({layer_steps(WIDE_CONFIG)})"
    return [
        (f"bare PyTorch loop, {name}", f"{bare * 1000:.0f} ms", ""),
        ("instrumented run with histograms, same network", f"{inst * 1000:.0f} ms", ""),
        ("instrumented / bare, wide network", f"{ratio:.2f}", ""),
    ]


def threads(repeats: int = 3) -> list[tuple[str, str, str]]:
    """Why one thread: the bare loop at 1 and at 2 intra-op threads, interleaved."""
    before = torch.get_num_threads()
    timings: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeats):
        for n in (1, 2):
            torch.set_num_threads(n)
            timings[n].append(bare_loop_seconds(OVERHEAD_CONFIG))
    torch.set_num_threads(before)
    one, two = (statistics.median(timings[n]) for n in (1, 2))
    return [("bare loop, 2 threads / 1 thread", f"{two / one:.2f}", "> 1 means the 2nd thread slows it")]


COLD_SCRIPT = """
import time
started = time.perf_counter()
from explorer import RunConfig, run
imported = time.perf_counter()
run(RunConfig())
done = time.perf_counter()
print(imported - started, done - imported)
"""


def cold_default(repeats: int = 3) -> list[tuple[str, str, str]]:
    """The default lab config in a fresh process: what the first visitor of a new server waits for."""
    samples = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", COLD_SCRIPT], capture_output=True, text=True, check=True)
        samples.append(tuple(float(v) for v in out.stdout.split()))
    imports = statistics.median(s[0] for s in samples)
    first_run = statistics.median(s[1] for s in samples)
    return [
        ("import explorer (torch included), fresh process", f"{imports * 1000:.0f} ms", ""),
        ("default config, first run in a fresh process", f"{first_run * 1000:.0f} ms", "goal <= 1000 ms"),
    ]


def bounded_runs() -> list[tuple[str, str, str]]:
    """The run-time bound's estimate beside the measured time, at the default and at the bound's edge."""
    from explorer.engine.config import MAX_RUN_SECONDS

    largest = RunConfig(depth=64, width=128, steps=300)  # close to the bound: ~15 s estimated
    assert largest.bound_problem() is None, "the benchmark's largest config must be allowed"
    rows = []
    for name, config in (("default config", RunConfig()), ("largest allowed (depth 64, width 128)", largest)):
        seconds = instrumented_seconds(config)
        rows.append(
            (
                f"{name}: estimated / measured",
                f"{config.estimated_seconds():.1f} s / {seconds:.1f} s",
                f"bound {MAX_RUN_SECONDS:.0f} s; goal <= 15 s",
            )
        )
    return rows
