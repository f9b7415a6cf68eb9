"""What a forked child does with one submission: confine, run, stream.

The child streams one JSON line per message into its result pipe:
``{"start": true, "sandbox": [...]}`` once, before any student code runs
(the grader trusts only this first message, for the layers that held), then
``{"cell": i, "data": cell}`` per executed cell and ``{"done": true,
"tampering": [...]}`` at the end. Everything after the first message is
written by a process that ran student code, and the grader reads it as such:
the cells themselves are the grader's own, from the job.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import tampering
from .sandbox import Limits, confine

#: Python's own default warning filters plus IPython's "show deprecations
#: caused by the user's code": what a fresh kernel starts with.
DEFAULT_WARNING_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


@dataclass(frozen=True)
class FigureLimits:
    """What drawing a notebook's matplotlib figures as images may cost.

    The images are for the person reading the autograded notebook: ``nbgrader
    formgrade`` shows each ``image/png`` output as an ``<img>``. Grading never
    reads them (the plot checks read the figure objects), so they are kept
    small and cheap, and a figure past a bound gets a one-line text note in
    place of its image: never an error, never a dropped cell. Figures are drawn
    in the sandboxed child, when a cell displays them or when it ends (as the
    inline backend does), inside the cell's time limit. Plain data: it goes
    from the grader to the zygote as JSON, like :class:`Job`.
    """

    #: Dots per inch of every image, whatever the figure's own ``dpi``. At 72
    #: matplotlib's default 6.4 x 4.8 in figure is 460 x 345 px, legible in a
    #: browser, with half the pixels (and drawing time) of matplotlib's 100.
    dpi: float = 72.0
    #: Longest side of an image, in pixels. A larger figure is drawn at the
    #: lower DPI that fits, so no figure ever needs more than a 2000 x 2000 px
    #: canvas (16 MB of RGBA), whatever size the student asked for ...
    max_side: int = 2000
    #: ... unless that DPI would be below this one (a figure over 110 in on a
    #: side, where every label would be a smudge): then it gets a note.
    min_dpi: float = 18.0
    #: Figures drawn per notebook; later ones get a note without being drawn.
    #: The lessons show one to three plots; 20 leaves room for a loop of them
    #: and bounds the drawing time of a notebook that makes thousands.
    max_images: int = 20
    #: Largest PNG kept, in bytes (base64 adds a third). A line plot is 10-60
    #: KB, a full-size image of noise several MB. With ``max_images`` it keeps
    #: a notebook's figures under 14 MB of JSON, far inside what the grader
    #: takes from a child (``messages.MAX_LINE`` per cell, ``pool.MAX_RESULT_BYTES``).
    max_png_bytes: int = 512 * 1024


def figure_limits(figures: bool | FigureLimits | None) -> FigureLimits | None:
    """The bounds to draw figures under: True means the defaults, False or None no figures."""
    if figures is True:
        return FigureLimits()
    return figures or None


@dataclass
class Job:
    """One submission to execute: plain data in (pickled from the grader to the zygote)."""

    key: str
    #: The notebook to run (nbformat v4 as plain dicts).
    notebook: dict
    cwd: str
    cell_timeout: float = 120.0
    wall_timeout: float = 600.0
    #: Environment the notebook runs with, such as whose task it is (``CALCML_STUDENT``).
    env: dict = field(default_factory=dict)
    #: Collectors the lesson's parts declare, as plain specs (``reference.answers.kinds``).
    collectors: dict = field(default_factory=dict)


def run_child(job: Job, fd: int, shell, sandbox: Limits | None) -> None:
    """Run ``job`` in this freshly forked process, streaming to ``fd``; never returns."""
    from .shell import run_notebook

    def send(message: dict) -> None:
        view = memoryview(json.dumps(message).encode() + b"\n")
        while view:
            view = view[os.write(fd, view) :]

    code = 0
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _detach_terminal()
        _fresh_process_state()
        held = []
        if sandbox is not None:
            held = confine(Path(job.cwd), limits=sandbox)
        send({"start": True, "sandbox": held})
        os.chdir(job.cwd)
        os.environ.update({str(k): str(v) for k, v in job.env.items()})
        if job.collectors:
            from reference.answers.kinds import install

            install(job.collectors)
        before = tampering.snapshot(shell)
        run_notebook(
            job.notebook,
            shell,
            cell_timeout=job.cell_timeout,
            on_cell=lambda i, cell: send({"cell": i, "data": cell}),
        )
        found = tampering.changes(shell, before)
        send({"done": True, "tampering": found})
    except BaseException as exc:  # noqa: BLE001
        code = 1
        with contextlib.suppress(BaseException):
            send({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        os._exit(code)


def exercise(figures: bool = True) -> None:
    """Run once what every submission would otherwise initialise lazily.

    Rendering a first figure, SymPy's first simplification and lambdify,
    sampling a function: each costs tens of milliseconds the first time in a
    process. Done in the zygote, children inherit the result. Only made-up
    inputs are used, and nothing that knows a lesson's answers.
    """
    import io

    import matplotlib.pyplot as plt
    import numpy as np
    import sympy as sp

    from reference.answers import collect
    from reference.checks.plots import figure_data

    fig, ax = plt.subplots()
    ax.plot([0.0, 1.0, 2.0], [1.0, 0.0, 1.0], label="warm")
    ax.quiver([0.0], [0.0], [1.0], [1.0])
    ax.set_title("warm")
    ax.legend()
    if figures:  # otherwise no image is ever made (see ``make_shell``)
        fig.savefig(io.BytesIO(), format="png")
    figure_data(fig)
    plt.close(fig)
    t = sp.Symbol("t")
    expr = sp.diff(sp.exp(-t) * t**3 / (1 + t**2), t)
    sp.lambdify(t, expr, "numpy")(np.linspace(0.1, 1.0, 4))
    sp.simplify(expr - expr.expand())
    sp.integrate(3 * t**2 - 4 * t, t)
    sp.Matrix([t**2, sp.sin(t)]).jacobian([t])
    collect("lesson01.rule", np.sin)
    collect("lesson04.jacobian", sp.Matrix([[t, t**2]]))


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # Always the current sys.stderr: the cell's recorder, as in a kernel.
    import sys

    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _detach_terminal() -> None:
    """Point the child's standard file descriptors at /dev/null.

    Cell output is recorded at the Python level (``sys.stdout``/``sys.stderr``);
    what a notebook writes to the raw descriptors (``os.write(2, ...)``, a C
    library, a crash dump) must not reach the TA's terminal or log.
    """
    import faulthandler

    faulthandler.disable()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _fresh_process_state() -> None:
    """Undo what the zygote's own use of Python left behind (warning capture, RNG)."""
    warnings.resetwarnings()
    for action, category, module in reversed(DEFAULT_WARNING_FILTERS):
        warnings.filterwarnings(action, category=category, module=module)
    warnings.showwarning = _show_warning
    _fresh_randomness()


def _fresh_randomness() -> None:
    """Children of one zygote share its RNG state; reseed as a new process would be."""
    import random

    random.seed()
    try:
        import numpy as np

        np.random.seed(int.from_bytes(os.urandom(4), "little"))
    except ImportError:  # pragma: no cover
        pass
