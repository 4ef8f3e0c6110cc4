"""The gradient explorer's compute: configs, instrumented PyTorch runs, theory and chart builders."""

from explorer.config import RunConfig
from explorer.train import ENGINE_VERSION, RunResult, run

__all__ = ["ENGINE_VERSION", "RunConfig", "RunResult", "run"]
