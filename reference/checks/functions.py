"""Checks for functions of one real variable, by sampling.

:func:`sample_function` turns a student's callable into plain data (points,
values, error messages) under a time limit, so the comparison can run in
another process; :func:`check_function` compares samples with the expected
function's, skipping points where the expected answer is undefined.

Only the judge chooses where functions are compared: samples handed in by a
student's process must have been taken exactly at those points, or the answer
scores 0 with the note ``tampered`` (the student's code could have moved them).
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .misconceptions import check_credit, diagnose
from .numeric import WRONG_TYPE, _convert, _Reject, cap, fmt, split_options
from .pictures import curve_picture
from .result import TAMPERED, CheckResult, correct, register_note, wrong
from .safety import TimeLimitExceeded, answer_check, is_missing, quiet, time_limit

UNDEFINED = register_note(
    "student-undefined",
    "The student's function raises or is not finite where the answer is defined.",
)

#: Error prefixes recorded by :func:`sample_function`.
TIMEOUT_ERROR = "TimeLimitExceeded"
BAD_RETURN = "BadReturn"
#: A value that is NaN or infinite: JSON has no such numbers, so it travels as this error.
NOT_FINITE = "NotFinite"

#: The feedback for samples taken elsewhere than the judge chose.
OTHER_INPUTS = "Your answer was computed at other inputs than the grader chose; it was not graded."

Samples = dict[str, Any]
Domain = tuple[float, float] | Sequence[tuple[float, float]]


def _error_text(exc: BaseException) -> str:
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001 - a student exception with a broken __str__
        message = ""
    message = " ".join(message.split())[:160]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _call(func: Callable, arg: Any, seconds: float) -> tuple[np.ndarray | None, str | None]:
    """Call ``func(arg)`` and convert the result; return ``(values, error)``."""
    if seconds <= 0:
        return None, f"{TIMEOUT_ERROR}: skipped, the time budget was used up"
    try:
        with time_limit(seconds), contextlib.redirect_stdout(io.StringIO()):
            out = func(arg)
            if out is None:
                return None, f"{BAD_RETURN}: returned None (is a return statement missing?)"
            try:
                return _convert(out), None
            except _Reject as rej:
                return None, f"{BAD_RETURN}: the value returned {rej.why}"
    except TimeLimitExceeded:
        return None, f"{TIMEOUT_ERROR}: took longer than {seconds:.3g} s"
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - student code may raise anything
        return None, _error_text(exc)


def _agree(a: float, b: float) -> bool:
    if np.isnan(a) or np.isnan(b):
        return bool(np.isnan(a) and np.isnan(b))
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-300


def sample_function(
    func: Callable[[Any], Any],
    points: Any,
    *,
    timeout: float = 1.0,
    budget: float | None = None,
) -> Samples:
    """Evaluate ``func`` at ``points`` and return plain data.

    Tries one vectorised call on the whole array first and falls back to one
    call per point with Python floats. Each call runs under ``timeout``
    seconds and all calls together under ``budget`` (default ``3 * timeout``);
    after a timeout the remaining points are skipped. Exceptions are recorded
    as ``"TypeName: message"``, never raised.

    >>> s = sample_function(lambda x: x**2, [1.0, 2.0])
    >>> s["values"], s["vectorized"]
    ([1.0, 4.0], True)
    >>> import math
    >>> sample_function(math.log, [-1.0, 1.0])["errors"]
    ['ValueError: math domain error', None]
    """
    xs = np.asarray(points, dtype=float).reshape(-1)
    n = xs.size
    values: list[float | None] = [None] * n
    errors: list[str | None] = [None] * n
    result: Samples = {"points": xs.tolist(), "values": values, "errors": errors}
    deadline = time.monotonic() + (3.0 * timeout if budget is None else budget)

    def left() -> float:
        return min(timeout, deadline - time.monotonic())

    if not callable(func):
        errors[:] = [f"TypeError: a {type(func).__name__} is not a function"] * n
        result["vectorized"] = False
        return result

    with quiet():
        vec, _ = _call(func, xs.copy(), left())
        if vec is not None and vec.shape == xs.shape and n > 0:
            # Spot-check a few points one by one: a non-elementwise function
            # (``x / len(x)``, say) returns the right shape but wrong values.
            trusted = True
            for i in sorted({0, n // 2, n - 1}):
                one, err = _call(func, float(xs[i]), left())
                if err is not None and err.startswith(TIMEOUT_ERROR):
                    break
                if (
                    one is not None
                    and one.size == 1
                    and not _agree(float(one.reshape(-1)[0]), vec[i])
                ):
                    trusted = False
                    break
            if trusted:
                values[:] = [float(v) for v in vec]
                result["vectorized"] = True
                return _plain_numbers(result)
        timed_out = False
        for i, x in enumerate(xs):
            if timed_out:
                errors[i] = f"{TIMEOUT_ERROR}: skipped after an earlier timeout"
                continue
            one, err = _call(func, float(x), left())
            if err is None and one is not None and one.size != 1:
                err = f"{BAD_RETURN}: returned {one.size} numbers for one x"
            if err is not None:
                errors[i] = err
                timed_out = err.startswith(TIMEOUT_ERROR)
                continue
            values[i] = float(one.reshape(-1)[0])
        constant = (
            vec is not None
            and vec.size == 1
            and n > 0
            and all(v is not None and _agree(v, float(vec.reshape(-1)[0])) for v in values)
        )
        result["vectorized"] = bool(constant)
    return _plain_numbers(result)


def _plain_numbers(samples: Samples) -> Samples:
    """Move NaN and infinite values into the errors: the samples must be plain JSON."""
    for i, v in enumerate(samples["values"]):
        if v is not None and not np.isfinite(v):
            samples["values"][i] = None
            samples["errors"][i] = f"{NOT_FINITE}: {'NaN' if np.isnan(v) else 'infinity'}"
    return samples


def sample_points(domain: Domain = (-2.0, 2.0), n_points: int = 40, seed: int = 0) -> np.ndarray:
    """Seeded random points in ``domain`` plus the quartiles of each interval.

    ``domain`` is one interval ``(lo, hi)`` or a list of intervals; endpoints
    are never sampled.

    >>> p = sample_points((0.0, 1.0), n_points=5)
    >>> len(p), bool(p.min() > 0), bool(p.max() < 1)
    (8, True, True)
    """
    arr = np.asarray(domain, dtype=float)
    intervals = arr.reshape(1, 2) if arr.shape == (2,) else arr.reshape(-1, 2)
    if np.any(intervals[:, 1] <= intervals[:, 0]):
        raise ValueError("each domain interval needs lo < hi")
    lengths = intervals[:, 1] - intervals[:, 0]
    rng = np.random.default_rng(seed)
    which = rng.choice(len(intervals), size=int(n_points), p=lengths / lengths.sum())
    u = rng.uniform(0.02, 0.98, size=int(n_points))
    random = intervals[which, 0] + u * lengths[which]
    fixed = (intervals[:, :1] + np.array([0.25, 0.5, 0.75]) * lengths[:, None]).reshape(-1)
    return np.unique(np.concatenate([fixed, random]))


def computed_elsewhere() -> CheckResult:
    """The verdict on an answer computed at inputs the grader did not choose."""
    return wrong(OTHER_INPUTS, TAMPERED)


def _trusted_points(
    expected: Any, points: Sequence[float] | None, domain: Domain, n_points: int, seed: int
) -> np.ndarray:
    """Where to compare: ``points``, else where ``expected`` was sampled, else seeded points.

    Never where a student's samples were taken: those must match these.
    """
    if points is not None:
        return np.asarray(points, dtype=float).reshape(-1)
    if isinstance(expected, Mapping):
        return np.asarray(expected["points"], dtype=float).reshape(-1)
    return sample_points(domain, n_points, seed)


def _student_samples(obj: Mapping, pts: np.ndarray) -> Samples | None:
    """A student's samples if well formed and taken exactly at ``pts``, else None."""
    try:
        got = np.asarray(obj["points"], dtype=float)
        values = list(obj["values"])
        errors = obj.get("errors")
        errors = [None] * len(values) if errors is None else list(errors)
    except (KeyError, TypeError, ValueError):
        return None
    if got.shape != pts.shape or not np.array_equal(got, pts):
        return None
    if len(values) != pts.size or len(errors) != pts.size:
        return None
    number = (int, float)
    if not all(v is None or isinstance(v, number) and not isinstance(v, bool) for v in values):
        return None
    if not all(e is None or isinstance(e, str) for e in errors):
        return None
    return {"points": pts.tolist(), "values": values, "errors": errors}


