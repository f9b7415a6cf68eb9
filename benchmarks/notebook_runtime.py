"""How long each lesson's solution notebook takes to run top to bottom.

Runs every ``source/lessonNN/lessonNN.ipynb`` in a real Jupyter kernel (nbclient,
as a student's JupyterLab would) and prints the seconds per notebook, kernel
start included, and the time spent in the cells alone.

    python benchmarks/notebook_runtime.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    print(f"{'lesson':10} {'total s':>8} {'cells s':>8}")
    for path in sorted((ROOT / "source").glob("lesson*/lesson*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        start = time.perf_counter()
        with client.setup_kernel():
            ready = time.perf_counter()
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            done = time.perf_counter()
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        status = "" if not errors else f"  ({len(errors)} cell(s) raised)"
        print(f"{path.stem:10} {time.perf_counter() - start:8.2f} {done - ready:8.2f}{status}")


if __name__ == "__main__":
    main()
