"""The guided tour: the article's claims one by one, each as a question the reader answers before seeing a
real measurement (explorer.lessons.tour_runs runs them), and the verdict on the reader's guess.

Pure: no Streamlit. Each step's text (the article's sentence, the question, the options) is in
locales/<lang>/tour.toml under `tour.<key>.*`; here are the numbers: the experiment's config, the values
the options stand for on the result's scale, and which option the lesson expects the run to land on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from explorer.engine import query
from explorer.engine.config import RunConfig
from explorer.lessons import presets
from explorer.lessons.chain import ChainConfig
from explorer.lessons.cost import CostConfig
from explorer.lessons.derivatives import DerivativesConfig
from explorer.lessons.exploding import ExplodingConfig
from explorer.lessons.pretrain import PretrainConfig
from explorer.lessons.recurrent import SequenceConfig
from explorer.lessons.shallow import VANISHING
from explorer.lessons.surface import SurfaceConfig


@dataclass(frozen=True)
class Step:
    key: str  # tour.<key>.* in the catalogues; tour_runs.MEASURES[key] runs the experiment
    page: str  # url path of the page where the reader keeps exploring it
    config: Any  # the experiment (a frozen config with to_query(): the link carries it whole)
    options: tuple[float, ...]  # what each answer stands for, on the result's scale (all positive: log scale)
    answer: int | None  # the option the lesson expects nearest the measurement; None for a timing


# The shallow-net step trains 100 steps (the page's default is 300): the same verdict, its four runs in a
# third of the time.
# In the article's order (§1 why, §2 what vanishing does, §3 why it happens, §4 the remedies in turn).
# The options are the misconceptions a reader holds, spread so that the right one is not always in the
# same place (tests/lessons/test_tour.py checks both that and that each run still lands on `answer`).
STEPS: tuple[Step, ...] = (
    Step("why", "why_gradient_descent", SurfaceConfig(steps=20), (1.0, 0.3, 3e-3, 1e-8), 2),
    Step("slow", "lab", presets.MATERIAL["sigmoid"], (1.0, 10.0, 1e3, 1e6), 3),
    Step("shallow", "shallow_net", VANISHING.replace(steps=100), (1e-4, 1e-2, 0.1, 1.0), 0),
    Step("chain", "chain_rule", ChainConfig(), (0.016, 0.06, 0.25, 1.0), 0),
    Step("sigma", "activation_derivatives", DerivativesConfig(n_layers=10), (0.5, 0.1, 1e-3, 1e-6), 3),
    Step("vanish", "lab", RunConfig(steps=0), (1.0, 1e-2, 1e-6, 1e-12), 2),
    Step(
        "explode",
        "lab",
        RunConfig(depth=20, activation="relu", init="he", init_scale=1.5, steps=0),
        (1e9, 1e3, 1.0, 1e-3),
        1,
    ),
    Step("relu", "lab", RunConfig(depth=30, activation="relu", init="lecun", steps=0), (1e-13, 1e-4, 1.0, 1e4), 1),
    Step("elu", "activation_cost", CostConfig(), (1.0, 1.5, 3.0, 10.0), None),
    Step("batchnorm", "papers", presets.IOFFE["batch"], (10.0, 1.0, 0.1, 0.01), 2),
    Step("residual", "lab", presets.HE2016["residual"], (1e-15, 1e-5, 3.0, 1e6), 2),
    Step("lstm", "rnn_vs_lstm", SequenceConfig(cell="lstm", steps=0), (1e-8, 1e-4, 1e-2, 1.0), 1),
    Step("pretrain", "pretraining", PretrainConfig(), (0.05, 0.5, 1.0, 2.0), 1),
    Step("clip", "exploding_gradients", ExplodingConfig(), (1e10, 1e5, 100.0, 1.0), 2),
    Step("decay", "exploding_gradients", ExplodingConfig(), (7.0, 20.0, 60.0, 150.0), 0),
)
KEYS = tuple(step.key for step in STEPS)
SUMMARY = len(STEPS) + 1  # the last step: the score and the pages to revisit
N_STEPS = SUMMARY


def step(number: int) -> Step | None:
    """Step `number` (1-based); None for the summary."""
    return STEPS[number - 1] if 1 <= number <= len(STEPS) else None


@dataclass(frozen=True)
class TourConfig(query.Config):
    """The tour's place in the URL: `?step=N` opens step N (a teacher can link to one)."""

    step: int = 1

    RULES: ClassVar[Mapping[str, Any]] = {"step": query.Int(1, N_STEPS)}


@dataclass(frozen=True)
class Measurement:
    """What a step's run measured, on the options' scale."""

    value: float
    theory: float | None = None  # what theory predicts for the same quantity, where a theory applies
    references: tuple[tuple[str, float], ...] = ()  # (name, value): other measured runs shown beside it
    figures: tuple[tuple[str, float], ...] = ()  # numbers the explanation quotes (tour.<key>.explain)
    holds: bool = True  # the run still shows what the step's explanation says (tested; shown when not)


@dataclass(frozen=True)
class Verdict:
    guess: int
    right: int  # the option nearest the measurement (in decades)
    decades: float  # |log10(guess value / measured value)|
    factor: float  # 10 ** decades: how many times off

    @property
    def correct(self) -> bool:
        return self.guess == self.right


def decades_apart(a: float, b: float) -> float:
    if not (a > 0 and b > 0 and math.isfinite(a) and math.isfinite(b)):
        return math.inf
    return abs(math.log10(a / b))


def nearest(options: tuple[float, ...], value: float) -> int:
    """The option closest to `value` on a log scale (the first of two equally close)."""
    distances = [decades_apart(option, value) for option in options]
    return min(range(len(options)), key=lambda i: distances[i])


def verdict(step: Step, measurement: Measurement, guess: int) -> Verdict:
    if not 0 <= guess < len(step.options):
        raise ValueError(f"guess: must be an option index from 0 to {len(step.options) - 1}, got {guess}")
    decades = decades_apart(step.options[guess], measurement.value)
    return Verdict(guess, nearest(step.options, measurement.value), decades, 10**decades)


def score(answers: Mapping[str, bool]) -> tuple[int, int]:
    """(right, answered) over the steps the reader has revealed."""
    counted = [bool(answers[key]) for key in KEYS if key in answers]
    return sum(counted), len(counted)


def to_revisit(answers: Mapping[str, bool]) -> list[Step]:
    """The steps answered wrongly, in tour order: their pages are the ones to read again."""
    return [s for s in STEPS if s.key in answers and not answers[s.key]]


def fmt(value: float) -> str:
    """A measured number as the tour prints it: 3 significant digits, scientific outside 0.01 … 1000."""
    if value is None or not math.isfinite(value):
        return "—"
    if value == 0 or 1e-2 <= abs(value) < 1e3:
        return f"{value:.3g}"
    return f"{value:.2e}"


def config_line(config: Any) -> str:
    """The experiment's whole configuration, in one line (the same fields the link carries)."""
    return " · ".join(f"{name}={value}" for name, value in config.to_query().items())