def _as_samples(obj: Any, points: np.ndarray | None, timeout: float) -> Samples:
    """Trusted samples (the judge's) or a callable sampled at ``points``."""
    if isinstance(obj, Mapping):
        if not {"points", "values"} <= set(obj):
            raise ValueError("a samples dict needs 'points' and 'values'")
        pts = np.asarray(obj["points"], dtype=float)
        if points is not None and not np.array_equal(pts, points):
            raise ValueError("samples were taken at different points")
        n = pts.size
        errors = list(obj.get("errors") or [None] * n)
        if len(obj["values"]) != n or len(errors) != n:
            raise ValueError("samples dict has inconsistent lengths")
        return {"points": pts.tolist(), "values": list(obj["values"]), "errors": errors}
    if points is None:
        raise ValueError("no sample points")
    return sample_function(obj, points, timeout=timeout)


def _related_values(func: Any, pts: np.ndarray, timeout: float) -> np.ndarray:
    """Values of a trusted related function (a list of them: one row each)."""
    if isinstance(func, list | tuple):
        return np.array([_related_values(f, pts, timeout) for f in func])
    return _floats(_as_samples(func, pts, max(timeout, 2.0)))


def _floats(samples: Samples) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in samples["values"]], dtype=float)


def _x(points: np.ndarray, i: int) -> str:
    return fmt(points[i])


