"""A warm process that forks one fresh child per submission.

Importing NumPy, SciPy, SymPy, scikit-learn and matplotlib costs about a second;
a Jupyter kernel costs another second to start and stop. The warm process pays
both once: it imports the stack and builds an IPython shell, then forks a child
per submission. The child inherits the ready interpreter copy-on-write, runs
the notebook, sends the executed cells back through a pipe and exits, so
nothing one student does reaches another's run.

BLAS thread pools must not exist at fork time (a forked child can deadlock on
a lock held by a thread that did not survive the fork), so the warm process
pins them to one thread before NumPy is imported.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import tampering
from .sandbox import NOBODY, Limits, confine, will_drop_privileges

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")

#: Python's own default warning filters plus IPython's "show deprecations
#: caused by the user's code": what a fresh kernel starts with.
DEFAULT_WARNING_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # Always the current sys.stderr: the cell's recorder, as in a kernel.
    import sys

    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


#: Modules a lesson notebook is likely to import, loaded once before forking.
WARM_MODULES = (
    "numpy",
    "scipy.optimize",
    "scipy.integrate",
    "sympy",
    "sklearn.datasets",
    "sklearn.metrics",
    "sklearn.svm",
    "matplotlib.pyplot",
    "reference.grading",
    *(f"reference.grading.lesson0{i}" for i in range(1, 8)),
)

#: A child's result may not exceed this many bytes (outputs are capped earlier).
MAX_RESULT_BYTES = 64 * 1024 * 1024


@dataclass
class Job:
    """One submission to execute: plain data in."""

    key: str
    #: The notebook to run, or None when ``prepare`` builds it from ``raw``.
    notebook: dict | None
    cwd: str
    cell_timeout: float = 120.0
    wall_timeout: float = 600.0
    #: Overrides the pool's ``prepare_child`` for this job.
    prepare: Callable[[Job], dict] | None = None
    #: The submitted file's bytes, for ``prepare``.
    raw: bytes = b""


@dataclass
class Outcome:
    """One executed submission: plain data out."""

    key: str
    status: str  # "ok", "timeout", "crashed", "unrunnable"
    #: The job's notebook with the outputs of every cell that finished.
    notebook: dict | None
    seconds: float
    detail: str = ""
    peak_rss_kb: int = 0
    #: The sandbox layers that held in the child (empty when not sandboxed).
    sandbox: list[str] = field(default_factory=list)
    #: Grading machinery the notebook's code changed (see :mod:`.tampering`).
    tampering: list[str] = field(default_factory=list)


@dataclass
class _Running:
    job: Job
    pid: int
    fd: int
    started: float
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0


class WarmPool:
    """Execute notebooks in children forked from this warm process.

    >>> pool = WarmPool(workers=2)          # doctest: +SKIP
    >>> for outcome in pool.run(jobs): ...  # doctest: +SKIP
    """

    def __init__(
        self,
        workers: int = 2,
        prepare_child: Callable[[Job], dict] | None = None,
        warm_modules: Iterable[str] = WARM_MODULES,
        figures: bool = False,
        sandbox: Limits | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        #: Runs in the child before any student code: returns the notebook to run
        #: (nbgrader's sanitizing steps, done in parallel) or raises Unrunnable.
        self.prepare_child = prepare_child
        #: When set, each child is confined (see :mod:`.sandbox`) before student code runs.
        self.sandbox = sandbox
        self._shell = None
        self._warm(warm_modules, figures)

    def _warm(self, modules: Iterable[str], figures: bool) -> None:
        import importlib

        from .shell import make_shell

        self._shell = make_shell(figures)
        for name in modules:
            # A missing optional module is not fatal.
            with contextlib.suppress(Exception):
                importlib.import_module(name)
        with contextlib.suppress(Exception):
            exercise()
        # IPython initialises parts of itself on the first cells it runs; do
        # that here, then start counting executions at 1 as a fresh kernel does.
        for _ in range(2):
            self._shell.run_cell("_warm = 1\n_warm", store_history=True, silent=False)
        self._shell.reset(new_session=False)
        self._shell.execution_count = 1
        self._shell.recorder.outputs = []
        import gc

        gc.collect()
        # Keep what exists now out of the collector's sight, so children do not
        # copy every page of the parent by merely walking its objects.
        gc.freeze()

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Yield an :class:`Outcome` per job, in completion order."""
        pending = iter(jobs)
        running: dict[int, _Running] = {}
        exhausted = False
        while True:
            while not exhausted and len(running) < self.workers:
                job = next(pending, None)
                if job is None:
                    exhausted = True
                    break
                child = self._spawn(job)
                running[child.fd] = child
            if not running:
                return
            ready, _, _ = select.select(list(running), [], [], 0.05)
            for fd in ready:
                child = running[fd]
                data = os.read(fd, 1 << 20)
                if data and child.size + len(data) <= MAX_RESULT_BYTES:
                    child.chunks.append(data)
                    child.size += len(data)
                    continue
                if data:  # too much output: treat as a crash
                    os.kill(child.pid, signal.SIGKILL)
                    child.chunks = []
                del running[fd]
                yield self._finish(child)
            now = time.monotonic()
            for fd, child in list(running.items()):
                if now - child.started > child.job.wall_timeout:
                    os.kill(child.pid, signal.SIGKILL)
                    del running[fd]
                    yield self._finish(child, timed_out=True)

    def _spawn(self, job: Job) -> _Running:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never returns
            os.close(read_fd)
            self._child_main(job, write_fd)
        os.close(write_fd)
        return _Running(job=job, pid=pid, fd=read_fd, started=time.monotonic())

    def _child_main(self, job: Job, fd: int) -> None:
        """Run the notebook, streaming one JSON line per executed cell to ``fd``."""
        from .shell import run_notebook

        def send(message: dict) -> None:
            view = memoryview(json.dumps(message).encode() + b"\n")
            while view:
                view = view[os.write(fd, view) :]

        code = 0
        try:
            os.setpgid(0, 0)
            _detach_terminal()
            _fresh_process_state()
            prepare = job.prepare or self.prepare_child
            if prepare is not None:
                try:
                    job.notebook = prepare(job)
                except Exception as exc:  # noqa: BLE001 - the submission's fault, reported
                    send({"unrunnable": f"{type(exc).__name__}: {exc}"})
                    os._exit(0)
            held = []
            if self.sandbox is not None:
                if will_drop_privileges():  # the scratch folder must stay writable as nobody
                    os.chown(job.cwd, NOBODY, NOBODY)
                held = confine(Path(job.cwd), limits=self.sandbox)
            if prepare is not None or held:
                send({"start": job.notebook, "sandbox": held})
            os.chdir(job.cwd)
            before = tampering.snapshot(self._shell)
            run_notebook(
                job.notebook,
                self._shell,
                cell_timeout=job.cell_timeout,
                on_cell=lambda i, cell: send({"cell": i, "data": cell}),
            )
            found = tampering.changes(self._shell, before)
            send({"done": True, "tampering": found})
        except BaseException as exc:  # noqa: BLE001
            code = 1
            with contextlib.suppress(BaseException):
                send({"error": f"{type(exc).__name__}: {exc}"})
        finally:
            os._exit(code)

    def _finish(self, child: _Running, timed_out: bool = False) -> Outcome:
        seconds = time.monotonic() - child.started
        with contextlib.suppress(OSError):
            os.close(child.fd)
        _, status, usage = os.wait4(child.pid, 0)
        peak = int(usage.ru_maxrss)
        nb = child.job.notebook
        if nb is not None:  # never write into the caller's notebook
            nb = {**nb, "cells": list(nb.get("cells", []))}
        done, error, sandbox, tampered = False, "", [], []
        for line in b"".join(child.chunks).split(b"\n"):
            try:
                message = json.loads(line) if line.strip() else {}
            except ValueError:
                continue  # a torn last line from a killed child
            if "unrunnable" in message:
                return Outcome(
                    child.job.key, "unrunnable", nb, seconds, str(message["unrunnable"]), peak
                )
            if isinstance(message.get("start"), dict):
                nb = message["start"]
                sandbox = [str(x) for x in message.get("sandbox", [])][:10]
            if "cell" in message and isinstance(message.get("data"), dict):
                index = message["cell"]
                if isinstance(index, int) and 0 <= index < len(nb["cells"]):
                    nb["cells"][index] = message["data"]
            if message.get("done") is True:
                done = True
                tampered = [str(x)[:200] for x in message.get("tampering", [])][:20]
            error = message.get("error", error)
        if timed_out:
            return Outcome(child.job.key, "timeout", nb, seconds, "wall time limit", peak, sandbox)
        if done:
            return Outcome(child.job.key, "ok", nb, seconds, "", peak, sandbox, tampered)
        detail = error or _describe_status(status)
        return Outcome(child.job.key, "crashed", nb, seconds, detail, peak, sandbox)


