"""Guards that make a check safe to call on anything a student hands in.

A check must never raise and never write to stderr: nbgrader marks a test cell
that writes to stderr as failed, and an exception would show a traceback that
may quote the hidden test. :func:`answer_check` enforces both.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from .result import CheckResult, register_note
from .tolerance import OptionError

F = TypeVar("F", bound=Callable[..., CheckResult])

register_note("timeout", "The student's code or answer took too long to evaluate.")
register_note("student-error", "The student's code raised an exception when called.")

MISSING = (None, Ellipsis, NotImplemented)


@contextlib.contextmanager
def quiet():
    """Silence warnings, NumPy floating-point chatter and stderr."""
    with (
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        yield


def answer_check(func: F) -> F:
    """Decorate a check so it never raises and never writes to stderr.

    Any exception inside the check becomes a zero score with the note
    ``check-error`` and a message that does not reveal the expected answer.
    A call the check's signature does not allow (an unknown option such as
    ``rtoll=``) is the caller's mistake, not the student's: it raises.
    """
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> CheckResult:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{func.__name__}: {exc}") from None
        try:
            with quiet():
                result = func(*args, **kwargs)
            if not isinstance(result, CheckResult):
                raise TypeError(f"{func.__name__} returned {type(result).__name__}")
            return result
        except TimeLimitExceeded:
            return CheckResult(0.0, "Evaluating your answer took too long.", "timeout")
        except OptionError:
            raise  # the instructor's slip, not the student's answer
        except Exception as exc:  # noqa: BLE001 - a check must never raise
            return CheckResult(
                0.0,
                f"Your answer could not be checked ({type(exc).__name__}). "
                "Check that it has the requested form; if it does, tell your TA.",
                "check-error",
            )

    return wrapper  # type: ignore[return-value]


class TimeLimitExceeded(Exception):
    """Raised inside code that ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt Python code that runs longer than ``seconds``.

    Uses a repeating SIGALRM timer, so student code that swallows the first
    exception in a loop is interrupted again. Works only in the main thread;
    elsewhere it is a no-op (hard limits then come from running in a child
    process, see :func:`run_in_child`).
    """
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def _raise(signum, frame):
        raise TimeLimitExceeded(f"time limit of {seconds} s exceeded")

    # An enclosing limit (a cell's timeout, a judge's) keeps running: it is
    # re-armed on exit with what is left of it, and fires at once if it expired.
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer_left > 0:
            left = max(outer_left - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


def run_in_child(func: Callable[..., Any], *args: Any, timeout: float = 5.0) -> Any:
    """Run ``func(*args)`` in a forked child and return its result.

    A hard limit: the child is killed after ``timeout`` seconds even if it is
    stuck in C code (a huge integer power in SymPy, say). Raises
    :class:`TimeLimitExceeded` on timeout and re-raises the child's exception
    type as ``RuntimeError`` otherwise. The result must be picklable; only our
    own code runs in the child, never student text.
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent_end, child_end = ctx.Pipe(duplex=False)

    def _target() -> None:
        try:
            with quiet():
                child_end.send(("ok", func(*args)))
        except BaseException as exc:  # noqa: BLE001
            child_end.send(("err", f"{type(exc).__name__}: {exc}"))
        finally:
            os._exit(0)

    proc = ctx.Process(target=_target, daemon=True)
    with quiet():
        proc.start()
    child_end.close()
    try:
        if not parent_end.poll(timeout):
            raise TimeLimitExceeded(f"child exceeded {timeout} s")
        status, value = parent_end.recv()
    except EOFError as exc:
        raise RuntimeError("child died without a result") from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent_end.close()
    if status == "err":
        raise RuntimeError(value)
    return value


def is_missing(answer: Any) -> bool:
    """True for the placeholders a blank notebook leaves behind."""
    return any(answer is m for m in MISSING)
