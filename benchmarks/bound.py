"""python -m benchmarks bound: the run bound's estimate against measured runs at its edge, by activation,
with flush-to-zero on (what the app does) and off (what it did before), each run in a fresh process.

Deep sigmoid nets drive the back-propagated signal below float32's normal range; on CPUs with a
subnormal penalty (many Intel cores) that once made such runs 5x slower than their estimate.
"""

from __future__ import annotations

import dataclasses
import platform
import subprocess
import sys

from explorer import RunConfig
from explorer.engine.config import MAX_RUN_SECONDS

EDGE = {  # allowed configurations whose estimate is close to the bound, three shapes of cost
    "depth 64, width 128, 300 steps": RunConfig(depth=64, width=128, steps=300),
    "depth 64, width 256, 85 steps": RunConfig(depth=64, width=256, steps=85),
    "depth 64, width 64, 830 steps": RunConfig(depth=64, width=64, steps=830),
}
ACTIVATIONS = (("sigmoid", "lecun"), ("tanh", "xavier"), ("relu", "he"))

SCRIPT = """
import time, torch
from explorer.engine import runtime
runtime.FLUSH_SUBNORMALS = {ftz}
from explorer import RunConfig, run
config = RunConfig(**{fields!r})
started, cpu = time.perf_counter(), time.process_time()
result = run(config)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
tiny = result.layers[(result.layers.signal_norm > 0) & (result.layers.layer == 1)].signal_norm.min()
print(seconds, cpu, tiny)
"""


def measured(config: RunConfig, ftz: bool) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, smallest non-zero layer-1 signal) of the run in a fresh process."""
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}  # not the RULES ClassVar
    code = SCRIPT.format(ftz=ftz, fields=fields)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def main(argv: list[str] | None = None) -> None:
    shapes = list(EDGE.items()) if not argv else [(k, v) for k, v in EDGE.items() if argv[0] in k]
    print(f"# {platform.processor() or platform.machine()}; bound {MAX_RUN_SECONDS:.0f} s; one torch thread")
    # CPU time is what the run costs a core; wall time is what a reader waited (it includes other work
    # sharing the cores: on a busy host it is the noisier of the two).
    print(
        "| run | estimated | FTZ on: CPU s (wall s), ms/step | FTZ off: CPU s (wall s), ms/step | smallest layer-1 signal |"
    )
    print("|---|---|---|---|---|")
    for shape, base in shapes:
        for activation, init in ACTIVATIONS:
            config = base.replace(activation=activation, init=init)
            on_wall, on_cpu, tiny = measured(config, True)
            off_wall, off_cpu, _ = measured(config, False)
            per_step = 1000 / (config.steps + 1)
            print(
                f"| {activation}, {shape} | {config.estimated_seconds():.1f} s "
                f"| {on_cpu:.1f} ({on_wall:.1f}), {on_cpu * per_step:.0f} "
                f"| {off_cpu:.1f} ({off_wall:.1f}), {off_cpu * per_step:.0f} | {tiny:.1e} |",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