def exercise() -> None:
    """Run once what every submission would otherwise initialise lazily.

    Rendering a first figure, SymPy's first simplification and lambdify, the
    checks' first calls: each costs tens of milliseconds the first time in a
    process. Done here, children inherit the result. Only made-up inputs are
    used, never a lesson's answers.
    """
    import io

    import matplotlib.pyplot as plt
    import numpy as np
    import sympy as sp

    from reference.checks import check_array, check_figure, figure_data
    from reference.checks.functions import check_function
    from reference.checks.symbolic import check_expression

    fig, ax = plt.subplots()
    ax.plot([0.0, 1.0, 2.0], [1.0, 0.0, 1.0], label="warm")
    ax.quiver([0.0], [0.0], [1.0], [1.0])
    ax.set_title("warm")
    ax.legend()
    fig.savefig(io.BytesIO(), format="png")
    data = figure_data(fig)
    plt.close(fig)
    check_figure(data, {"min_lines": 1, "legend": True})
    t = sp.Symbol("t")
    expr = sp.diff(sp.exp(-t) * t**3 / (1 + t**2), t)
    sp.lambdify(t, expr, "numpy")(np.linspace(0.1, 1.0, 4))
    sp.simplify(expr - expr.expand())
    sp.integrate(3 * t**2 - 4 * t, t)
    sp.Matrix([t**2, sp.sin(t)]).jacobian([t])
    check_expression("2*t + t^2", "t*(t + 2)", variables=("t",))
    check_function(np.sin, np.sin, domain=(0.0, 1.0), n_points=5)
    check_array([1.0, 2.0], np.array([1.0, 2.0]))


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
    """Undo what the parent's own use of Python left behind (warning capture, RNG)."""
    warnings.resetwarnings()
    for action, category, module in reversed(DEFAULT_WARNING_FILTERS):
        warnings.filterwarnings(action, category=category, module=module)
    warnings.showwarning = _show_warning
    _fresh_randomness()


def _fresh_randomness() -> None:
    """Children of one parent share its RNG state; reseed as a new process would be."""
    import random

    random.seed()
    try:
        import numpy as np

        np.random.seed(int.from_bytes(os.urandom(4), "little"))
    except ImportError:  # pragma: no cover
        pass


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"the notebook's process was killed by {name}"
    return f"the notebook's process exited with status {os.WEXITSTATUS(status)} before finishing"