def _failure_result(
    kind_errors: list[str | None], vals: np.ndarray, fail: np.ndarray, pts: np.ndarray, name: str
) -> CheckResult:
    """Explain why the student's function fails where the answer is defined."""
    idx = np.flatnonzero(fail)
    errs = [kind_errors[i] for i in idx]
    everywhere = len(idx) == len(fail) or bool(fail.all())
    timeouts = [i for i, e in zip(idx, errs, strict=True) if e and e.startswith(TIMEOUT_ERROR)]
    if timeouts:
        i = timeouts[0]
        return wrong(
            f"{cap(name)} took too long at x = {_x(pts, i)}: look for an infinite loop "
            "or a very slow computation.",
            "timeout",
        )
    first = idx[0]
    err = kind_errors[first]
    where = "at every sample point" if everywhere else f"at {len(idx)} of {len(fail)} points"
    if err is None or err.startswith(NOT_FINITE):
        what = err.split(": ", 1)[1] if err else "NaN" if np.isnan(vals[first]) else "infinity"
        return wrong(
            f"{cap(name)} returns {what} at x = {_x(pts, first)} ({where}), where the "
            "answer is defined. Look for a division by zero, a log of a non-positive "
            "number or an overflow.",
            UNDEFINED,
        )
    if err.startswith(BAD_RETURN):
        detail = err.split(": ", 1)[1]
        return wrong(
            f"{cap(name)} must return a number, but at x = {_x(pts, first)} {detail}.", WRONG_TYPE
        )
    if everywhere and all(e and e.startswith("NotImplementedError") for e in errs):
        return wrong(
            f"{cap(name)} is not implemented yet (it raises NotImplementedError).", "missing"
        )
    if everywhere:
        return wrong(
            f"{cap(name)} raised {err} at x = {_x(pts, first)} and at every other sample point.",
            "student-error",
        )
    return wrong(
        f"{cap(name)} fails at x = {_x(pts, first)} with {err} ({where}), where the answer "
        "is defined.",
        UNDEFINED,
    )


