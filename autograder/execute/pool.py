"""Run submissions in children of a warm zygote, and read what they stream back.

:class:`WarmPool` starts the zygote (:mod:`.zygote`), hands it one job at a
time per free worker and reads each child's result pipe. Everything a child
sends after its first message was written by a process that ran student code,
so it is read defensively: the notebook's cells are the job's own, the first
message (sent before any student code) only says which sandbox layers held,
later messages may only fill in the outputs and execution counts of the
cells, sizes are capped, and a child that runs past its wall time is killed.

>>> pool = WarmPool(workers=2)          # doctest: +SKIP
>>> for outcome in pool.run(jobs): ...  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pickle
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from .child import FigureLimits, Job, figure_limits
from .messages import apply_cell
from .messages import read as read_messages
from .processes import describe_status, process_state, zygote_environment
from .sandbox import Limits
from .zygote import MAX_MESSAGE, WARM_MODULES

__all__ = ["Job", "Outcome", "WarmPool", "ZygoteError"]

#: A child's result may not exceed this many bytes (outputs are capped earlier).
MAX_RESULT_BYTES = 64 * 1024 * 1024
#: How long the zygote may take to import the science stack.
START_TIMEOUT = 180.0


class ZygoteError(RuntimeError):
    """The warm process could not start or refused to serve."""


@dataclass
class Outcome:
    """One executed submission: plain data out."""

    key: str
    status: str  # "ok", "timeout", "crashed"
    #: The job's notebook with the outputs of every cell that finished.
    notebook: dict
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
    fd: int
    started: float
    pid: int | None = None
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    eof: bool = False
    timed_out: bool = False
    overflow: bool = False
    #: (wait status, peak RSS in kB) once the zygote reaped the child.
    exit: tuple[int, int] | None = None
    #: Run alone, after the zygote died while it ran beside others: if the
    #: zygote dies again now, this job did it.
    solo: bool = False


class WarmPool:
    """Execute notebooks in children forked from a warm zygote process.

    The zygote starts warming up at construction; :meth:`run` waits for it,
    so the caller can do its own start-up work in the meantime.
    """

    def __init__(
        self,
        workers: int = 2,
        warm_modules: Iterable[str] = WARM_MODULES,
        figures: bool | FigureLimits = True,
        sandbox: Limits | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        #: When set, each child is confined (see :mod:`.sandbox`) before student code runs.
        self.sandbox = sandbox
        #: The bounds figures are drawn as images under (True: the defaults), or
        #: None: not drawn, which grading never needs (see :class:`.child.FigureLimits`).
        self.figures = figure_limits(figures)
        self._settings = {
            "warm_modules": list(warm_modules),
            "figures": asdict(self.figures) if self.figures is not None else None,
            "sandbox": asdict(sandbox) if sandbox is not None else None,
        }
        self._proc: subprocess.Popen | None = None
        self._sock: socket.socket | None = None
        #: The zygote's limits, priority and affinity when it became ready.
        self._state: tuple | None = None
        self._start()

    # -- the zygote --------------------------------------------------------------------

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "autograder.execute.zygote",
                str(theirs.fileno()),
                json.dumps(self._settings),
            ],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=zygote_environment(),
        )
        theirs.close()
        self._sock = ours
        self._ready = False

    def _wait_ready(self, timeout: float = START_TIMEOUT) -> bool:
        """Wait up to ``timeout`` for the zygote's warm-up; False if it is still warming."""
        if self._ready:
            return True
        ready, _, _ = select.select([self._sock], [], [], timeout)
        if not ready and timeout < START_TIMEOUT:
            return False
        message = self._receive() if ready else {}
        self._ready = "ready" in message
        if not self._ready:
            self.close()
            reason = message.get("refused") or "it exited or did not answer"
            raise ZygoteError(f"the grading process could not start: {reason}")
        self._state = process_state(self._proc.pid)
        return True

    def wait_ready(self) -> None:
        """Block until the zygote is warm (a :class:`ZygoteError` if it cannot start)."""
        self._wait_ready()

    def _sound(self) -> bool:
        """Whether the zygote is as it was when it became ready (no child poisoned it).

        A child that lowered the zygote's limits or priority would harm every
        student forked after it; the sandbox forbids it, this makes sure.
        """
        return self._state is not None and process_state(self._proc.pid) == self._state

    def _receive(self, flags: int = 0) -> dict:
        """One message; {} when the zygote is gone (BlockingIOError if none is waiting)."""
        try:
            raw = self._sock.recv(MAX_MESSAGE, flags)
        except BlockingIOError:
            raise
        except OSError:
            raw = b""
        return json.loads(raw) if raw else {}

    def _send(self, message: dict, fds: list[int] | None = None) -> None:
        data = json.dumps(message).encode()
        if fds:
            socket.send_fds(self._sock, [data], fds)
        else:
            self._sock.send(data)

    def close(self) -> None:
        """End the zygote (and any child it still has)."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def __enter__(self) -> WarmPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- running jobs ------------------------------------------------------------------

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Yield an :class:`Outcome` per job, in completion order."""
        pending = iter(jobs)
        # While the zygote warms up, draw jobs: whatever work the caller does
        # to make them (reading, sanitizing) overlaps the warm-up.
        early: list[Job] = []
        while not self._wait_ready(timeout=0):
            job = next(pending, None)
            if job is None:
                break
            early.append(job)
        self._wait_ready()
        pending = itertools.chain(early, pending)
        running: dict[int, _Running] = {}  # by result pipe
        #: Jobs that were running when the zygote died: each runs again, alone.
        suspects: list[Job] = []
        exhausted = False

        def fill() -> bool:
            """Start children until every worker is busy or no job is left.

            False when the zygote is unsound: it must be restarted first.
            """
            nonlocal exhausted, pending
            while len(running) < self.workers and not any(c.solo for c in running.values()):
                solo = bool(suspects)
                if solo and running:
                    return True
                job = suspects[0] if solo else next(pending, None)
                if job is None:
                    exhausted = True
                    return True
                if not self._sound():
                    if not solo:
                        pending = itertools.chain([job], pending)
                    return False
                if solo:
                    suspects.pop(0)
                child = self._spawn(job)
                child.solo = solo
                running[child.fd] = child
            return True

        while True:
            if not fill():
                yield from self._restart(running, suspects)
                continue
            if not running:
                return
            reading = [fd for fd, c in running.items() if not c.eof]
            ready, _, _ = select.select([*reading, self._sock], [], [], 0.05)
            if self._sock in ready and not self._on_zygote(running):
                yield from self._restart(running, suspects)
                continue
            for fd in ready:
                if fd in running:
                    self._read(running[fd])
            now = time.monotonic()
            finished = []
            for fd, child in list(running.items()):
                if child.exit is not None:
                    self._drain(child)
                    del running[fd]
                    finished.append(self._finish(child))
                elif (
                    not child.timed_out
                    and child.pid is not None
                    and now - child.started > child.job.wall_timeout
                ):
                    child.timed_out = True
                    self._send({"kill": child.pid})
            # Start the next children before handing results over: the caller
            # judges and records while they run.
            if finished and not fill():
                yield from finished
                yield from self._restart(running, suspects)
                continue
            yield from finished

    def _spawn(self, job: Job) -> _Running:
        job_fd = os.memfd_create("job", os.MFD_CLOEXEC)
        os.write(job_fd, pickle.dumps(job))  # the zygote trusts the grader, not the reverse
        os.lseek(job_fd, 0, os.SEEK_SET)
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        try:
            self._send({"run": job.key}, [job_fd, write_fd])
        finally:
            os.close(job_fd)
            os.close(write_fd)
        # Its pid arrives later, in a "started" message read by the main loop.
        return _Running(job=job, fd=read_fd, started=time.monotonic())

    def _on_zygote(self, running: dict[int, _Running]) -> bool:
        """Handle every message the zygote has sent; False when it is gone."""
        message = self._receive()
        while message:
            if "started" in message:
                for child in running.values():
                    if child.job.key == message["started"] and child.pid is None:
                        child.pid = int(message["pid"])
                        break
            elif "exited" in message:
                for child in running.values():
                    if child.pid == message["exited"]:
                        child.exit = (int(message["status"]), int(message["peak_rss_kb"]))
            try:
                message = self._receive(socket.MSG_DONTWAIT)
            except BlockingIOError:
                return True
        return False

    def _restart(self, running: dict[int, _Running], suspects: list[Job]) -> Iterator[Outcome]:
        """Start a new zygote after the old one died or became unsound.

        Its running jobs were cut short through no fault of their own, unless
        one of them did it: each is run again, alone. A job that was already
        alone when it happened is the cause, and is reported as crashed.
        """
        for fd, child in list(running.items()):
            self._drain(child)
            del running[fd]
            if not child.solo:
                suspects.append(child.job)
                continue
            child.exit = child.exit or (signal.SIGKILL, 0)
            child.chunks.append(b'\n{"error": "the grading process died"}\n')
            yield self._finish(child)
        self.close()
        self._start()
        self._wait_ready()

    def _read(self, child: _Running) -> None:
        while True:
            try:
                data = os.read(child.fd, 1 << 20)
            except BlockingIOError:
                return
            if not data:
                child.eof = True
                return
            if child.size + len(data) > MAX_RESULT_BYTES:
                child.overflow = True
                child.eof = True
                if child.pid is not None and not child.timed_out:
                    self._send({"kill": child.pid})
                return
            child.chunks.append(data)
            child.size += len(data)

    def _drain(self, child: _Running) -> None:
        """Read what is left in the pipe of a child that has exited, then close it."""
        if not child.eof:
            self._read(child)
        with contextlib.suppress(OSError):
            os.close(child.fd)

    def _finish(self, child: _Running) -> Outcome:
        seconds = time.monotonic() - child.started
        status, peak = child.exit or (0, 0)
        key = child.job.key
        nb = child.job.notebook
        parsed = read_messages(b"" if child.overflow else b"".join(child.chunks))
        messages = parsed.items
        first = messages[0] if messages else {}
        sandbox: list[str] = []
        if first.get("start") is True:
            sandbox = first["sandbox"]
            messages = messages[1:]
        # Never write into the caller's notebook.
        nb = {**nb, "cells": [dict(c) for c in nb.get("cells", [])]}
        done, error, tampered = False, "", []
        filled: set[int] = set()
        for message in messages:
            apply_cell(nb, message, filled)
            if message.get("done") is True:
                done = True
                tampered = message["tampering"]
            if "error" in message:
                error = message["error"]
        if parsed.rejected:
            tampered = [
                *tampered,
                f"the notebook's process sent {parsed.rejected} malformed result message(s)",
            ]
        if child.timed_out:
            return Outcome(key, "timeout", nb, seconds, "wall time limit", peak, sandbox)
        if child.overflow:
            detail = f"the notebook sent more than {MAX_RESULT_BYTES // 2**20} MiB of output"
            return Outcome(key, "crashed", nb, seconds, detail, peak, sandbox)
        if done and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            return Outcome(key, "ok", nb, seconds, "", peak, sandbox, tampered)
        detail = error or describe_status(status)
        return Outcome(key, "crashed", nb, seconds, detail, peak, sandbox, tampered)
