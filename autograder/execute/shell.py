"""Run a notebook's code cells in an in-process IPython shell, recording outputs.

This gives the cells the semantics they have in a Jupyter kernel (magics,
``display``, the last expression becoming an ``execute_result``, inline
matplotlib figures, warnings on stderr) without starting a kernel: no ZMQ, no
second interpreter, no import of the science stack per notebook. Outputs are
written into the cells in nbformat v4 form, so nbgrader's own grading code
reads them exactly as it reads a kernel's.

Figures become ``image/png`` outputs as with the inline backend, so ``nbgrader
formgrade`` shows them, but drawn here under the bounds of
:class:`~.child.FigureLimits` (DPI, size, count, bytes): a student's
20000 x 20000 px figure or thousand plots cost a note, not the grader's memory
or time. Whatever else a notebook displays as an image is held to a budget per
notebook (:data:`MAX_IMAGE_CHARS`), so no result message grows past what the
grader accepts from a child.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import math
import os
import signal
import sys
import time
from binascii import b2a_base64
from collections.abc import Callable
from typing import Any

from IPython.core.compilerop import CachingCompiler
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.formatters import DisplayFormatter
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type

from .child import FigureLimits, figure_limits

#: Per cell, at most this much stream text is kept (the rest is cut with a note).
MAX_STREAM_CHARS = 1_000_000
#: Per notebook, at most this many characters of image data (base64 PNG or JPEG,
#: SVG, PDF) are kept, figures or any other image a cell displays; an image past
#: it is replaced by a note. The figures' own bounds keep them under 14 MB; this
#: keeps every cell's result message far below ``messages.MAX_LINE`` (32 MiB), so
#: a big image is never refused as a malformed message (and flagged as tampering).
MAX_IMAGE_CHARS = 16_000_000
#: Output kinds whose data may hold images.
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml", "application/pdf")


class CellTimeout(BaseException):
    """Raised in a cell that ran past its time limit (BaseException: harder to swallow)."""


class _Recorder:
    """Collects the outputs of the cell being run."""

    def __init__(self) -> None:
        self.outputs: list[dict] = []
        self.stream_chars = 0
        #: Image data kept so far in this notebook (see MAX_IMAGE_CHARS).
        self.image_chars = 0

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
        if output.get("output_type") in ("display_data", "execute_result"):
            self._budget_images(output["data"])
        self.outputs.append(output)

    def _budget_images(self, data: dict) -> None:
        """Keep the images of ``data`` that fit this notebook's budget; note the others."""
        for mime in [m for m in data if m.startswith("image/") or m in IMAGE_MIMES]:
            value = data[mime]
            if isinstance(value, (bytes, bytearray)):  # as a kernel sends them: base64
                value = data[mime] = b2a_base64(value, newline=False).decode("ascii")
            size = len(value) if isinstance(value, str) else len(repr(value))
            if self.image_chars + size <= MAX_IMAGE_CHARS:
                self.image_chars += size
                continue
            del data[mime]
            _note(data, f"image not kept: the notebook's images pass {MAX_IMAGE_CHARS:,} bytes")


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


def _note(data: dict, note: str) -> None:
    """Append ``(note)`` to the plain text of an output's data."""
    plain = data.get("text/plain", "")
    if isinstance(plain, list):
        plain = "".join(plain)
    if not isinstance(plain, str):
        plain = ""
    data["text/plain"] = f"{plain}\n({note})" if plain else f"({note})"


