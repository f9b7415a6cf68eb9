"""The zygote: a warm interpreter that never holds the solutions, forking a child per submission.

Importing NumPy, SciPy, SymPy, scikit-learn and matplotlib costs about a second
and a Jupyter kernel another second to start and stop. The zygote pays both
once: it is started as a fresh interpreter (``python -m
autograder.execute.zygote``), imports the stack, builds an IPython shell and
then forks one child per submission, which inherits all of it copy-on-write.

It is a separate program, not a fork of the grader, because a forked child
holds every byte of its parent's memory: the grader has imported the
reference solutions to judge answers, the zygote never does. It holds only
:mod:`reference.answers` (which collects answers and knows no solution), and
``reference.grading`` in it is the stand-in whose ``grade`` only hands answers
in. It refuses to serve if a solution module was loaded anyway.

Protocol, over one ``SOCK_SEQPACKET`` socket to the grader (JSON messages):

* grader -> zygote ``{"run": key}`` with two file descriptors: a memfd holding
  the pickled :class:`~autograder.execute.child.Job` (the grader is trusted)
  and the write end of the pipe the child streams its results into;
* zygote -> grader ``{"started": key, "pid": pid}``, and later
  ``{"exited": pid, "status": status, "peak_rss_kb": kb}``;
* grader -> zygote ``{"kill": pid}`` (wall time limit); closing the socket ends
  the zygote and every child it still has.
"""

from __future__ import annotations

import json
import os
import pickle
import select
import signal
import socket
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .child import FigureLimits

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    # BLAS thread pools must not exist at fork time: a forked child can deadlock
    # on a lock held by a thread that did not survive the fork.
    os.environ.setdefault(_var, "1")
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")

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
    "reference.answers",
    "calcml_tasks",
)

#: Modules that hold solutions or judges: never in a process that runs student code.
SECRET_PREFIXES = ("reference.lessons", "reference.grading.")
MAX_MESSAGE = 65536


def secrets_loaded() -> list[str]:
    """Solution or judging modules present in this process."""
    real_grading = sys.modules.get("reference.grading")
    found = [m for m in sys.modules if m.startswith(SECRET_PREFIXES)]
    if real_grading is not None and hasattr(real_grading, "REGISTRY"):
        found.append("reference.grading")
    return sorted(found)


def warm(modules: tuple[str, ...], figures: FigureLimits | bool | None):
    """Import and initialise what every child needs; returns the shell.

    ``figures``: the bounds figures are drawn under in the children (see
    :class:`~.child.FigureLimits`), or None (or False) not to draw them.
    """
    import contextlib
    import gc
    import importlib

    import reference.answers

    from .child import exercise
    from .shell import make_shell

    # The hidden tests' ``from reference.grading import grade`` finds the stand-in.
    sys.modules["reference.grading"] = reference.answers.kernel_module()
    sys.modules["reference"].grading = sys.modules["reference.grading"]
    shell = make_shell(figures)
    for name in modules:
        # A missing optional module is not fatal.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    reference.answers.warm()
    import calcml_tasks

    calcml_tasks.warm()  # every lesson's task, so a confined child needs no disk for it
    exercise(bool(figures))
    # IPython initialises parts of itself on the first cells it runs; do
    # that here, then start counting executions at 1 as a fresh kernel does.
    # The failing cell matters most: formatting a traceback makes ``inspect``
    # map every loaded module to its file (thousands of ``realpath`` calls),
    # which each child would otherwise redo for its first error.
    for _ in range(2):
        shell.run_cell("_warm = 1\n_warm", store_history=True, silent=False)
        shell.run_cell("raise ValueError('warm')", store_history=True, silent=False)
    shell.reset(new_session=False)
    shell.execution_count = 1
    shell.recorder.outputs = []
    gc.collect()
    # Keep what exists now out of the collector's sight, so children do not
    # copy every page of the zygote by merely walking its objects.
    gc.freeze()
    return shell


def _send(sock: socket.socket, message: dict) -> None:
    sock.send(json.dumps(message).encode())


def serve(sock: socket.socket, shell, sandbox) -> None:
    """Fork a child per request until the grader closes the socket."""
    from .child import Job, run_child

    children: set[int] = set()
    try:
        while True:
            ready, _, _ = select.select([sock], [], [], 0.005 if children else None)
            _reap(sock, children)
            if not ready:
                continue
            try:
                raw, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, 2)
            except (ConnectionError, OSError):
                return
            if not raw:
                return  # the grader is gone
            message = json.loads(raw)
            if "kill" in message:
                pid = int(message["kill"])
                if pid in children:
                    _kill(pid)
                continue
            if len(fds) != 2:
                # Descriptors lost on the way (a limit the zygote should not
                # have): it is unsound; the grader starts a new one.
                for fd in fds:
                    os.close(fd)
                return
            job_fd, result_fd = fds
            pid = os.fork()
            if pid == 0:  # the child: never returns
                sock.close()
                try:  # read here, not in the zygote: every page it writes is copied
                    with os.fdopen(job_fd, "rb") as f:
                        job: Job = pickle.load(f)
                except BaseException:  # noqa: BLE001 - reported as a crash by the grader
                    os._exit(1)
                run_child(job, result_fd, shell, sandbox)
            os.close(job_fd)
            os.close(result_fd)
            children.add(pid)
            _send(sock, {"started": message["run"], "pid": pid})
    finally:
        for pid in children:
            _kill(pid)


def _kill(pid: int) -> None:
    # The child leads its own process group; anything it started goes too.
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            continue


def _reap(sock: socket.socket, children: set[int]) -> None:
    while children:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        _send(sock, {"exited": pid, "status": status, "peak_rss_kb": int(usage.ru_maxrss)})


def main(argv: list[str]) -> int:
    settings = json.loads(argv[1])
    sock = socket.socket(fileno=int(argv[0]))
    from .sandbox import Limits

    sandbox = Limits(**settings["sandbox"]) if settings.get("sandbox") is not None else None
    from .child import FigureLimits

    figures = FigureLimits(**settings["figures"]) if settings.get("figures") else None
    shell = warm(tuple(settings.get("warm_modules", WARM_MODULES)), figures)
    if sandbox is not None:
        from .sandbox import warm as warm_sandbox

        warm_sandbox()
    leaked = secrets_loaded()
    if leaked:
        _send(sock, {"refused": f"solution modules were loaded: {', '.join(leaked)}"})
        return 1
    _send(sock, {"ready": os.getpid()})
    serve(sock, shell, sandbox)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
