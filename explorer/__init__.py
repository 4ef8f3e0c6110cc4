"""The gradient explorer: see why gradients vanish and explode, measured on real PyTorch runs.

The package has three tiers and a set of pure chart builders (docs/ARCHITECTURE.md):
`explorer.engine` (compute), `explorer.lessons` (one module per experiment), `explorer.charts` (Altair)
and `explorer.app` (Streamlit). This top level is the public face for outside code.
"""

from explorer.engine.config import RunConfig
from explorer.engine.spectrum import jacobian_spectrum
from explorer.engine.theory import predict_signal
from explorer.engine.train import RunResult, run
from explorer.export import export_script
from explorer.lessons.recurrent import SequenceConfig, SequenceResult, run_sequence

__all__ = [
    "RunConfig",
    "RunResult",
    "SequenceConfig",
    "SequenceResult",
    "export_script",
    "jacobian_spectrum",
    "predict_signal",
    "run",
    "run_sequence",
]
