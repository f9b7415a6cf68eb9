"""Judge the step size ``h`` a student chose for a finite difference.

The error of a finite difference is truncation (grows with ``h``) plus
rounding (grows like ``eps / h``, catastrophic cancellation in
``f(x + h) - f(x)``). A step is good when its error is within a factor of the
best achievable error over a log grid of steps. To judge the choice and not
the luck of rounding, errors are taken as the worst over a quarter decade
around each step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .numeric import CONVERT_TIMEOUT, NOT_FINITE, WRONG_SHAPE, BadAnswer, as_float_array, cap, fmt
from .result import CheckResult, correct, register_note, wrong
from .safety import answer_check

CANCELLATION = register_note(
    "cancellation", "The step is so small that rounding (catastrophic cancellation) dominates."
)
TRUNCATION = register_note("truncation", "The step is so large that truncation error dominates.")
NOT_POSITIVE = register_note("not-positive", "The step size is zero or negative.")

SCHEMES = ("forward", "backward", "central")
#: Log grid of candidate steps and the half-width (in decades) of the window.
_GRID = 10.0 ** np.arange(-16.0, 1.0001, 0.05)
_WINDOW = 10.0 ** np.linspace(-0.25, 0.25, 11)


def _difference(func: Callable[[float], float], x: float, h: float, scheme: str) -> float:
    if scheme == "forward":
        return (float(func(x + h)) - float(func(x))) / h
    if scheme == "backward":
        return (float(func(x)) - float(func(x - h))) / h
    if scheme == "central":
        return (float(func(x + h)) - float(func(x - h))) / (2 * h)
    raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")


def _error(func: Callable, exact: float, x: float, h: float, scheme: str) -> float:
    """Worst error over a quarter decade around ``h`` (NaN/inf count as inf)."""
    worst = 0.0
    for c in _WINDOW:
        with np.errstate(all="ignore"):
            try:
                err = abs(_difference(func, x, h * c, scheme) - exact)
            except (ArithmeticError, ValueError):
                err = np.inf
        worst = max(worst, err if np.isfinite(err) else np.inf)
    return worst


def _profile(
    func: Callable, dfunc: Callable, x: float, scheme: str
) -> tuple[float, np.ndarray, float]:
    exact = float(dfunc(x))
    errs = np.array([_error(func, exact, x, h, scheme) for h in _GRID])
    return exact, errs, float(_GRID[int(np.argmin(errs))])


def optimal_step(
    func: Callable[[float], float],
    dfunc: Callable[[float], float],
    x: float,
    scheme: str = "forward",
) -> float:
    """The step on a log grid (1e-16 .. 10) with the smallest typical error.

    >>> import math
    >>> h = optimal_step(math.exp, math.exp, 1.0, "forward")
    >>> 1e-9 < h < 1e-7
    True
    """
    return _profile(func, dfunc, float(x), scheme)[2]


@answer_check
def check_step_size(
    student_h: Any,
    *,
    func: Callable[[float], float],
    dfunc: Callable[[float], float],
    x: float,
    scheme: str = "forward",
    factor: float = 10.0,
    partial: float = 0.5,
    reveal: bool = False,
    name: str = "your step size h",
    timeout: float = CONVERT_TIMEOUT,
) -> CheckResult:
    """Judge a finite-difference step: good if its error is within ``factor``
    of the best achievable; too small -> note ``cancellation``, too large ->
    ``truncation`` (``partial`` credit while the estimate keeps one correct
    digit).

    >>> import math
    >>> check_step_size(1e-8, func=math.exp, dfunc=math.exp, x=1.0).note
    'correct'
    >>> check_step_size(1e-14, func=math.exp, dfunc=math.exp, x=1.0).note
    'cancellation'
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    try:
        values = as_float_array(student_h, name, timeout=timeout)
    except BadAnswer as bad:
        return bad.result
    if values.size != 1:
        return wrong(
            f"{cap(name)} should be a single number, not {values.size} numbers.", WRONG_SHAPE
        )
    h = float(values.reshape(-1)[0])
    if not np.isfinite(h):
        what = "NaN" if np.isnan(h) else "infinite"
        return wrong(f"{cap(name)} is {what}; a step must be a finite number.", NOT_FINITE)
    if h <= 0:
        return wrong(f"{cap(name)} must be positive, but h = {fmt(h)}.", NOT_POSITIVE)
    x = float(x)
    exact, errs, h_best = _profile(func, dfunc, x, scheme)
    scale = max(abs(exact), abs(float(func(x))), 1e-300)
    floor = 8 * np.finfo(float).eps * scale
    allowed = factor * max(float(errs.min()), floor)
    err = _error(func, exact, x, h, scheme)
    best_text = f" The best step is about {fmt(h_best)}." if reveal else ""
    if err <= allowed:
        return correct(f"Good choice: the error of your estimate is about {fmt(err)}.")
    useful = err < 0.1 * max(abs(exact), 1e-300)
    score = partial if useful else 0.0
    if h < h_best:
        diff = {
            "forward": "f(x + h) - f(x)",
            "backward": "f(x) - f(x - h)",
            "central": "f(x + h) - f(x - h)",
        }[scheme]
        if x + h == x:
            why = f"x + h == x in floating point, so {diff} is exactly zero."
        else:
            why = (
                f"the two values in {diff} agree in almost all their digits, so their "
                "difference keeps only a few correct digits and dividing by the tiny h "
                "magnifies the rounding error (catastrophic cancellation)."
            )
        return wrong(
            f"{cap(name)} = {fmt(h)} is too small: {why} Try a larger h.{best_text}",
            CANCELLATION,
            score,
        )
    return wrong(
        f"{cap(name)} = {fmt(h)} is too large: the truncation error of the {scheme} "
        f"difference dominates (about {fmt(err)}). Try a smaller h.{best_text}",
        TRUNCATION,
        score,
    )
