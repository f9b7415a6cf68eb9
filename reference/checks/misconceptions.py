"""Detectors that recognise a known wrong answer and name the mistake.

Each detector compares a student's sampled values with the expected ones (and,
where needed, with values of related functions such as the antiderivative) and
returns a partial-credit :class:`CheckResult`, or ``None`` when the mistake is
not the one it knows. Working on sampled values keeps them usable for numbers,
arrays, functions and formulas alike, and in any process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from .result import CheckResult, register_note
from .tolerance import Tolerance

SIGN = register_note("sign-error", "The answer has the wrong sign.")
FACTOR = register_note("constant-factor", "The answer is off by a constant factor.")
SHIFT = register_note("additive-constant", "The answer is off by an additive constant.")
INTEGRATED = register_note(
    "integrated-instead", "The student integrated where a derivative was asked."
)
DIFFERENTIATED = register_note(
    "differentiated-instead", "The student differentiated where an antiderivative was asked."
)
ORIGINAL = register_note("returned-original", "The student returned the original function.")

Detector = Callable[..., "CheckResult | None"]
DEFAULT_TOL = Tolerance()

#: Partial credit for an answer whose mistake we can name.
DEFAULT_CREDIT: dict[str, float] = {
    SIGN: 0.5,
    FACTOR: 0.5,
    SHIFT: 0.5,
    INTEGRATED: 0.25,
    DIFFERENTIATED: 0.25,
    ORIGINAL: 0.0,
}


def _usable(student: np.ndarray, expected: np.ndarray) -> np.ndarray:
    return np.isfinite(student) & np.isfinite(expected)


def detect_sign_error(student, expected, tol: Tolerance = DEFAULT_TOL, **_) -> CheckResult | None:
    s, e = np.asarray(student, float), np.asarray(expected, float)
    m = _usable(s, e)
    if m.sum() == 0 or np.all(np.abs(e[m]) <= tol.zero_level):
        return None
    if np.all(tol.close(s[m], -e[m])):
        return CheckResult(DEFAULT_CREDIT[SIGN], "The sign of your answer is flipped.", SIGN)
    return None


def detect_constant_factor(
    student, expected, tol: Tolerance = DEFAULT_TOL, **_
) -> CheckResult | None:
    """Student = k * expected for one constant k not in {0, 1, -1}."""
    s, e = np.asarray(student, float), np.asarray(expected, float)
    m = _usable(s, e) & (np.abs(e) > max(tol.zero_level, 1e-300))
    if m.sum() < 2:
        return None
    ratios = s[m] / e[m]
    k = float(np.median(ratios))
    if not np.isfinite(k) or abs(k) < 1e-12 or np.isclose(abs(k), 1.0, rtol=1e-6):
        return None
    zeros = _usable(s, e) & ~m  # where expected is 0 the student must be 0 too
    if np.all(tol.close(s[m], k * e[m])) and np.all(tol.close(s[zeros], 0.0)):
        return CheckResult(
            DEFAULT_CREDIT[FACTOR],
            "Your answer has the right shape but is off by a constant factor: "
            "look for a stray or missing multiplier.",
            FACTOR,
        )
    return None


def detect_additive_constant(
    student, expected, tol: Tolerance = DEFAULT_TOL, **_
) -> CheckResult | None:
    """Student = expected + c for one nonzero constant c."""
    s, e = np.asarray(student, float), np.asarray(expected, float)
    m = _usable(s, e)
    if m.sum() < 2:
        return None
    c = float(np.median(s[m] - e[m]))
    if tol.close(c, 0.0) or not np.isfinite(c):
        return None
    if np.all(tol.close(s[m] - c, e[m])):
        return CheckResult(
            DEFAULT_CREDIT[SHIFT], "Your answer is off by a constant added to it.", SHIFT
        )
    return None


def _matches_related(name: str, note: str, feedback: str):
    def detect(student, expected, tol: Tolerance = DEFAULT_TOL, related=None, **_):
        values = (related or {}).get(name)
        if values is None:
            return None
        s, r = np.asarray(student, float), np.asarray(values, float)
        m = _usable(s, r)
        if m.sum() == 0:
            return None
        # An antiderivative is only defined up to a constant: compare differences.
        if name == "antiderivative":
            d = s[m] - r[m]
            ok = np.all(tol.close(d, np.median(d)))
        else:
            ok = np.all(tol.close(s[m], r[m]))
        return CheckResult(DEFAULT_CREDIT[note], feedback, note) if ok else None

    detect.__name__ = f"detect_{note.replace('-', '_')}"
    return detect


detect_integrated_instead = _matches_related(
    "antiderivative",
    INTEGRATED,
    "You integrated the function; the question asks for its derivative.",
)
detect_differentiated_instead = _matches_related(
    "derivative",
    DIFFERENTIATED,
    "You differentiated the function; the question asks for an antiderivative.",
)
detect_returned_original = _matches_related(
    "original", ORIGINAL, "Your answer is the original function itself, not the one asked for."
)

#: The order matters: the most specific explanation wins.
DETECTORS: tuple[Detector, ...] = (
    detect_returned_original,
    detect_integrated_instead,
    detect_differentiated_instead,
    detect_sign_error,
    detect_constant_factor,
    detect_additive_constant,
)


def diagnose(
    student,
    expected,
    *,
    tol: Tolerance = DEFAULT_TOL,
    related: Mapping[str, np.ndarray] | None = None,
    detectors: tuple[Detector, ...] = DETECTORS,
) -> CheckResult | None:
    """Return the first detector's verdict on a wrong answer, or ``None``.

    ``related`` maps names ("antiderivative", "derivative", "original") to the
    values of those functions at the same points, for the detectors that
    recognise a confusion between them.

    >>> x = np.linspace(0.1, 1, 5)
    >>> diagnose(-x**2, x**2).note
    'sign-error'
    >>> diagnose(2 * x, x).note
    'constant-factor'
    """
    for detect in detectors:
        verdict = detect(student, expected, tol=tol, related=related)
        if verdict is not None:
            return verdict
    return None