class _FigureRenderer:
    """Draws figures as PNG within :class:`~.child.FigureLimits`, counting them per notebook."""

    def __init__(self, limits: FigureLimits) -> None:
        self.limits = limits
        self.drawn = 0

    def render(self, fig) -> tuple[str | None, str]:
        """(base64 PNG, "") or (None, why there is none; "" for an empty figure)."""
        from IPython.core.pylabtools import print_figure

        limits = self.limits
        if not fig.axes and not getattr(fig, "lines", None):
            return None, ""  # IPython shows no image of an empty figure either
        if self.drawn >= limits.max_images:
            return None, (
                f"figure not rendered: more than {limits.max_images} figures in this notebook"
            )
        try:
            longest = max(float(v) for v in fig.get_size_inches())
        except Exception:  # noqa: BLE001 - a student's figure may be anything
            longest = math.nan
        if not math.isfinite(longest) or longest <= 0:
            return None, "figure not rendered: it has no usable size"
        dpi = min(limits.dpi, limits.max_side / longest)
        if dpi < limits.min_dpi:
            return None, (
                f"figure not rendered: {longest:g} in is too large a side for an image of at "
                f"most {limits.max_side} px"
            )
        self.drawn += 1  # counted before drawing: the count bounds the drawing time
        try:
            # No tight bounding box: it draws the figure twice, and it grows the
            # canvas to reach any artist placed far outside the figure.
            png = print_figure(fig, fmt="png", bbox_inches=None, dpi=dpi)
        except Exception as exc:  # noqa: BLE001 - e.g. bad mathtext, MemoryError
            return None, f"figure not rendered: drawing it failed ({type(exc).__name__})"
        if not png:
            return None, ""
        if len(png) > limits.max_png_bytes:
            return None, (
                f"figure not rendered: its image is {len(png) // 1024} KiB, more than "
                f"{limits.max_png_bytes // 1024} KiB"
            )
        return b2a_base64(png, newline=False).decode("ascii"), ""


class _Formatter(DisplayFormatter):
    """IPython's display formatter, except that matplotlib figures are drawn only here.

    Every way a figure is shown (``plt.show()``, the inline backend's flush
    after a cell, ``display(fig)``, ``fig`` as a cell's last expression) comes
    through :meth:`format`. Image formatters a notebook registers for figures
    (``%config InlineBackend.figure_formats``, ``set_matplotlib_formats``) are
    skipped, so none can bypass the bounds.
    """

    #: Set by :func:`make_shell`; None: figures are not drawn at all.
    renderer: _FigureRenderer | None = None

    def format(self, obj, include=None, exclude=None):
        figure = getattr(sys.modules.get("matplotlib.figure"), "Figure", None)
        if figure is None or not isinstance(obj, figure):
            return super().format(obj, include=include, exclude=exclude)
        skip = set(exclude or ())
        data, metadata = super().format(obj, include=include, exclude=skip | set(IMAGE_MIMES))
        wanted = (not include or "image/png" in include) and "image/png" not in skip
        if self.renderer is not None and wanted:
            png, note = self.renderer.render(obj)
            if png is not None:
                data["image/png"] = png
            elif note:
                _note(data, note)
        return data, metadata


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

    def init_display_formatter(self):
        self.display_formatter = _Formatter(parent=self)
        self.configurables.append(self.display_formatter)

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


def make_shell(figures: bool | FigureLimits | None = True) -> NotebookShell:
    """Build the shell once, in the warm process, with inline matplotlib.

    Figures are drawn as PNG (``image/png`` outputs, which ``nbgrader
    formgrade`` shows) under ``figures``' bounds (True: the default
    :class:`~.child.FigureLimits`). With ``figures=False`` they are not drawn
    at all (they stay inspectable objects, which is all grading needs, and show
    as ``<Figure size ...>``): drawing is the largest cost of a plotting
    notebook after the checks themselves.
    """
    shell = NotebookShell.instance(colors="nocolor", history_length=0)
    shell.history_manager.enabled = False
    limits = figure_limits(figures)
    shell.display_formatter.renderer = _FigureRenderer(limits) if limits else None
    with contextlib.suppress(Exception):  # matplotlib is optional for the shell itself
        shell.enable_matplotlib("inline")
        from matplotlib import pyplot
        from matplotlib_inline.backend_inline import InlineBackend

        # Figures are drawn by the shell's formatter alone, under the bounds,
        # never by an image formatter of IPython's.
        InlineBackend.instance().figure_formats = set()
        # pyplot would draw every changed figure after each cell at the
        # figure's own size and DPI (unbounded), only for the inline backend to
        # draw it again as the image.
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
    recorder.image_chars = 0
    renderer = getattr(shell.display_formatter, "renderer", None)
    if renderer is not None:
        renderer.drawn = 0
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
