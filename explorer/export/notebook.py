"""export_notebook: the exported script as a Jupyter notebook, one markdown + code cell per part."""

from __future__ import annotations

import ast

import nbformat
from nbformat import v4

from explorer.engine.config import RunConfig
from explorer.export.script import export_script

MARK = "# %% "
# A notebook has no command line: its last cell trains, reports and writes the table instead of main().
LAST_CELL = """rows, diverged_at = train()
if diverged_at is not None:
    print(f"diverged at step {diverged_at}: the loss or the gradient norm overflowed to inf/nan")
write_csv("gradient_run.csv", rows)
print(f"{len(rows)} rows written to gradient_run.csv")"""


def export_notebook(config: RunConfig) -> str:
    """The notebook (nbformat 4 JSON) of `config`'s run."""
    return nbformat.writes(build_notebook(config))


def build_notebook(config: RunConfig) -> nbformat.NotebookNode:
    script = export_script(config)
    docstring = ast.get_docstring(ast.parse(script)) or ""
    head, *parts = script.split("\n" + MARK)
    title, _, rest = docstring.partition("\n")
    cells = [v4.new_markdown_cell(f"# {title}\n\n{rest.strip()}")]
    cells.append(v4.new_code_cell(head.split('"""', 2)[2].strip()))
    for part in parts:
        heading, _, code = part.partition("\n")
        if heading.startswith("Run it"):
            code = LAST_CELL
        cells.append(v4.new_markdown_cell(f"## {heading.strip()}"))
        cells.append(v4.new_code_cell(code.strip()))
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook
