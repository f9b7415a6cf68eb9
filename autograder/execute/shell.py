"""Run a notebook's code cells in an in-process IPython shell, recording outputs.

This gives the cells the semantics they have in a Jupyter kernel (magics,
``display``, the last expression becoming an ``execute_result``, inline
matplotlib figures, warnings on stderr) without starting a kernel: no ZMQ, no
second interpreter, no import of the science stack per notebook. Outputs are
written into the cells in nbformat v4 form, so nbgrader's own grading code
reads them exactly as it reads a kernel's.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from IPython.core.compilerop import CachingCompiler
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type

#: Per cell, at most this much stream text is kept (the rest is cut with a note).
MAX_STREAM_CHARS = 1_000_000


class CellTimeout(BaseException):
    """Raised in a cell that ran past its time limit (BaseException: harder to swallow)."""


class _Recorder:
    """Collects the outputs of the cell being run."""

    def __init__(self) -> None:
        self.outputs: list[dict] = []
        self.stream_chars = 0

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        room = MAX_STREAM_CHARS - self.stream_chars
        if room <= 0:
            return
        if len(text) > room:
            text = text[:room] + "\n[output truncated]\n"
        self.stream_chars += len(text)
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def add(self, output: dict) -> None:
        self.outputs.append(output)


class _Stream(io.TextIOBase):
    def __init__(self, recorder: _Recorder, name: str) -> None:
        self._recorder = recorder
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            text = str(text)
        self._recorder.stream(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    def __init__(self, recorder: _Recorder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._recorder = recorder

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        self._recorder.add(
            {"output_type": "display_data", "data": dict(data), "metadata": dict(metadata or {})}
        )

    def clear_output(self, wait=False):
        self._recorder.outputs.clear()


class _Hook(DisplayHook):
    def __init__(self, recorder: _Recorder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._recorder = recorder
        self._pending: dict | None = None

    def start_displayhook(self):
        self._pending = None

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self._pending = {
            "output_type": "execute_result",
            "data": dict(format_dict),
            "metadata": dict(md_dict or {}),
            "execution_count": self.shell.execution_count,
        }

    def finish_displayhook(self):
        if self._pending is not None:
            self._recorder.add(self._pending)
        self._pending = None


class _CellCompiler(CachingCompiler):
    """IPython's compiler, telling ``inspect`` at once that a cell is no module.

    Without this, every traceback through a cell makes ``inspect.getmodule``
    walk all ~2,000 loaded modules, only to conclude the same (``None``):
    most of the cost of a failing cell.
    """

    def cache(self, transformed_code: str, number: int = 0, raw_code: str | None = None) -> str:
        name = super().cache(transformed_code, number, raw_code)
        inspect.modulesbyfile[name] = inspect.modulesbyfile[os.path.abspath(name)] = None
        return name


class NotebookShell(InteractiveShell):
    """An InteractiveShell whose outputs go to a recorder, not a terminal."""

    compiler_class = Type(_CellCompiler)

    def __init__(self, **kwargs: Any) -> None:
        self.recorder = _Recorder()
        super().__init__(**kwargs)
        self.display_pub = _Publisher(self.recorder, shell=self)
        self.displayhook = _Hook(self.recorder, shell=self, cache_size=1000)
        self.display_trap.hook = self.displayhook

    def init_display_pub(self):
        self.display_pub = DisplayPublisher(shell=self)

    def _showtraceback(self, etype, evalue, stb):
        self.recorder.add(
            {
                "output_type": "error",
                "ename": getattr(etype, "__name__", str(etype)),
                "evalue": _safe_str(evalue),
                "traceback": list(stb),
            }
        )

    def enable_gui(self, gui=None):
        pass

    def _format_exception_for_storage(self, exception, filename=None, running_compiled_code=False):
        # IPython formats every error a second time to keep it in the history,
        # which is off here and read by nothing: the error output is made by
        # ``showtraceback`` as in a kernel. Formatting was most of a failing cell's cost.
        return {"ename": type(exception).__name__, "evalue": _safe_str(exception), "traceback": []}


def _safe_str(obj: object) -> str:
    try:
        return str(obj)
    except Exception:  # noqa: BLE001 - a student exception may break __str__
        return "<unprintable>"


def make_shell(figures: bool = True) -> NotebookShell:
    """Build the shell once, in the warm process, with inline matplotlib.

    With ``figures=False`` figures are not rendered to PNG after each cell
    (they stay inspectable objects, which is all grading needs); rendering is
    the largest cost of a plotting notebook after the checks themselves.
    """
    shell = NotebookShell.instance(colors="nocolor", history_length=0)
    shell.history_manager.enabled = False
    with contextlib.suppress(Exception):  # matplotlib is optional for the shell itself
        shell.enable_matplotlib("inline")
        from matplotlib_inline.backend_inline import InlineBackend

        # A tight bounding box draws every figure twice; the plain one is half
        # the cost and shows the same content. Grading never reads the image.
        InlineBackend.instance().print_figure_kwargs = {"bbox_inches": None}
        if not figures:
            InlineBackend.instance().figure_formats = set()
            # pyplot would still draw every changed figure after each cell,
            # only for no image to be made of it.
            from matplotlib import pyplot

            shell.events.unregister("post_execute", pyplot._draw_all_if_interactive)
    return shell


def _alarm(seconds: float):
    def _raise(signum, frame):
        raise CellTimeout(f"cell exceeded {seconds} s")

    signal.signal(signal.SIGALRM, _raise)
    # Repeat the alarm so a cell that swallows the first one is interrupted again.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)


def run_notebook(
    nb: dict,
    shell: NotebookShell,
    cell_timeout: float = 120.0,
    on_cell: Callable[[int, dict], None] | None = None,
) -> dict:
    """Execute every code cell of ``nb`` (a v4 dict) in order, filling its outputs.

    A cell that errors does not stop the run (nbgrader's ``allow_errors``);
    a cell past ``cell_timeout`` gets a ``CellTimeoutError`` output and the
    run goes on with the next cell, as nbgrader does. ``on_cell(index, cell)``
    is called after each code cell, so a caller can stream results out before
    a later cell kills the process.
    """
    recorder = shell.recorder
    out, err = _Stream(recorder, "stdout"), _Stream(recorder, "stderr")
    real_out, real_err = sys.stdout, sys.stderr
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        recorder.outputs = []
        recorder.stream_chars = 0
        started = time.monotonic()
        sys.stdout, sys.stderr = out, err
        try:
            _alarm(cell_timeout)
            try:
                shell.run_cell(source, store_history=True, silent=False)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except CellTimeout:
            recorder.add(
                {
                    "output_type": "error",
                    "ename": "CellTimeoutError",
                    "evalue": "",
                    "traceback": [f"CellTimeoutError: the cell ran over {cell_timeout} s"],
                }
            )
        finally:
            sys.stdout, sys.stderr = real_out, real_err
        for output in recorder.outputs:  # name timeouts as nbgrader does
            if output["output_type"] == "error" and output["ename"] == "CellTimeout":
                output.update(ename="CellTimeoutError", evalue="")
        cell["execution_count"] = shell.execution_count - 1
        cell["outputs"] = list(recorder.outputs)
        cell.setdefault("metadata", {})["autograder_seconds"] = round(time.monotonic() - started, 4)
        if on_cell is not None:
            on_cell(index, cell)
    return nb