@answer_check
def check_function(
    student: Any,
    expected: Any,
    *,
    domain: Domain = (-2.0, 2.0),
    n_points: int = 40,
    seed: int = 0,
    points: Sequence[float] | None = None,
    related: Mapping[str, Any] | None = None,
    timeout: float = 1.0,
    reveal: bool = False,
    name: str = "your function",
    credit: Mapping[str, float] | None = None,
    **options: float,
) -> CheckResult:
    """Compare a student's function of one variable with the expected one.

    ``student`` is a callable or a samples dict from :func:`sample_function`;
    ``expected`` is a (preferably vectorised) callable or a samples dict.
    Points where the expected value is NaN/inf or raises are skipped.

    The comparison points are ``points`` if given, else those of ``expected``'s
    samples, else ``sample_points(domain, n_points, seed)``: always the
    judge's choice. A student's samples dict taken anywhere else (or not
    well formed) scores 0 with the note ``tampered``.

    ``related`` maps "antiderivative", "derivative", "original",
    "second_derivative" or "no_inner" to callables, and "terms" to a list of
    callables (the terms of the answer), for the misconception detectors;
    ``credit`` overrides their partial credit per note. Options: ``rtol``,
    ``atol``, ``zero_level``, ``zero_tol``.

    >>> sig = lambda x: 1 / (1 + np.exp(-x))
    >>> check_function(lambda x: sig(x) * (1 - sig(x)), lambda x: np.exp(-x) * sig(x) ** 2).note
    'correct'
    >>> check_function(lambda x: 2 * sig(x) * (1 - sig(x)), lambda x: sig(x) * (1 - sig(x))).note
    'constant-factor'
    """
    tol = split_options(options, check="check_function")
    credit = check_credit(credit)
    if is_missing(student):
        return wrong(f"{cap(name)} is missing: define the function.", "missing")
    if not callable(student) and not isinstance(student, Mapping):
        hint = (
            " (for a SymPy expression, use sympy.lambdify)"
            if hasattr(student, "free_symbols")
            else ""
        )
        return wrong(
            f"{cap(name)} should be a function such as `def f(x): ...`, but it is a "
            f"{type(student).__name__}{hint}.",
            WRONG_TYPE,
        )
    pts = _trusted_points(expected, points, domain, n_points, seed)
    handed_in = isinstance(student, Mapping)
    stu_samples = _student_samples(student, pts) if handed_in else None
    if handed_in and stu_samples is None:
        return computed_elsewhere()
    exp_samples = _as_samples(expected, pts, max(timeout, 2.0))
    if stu_samples is None:
        stu_samples = sample_function(student, pts, timeout=timeout)
    exp = _floats(exp_samples)
    defined = np.isfinite(exp)
    if not defined.any():
        raise ValueError("the expected function is undefined at every sample point")
    vals = _floats(stu_samples)
    errors = stu_samples["errors"]
    p, e, s = pts[defined], exp[defined], vals[defined]
    errs = [err for err, d in zip(errors, defined, strict=True) if d]
    fail = ~np.isfinite(s)
    if fail.any():
        verdict = _failure_result(errs, s, fail, p, name)
        timed_out = any(err and err.startswith(TIMEOUT_ERROR) for err in errs)
        bad = ~np.asarray(tol.close(s, e))
        return verdict if timed_out else _pictured(verdict, p, s, e, bad, name)
    ok = np.asarray(tol.close(s, e))
    if ok.all():
        return correct()
    rel_values = None
    if related:
        rel_values = {k: _related_values(f, pts, timeout)[..., defined] for k, f in related.items()}
    verdict = diagnose(s, e, tol=tol, related=rel_values, credit=credit)
    if verdict is not None:
        return _pictured(verdict, p, s, e, ~ok, name)
    i = int(np.flatnonzero(~ok)[0])
    shown = f", expected {fmt(e[i])}" if reveal else ""
    verdict = wrong(
        f"{cap(name)} differs from the expected function at {int((~ok).sum())} of {ok.size} "
        f"sample points, for example at x = {fmt(p[i])} (your function gives {fmt(s[i])}{shown})."
    )
    return _pictured(verdict, p, s, e, ~ok, name)


def _pictured(
    verdict: CheckResult,
    pts: np.ndarray,
    student: np.ndarray,
    expected: np.ndarray,
    bad: np.ndarray,
    name: str,
) -> CheckResult:
    """``verdict`` with a curve of the student's function, the ``bad`` points marked.

    Only where the function was evaluated everywhere without timing out, gave
    a finite value somewhere and disagrees somewhere; the expected values go
    into the picture too, drawn only if the feedback's policy says so. The
    picture is an illustration: if it cannot be drawn the verdict is returned
    as it is.
    """
    if not bad.any() or not np.isfinite(student).any():
        return verdict
    order = np.argsort(pts, kind="stable")  # a curve, drawn from left to right
    try:
        picture = curve_picture(
            pts[order],
            student[order],
            reference=expected[order],
            marked=np.flatnonzero(bad[order]),
            title=f"{name} at the sample points",
            xlabel="x",
            ylabel=name,
            student_label=name,
            reference_label="expected",
        )
        return verdict.with_picture(picture)
    except (TypeError, ValueError):
        return verdict
