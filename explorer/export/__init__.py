"""Take a run home: the standalone PyTorch script of any RunConfig (`script`, filling in `template.py`)
and the same as a Jupyter notebook (`notebook`, imported on its own: it loads nbformat)."""

from explorer.export.script import export_script

__all__ = ["export_script"]
