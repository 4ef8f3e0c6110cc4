"""The lab's CSV download: every recorded (step, layer) row, with the weights' and the step's figures and
the config that produced them, read back exactly."""

import io

import pandas as pd

from explorer import RunConfig, run
from explorer.app.output import run_table_csv


def test_the_csv_holds_every_row_and_reads_back_to_the_runs_numbers():
    config = RunConfig(depth=4, width=8, steps=20, activation="tanh", seed=3)
    result = run(config)
    table = pd.read_csv(io.BytesIO(run_table_csv(result)))
    assert len(table) == len(result.layers)
    merged = table.merge(result.layers, on=["step", "layer"], suffixes=("", "_run"))
    assert len(merged) == len(result.layers)
    assert (merged.signal_norm == merged.signal_norm_run).all()  # float repr round-trips exactly
    steps = result.steps.set_index("step")
    assert (table.loss.to_numpy() == steps.loss.loc[table.step].to_numpy()).all()
    for name, value in config.to_query().items():
        assert table[name].astype(str).str.lower().eq(str(value).lower()).all(), name  # CSV reads "false" as False
