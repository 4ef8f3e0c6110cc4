"""The exported script, run as its own process, reproduces the engine's per-layer table row by row."""

import ast
import json
import math
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from explorer import RunConfig, export_script, run
from explorer.engine.train import LAYER_COLUMNS
from explorer.export.notebook import export_notebook
from explorer.export.script import template_text
from tests import background

# Small step counts keep the suite fast; each config exercises different engine paths.
CONFIGS = {
    "sigmoid_default": RunConfig(steps=12),
    "relu_he_batchnorm_clip": RunConfig(activation="relu", init="he", norm="batch", clip_norm=0.5, steps=12),
    "tanh_residual_adam_decay": RunConfig(
        activation="tanh", residual=True, optimizer="adam", weight_decay=1e-2, lr=0.01, steps=12
    ),
    "tanh_biased": RunConfig(activation="tanh", init_scale=1.3, bias_std=0.3, steps=12),
    # ReLU + He at lr 3 overflows at step 5: the script must stop there and say so, like the app
    "diverging": RunConfig(activation="relu", init="he", lr=3.0, depth=6, width=32, steps=30),
    "gelu_orthogonal_layernorm_frozen": RunConfig(
        activation="gelu",
        init="orthogonal",
        norm="layer",
        optimizer="momentum",
        freeze_first=2,
        dataset="xor",
        depth=4,
        width=16,
        steps=8,
        batch_size=64,
    ),
}


def _export_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="exported-"))
    for name, config in CONFIGS.items():
        (folder / f"{name}.py").write_text(export_script(config))
    return folder


def _script(folder: Path, name: str):
    """The exported script of CONFIGS[name], run as its own process from a folder without `explorer` in it."""
    return background.child([sys.executable, str(folder / f"{name}.py"), "--csv", str(folder / f"{name}.csv")], folder)


def start_scripts():
    """Every config's script, each in its own process, all at once (mostly torch's start-up)."""
    folder = background.start("export.folder", _export_folder, lambda folder: shutil.rmtree(folder, ignore_errors=True))
    for name in CONFIGS:
        background.start(("export", name), _script(folder, name), background.Child.kill, background.Child.wait)


START_EARLY = {"exported": start_scripts}  # beside the tests before this module (tests/background.py)


@pytest.fixture(scope="module")
def exported():
    """Every config's script, run in its own process (all at once: mostly torch's start-up)."""
    start_scripts()  # started already when the session began with this fixture needed
    folder = background.take("export.folder", _export_folder)
    children = {name: background.take(("export", name), _script(folder, name)) for name in CONFIGS}
    outputs = {}
    try:
        for name, child in children.items():
            done = child.result(timeout=300)
            assert done.returncode == 0, done.stderr
            outputs[name] = (pd.read_csv(folder / f"{name}.csv"), done.stdout)
        yield outputs
    finally:
        for child in children.values():
            if child.process.poll() is None:
                child.kill()
        shutil.rmtree(folder, ignore_errors=True)


def relative_difference(got: np.ndarray, want: np.ndarray) -> float:
    same = (got == want) | (np.isnan(got) & np.isnan(want))  # equal infinities and NaNs count as equal
    diff = np.abs(got - want) / np.maximum(np.abs(want), np.finfo(float).tiny)
    return float(np.where(same, 0.0, diff).max())


@pytest.mark.parametrize("name", CONFIGS)
def test_script_reproduces_the_engine_table(exported, name):
    table, stdout = exported[name]
    result = run(CONFIGS[name])
    want = result.layers
    assert list(table.columns) == LAYER_COLUMNS
    assert len(table) == len(want) > 0
    assert (table[["step", "layer"]].to_numpy() == want[["step", "layer"]].to_numpy()).all()
    got, expected = table[LAYER_COLUMNS[2:]].to_numpy(float), want[LAYER_COLUMNS[2:]].to_numpy(float)
    assert (np.isnan(got) == np.isnan(expected)).all()
    assert relative_difference(got, expected) <= 1e-5
    if result.diverged_at is None:
        assert "diverged" not in stdout
    else:
        assert f"diverged at step {result.diverged_at}:" in stdout


def test_the_diverging_config_diverges_after_recording_some_steps():
    result = run(CONFIGS["diverging"])
    assert result.diverged_at is not None and 0 < result.diverged_at < CONFIGS["diverging"].steps


def test_script_imports_only_torch_numpy_and_the_standard_library():
    tree = ast.parse(export_script(RunConfig(depth=3)))
    roots = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    roots |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert roots - set(sys.stdlib_module_names) == {"torch", "numpy"}


def test_settings_block_holds_the_config():
    config = RunConfig(depth=7, activation="elu", init_scale=0.3, clip_norm=2.5, residual=True, seed=123, lr=0.037)
    namespace: dict = {}
    settings = export_script(config).split("# %% Settings")[1].split("\n", 1)[1].split("\n# %% ")[0]
    exec(settings, namespace)
    assert {f: namespace[f.upper()] for f in config.to_query()} == vars(config)


def test_default_config_is_the_template_itself():
    assert export_script(RunConfig()) == template_text()


def test_notebook_is_valid_with_one_cell_per_part():
    text = export_notebook(RunConfig(activation="relu", steps=5))
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert any('ACTIVATION = "relu"' in source for source in code)
    assert code[-1].startswith("rows, diverged_at = train()")
    assert all("argparse.ArgumentParser" not in source for source in code)  # no command line in a notebook
    for source in code:
        ast.parse(source)
    assert json.loads(text)["nbformat"] == 4


def test_notebook_cells_run_in_order_and_write_the_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = RunConfig(depth=2, width=8, steps=3, batch_size=16)
    notebook = nbformat.reads(export_notebook(config), as_version=4)
    namespace: dict = {"__name__": "notebook"}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(cell.source, namespace)
    table = pd.read_csv(tmp_path / "gradient_run.csv")
    assert len(table) == len(run(config).layers)
    assert math.isclose(table.grad_norm.iloc[0], run(config).layers.grad_norm.iloc[0], rel_tol=1e-5)
