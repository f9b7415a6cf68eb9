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

from .result import NOTES, CheckResult, register_note
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
TERM_SIGN = register_note("term-sign-error", "One term (not the whole answer) has the wrong sign.")
SECOND = register_note("second-derivative", "The second derivative was given for the first.")
NO_INNER = register_note(
    "missing-inner-derivative",
    "The chain rule was applied without the derivative of the inner function.",
)

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
    TERM_SIGN: 0.5,
    # The policy of the lessons: the derivative order and the chain rule are the point of
    # those questions, so the mistake is named but earns nothing (lesson 4 gives 0.25 itself).
    SECOND: 0.0,
    NO_INNER: 0.0,
}
SWAPPED = register_note("swapped-components", "The x and y components of the gradient are swapped.")
DEG_RAD = register_note(
    "degrees-radians", "An angle in degrees was used where radians belong (or the reverse)."
)
MISSING_NORM = register_note(
    "missing-normalisation",
    "A quantity was not divided by what normalises it (the step, a length, a count).",
)
DEFAULT_CREDIT.update({SWAPPED: 0.5, DEG_RAD: 0.5, MISSING_NORM: 0.5})
#: Most terms whose sign combinations a detector tries (2^n - 2 of them).
MAX_TERMS = 6


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


def detect_term_sign(student, expected, tol: Tolerance = DEFAULT_TOL, related=None, **_):
    """Student = expected with some (not all) of its terms negated.

    ``related["terms"]`` holds the values of the expected answer's terms, one row
    per term; a sign flip of the whole answer is :func:`detect_sign_error`'s.
    """
    terms = (related or {}).get("terms")
    if terms is None:
        return None
    t = np.asarray(terms, dtype=float)
    s, e = np.asarray(student, float), np.asarray(expected, float)
    if t.ndim != 2 or not 2 <= t.shape[0] <= MAX_TERMS or t.shape[1] != e.size:
        return None
    m = _usable(s, e) & np.all(np.isfinite(t), axis=0)
    if m.sum() < 2:
        return None
    k = t.shape[0]
    for mask in range(1, 2**k - 1):
        flipped = [i for i in range(k) if mask >> i & 1]
        candidate = e[m] - 2 * t[flipped][:, m].sum(axis=0)
        if np.all(tol.close(candidate, e[m])):
            continue  # the flipped terms vanish here: nothing to tell apart
        if np.all(tol.close(s[m], candidate)):
            which = "one term" if len(flipped) == 1 else f"{len(flipped)} terms"
            return CheckResult(
                DEFAULT_CREDIT[TERM_SIGN],
                f"The sign of {which} of your answer (out of {k}) is wrong; the other terms "
                "are right. Check the sign of each term, one by one.",
                TERM_SIGN,
            )
    return None


#: Related functions that may coincide with the answer (f'' = f' for e^x, no inner factor
#: when it is 1): then a near miss must not be named after them.
_SELF_CHECKED = ("second_derivative", "no_inner")


def _matches_related(name: str, note: str, feedback: str):
    def detect(student, expected, tol: Tolerance = DEFAULT_TOL, related=None, **_):
        values = (related or {}).get(name)
        if values is None:
            return None
        s, r = np.asarray(student, float), np.asarray(values, float)
        m = _usable(s, r)
        if m.sum() == 0:
            return None
        e = np.asarray(expected, float)
        if name in _SELF_CHECKED and e.shape == r.shape and np.all(tol.close(r[m], e[m])):
            return None  # the related function is the answer itself here: nothing to name
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
detect_second_derivative = _matches_related(
    "second_derivative",
    SECOND,
    "This is the second derivative (you differentiated twice); the question asks for the "
    "first one.",
)
detect_missing_inner = _matches_related(
    "no_inner",
    NO_INNER,
    "You applied the chain rule without multiplying by the derivative of the inner function.",
)

detect_degrees = _matches_related(
    "degrees",
    DEG_RAD,
    "Your answer treats an angle in degrees as radians (or the reverse): NumPy's sin and cos "
    "take radians, so convert with np.deg2rad (or np.rad2deg).",
)


def detect_swapped(student, expected, tol: Tolerance = DEFAULT_TOL, **_) -> CheckResult | None:
    """Student = expected with its two components (first axis, length 2) swapped."""
    s, e = np.asarray(student, float), np.asarray(expected, float)
    if s.shape != e.shape or e.ndim == 0 or e.shape[0] != 2:
        return None
    if np.all(tol.close(e, e[::-1])) or not np.all(np.isfinite(s)):
        return None
    if np.all(tol.close(s, e[::-1])):
        return CheckResult(
            DEFAULT_CREDIT[SWAPPED],
            "The two components of your answer are swapped: the first one belongs to x, the "
            "second to y.",
            SWAPPED,
        )
    return None


#: The order matters: the most specific explanation wins.
DETECTORS: tuple[Detector, ...] = (
    detect_returned_original,
    detect_degrees,
    detect_integrated_instead,
    detect_differentiated_instead,
    detect_second_derivative,
    detect_sign_error,
    detect_term_sign,
    detect_missing_inner,
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
    credit: Mapping[str, float] | None = None,
) -> CheckResult | None:
    """Return the first detector's verdict on a wrong answer, or ``None``.

    ``related`` maps names ("antiderivative", "derivative", "original",
    "second_derivative", "no_inner") to the values of those functions at the
    same points, and "terms" to the values of the expected answer's terms (one
    row each), for the detectors that recognise a confusion between them.
    ``credit`` overrides :data:`DEFAULT_CREDIT` for some notes (a part's policy);
    a note no detector returns is an instructor's mistake and raises.

    >>> x = np.linspace(0.1, 1, 5)
    >>> diagnose(-x**2, x**2).note
    'sign-error'
    >>> diagnose(2 * x, x).note
    'constant-factor'
    >>> diagnose(x**2 + x, x**2 - x, related={"terms": [x**2, -x]}).note
    'term-sign-error'
    """
    credit = check_credit(credit)
    for detect in detectors:
        verdict = detect(student, expected, tol=tol, related=related)
        if verdict is not None:
            return with_credit(verdict, credit)
    return None


def check_credit(credit: Mapping[str, float] | None) -> dict[str, float]:
    """A part's credit policy, validated: known notes, scores in [0, 1]."""
    out = dict(credit or {})
    for note, score in out.items():
        if note not in NOTES:
            raise ValueError(f"credit for an unknown note {note!r}")
        if not 0.0 <= float(score) <= 1.0:
            raise ValueError(f"credit for {note!r} must be in [0, 1], got {score!r}")
    return out


def with_credit(verdict: CheckResult, credit: Mapping[str, float]) -> CheckResult:
    """``verdict`` with the score the policy gives its note (unchanged if none)."""
    if verdict.note not in credit:
        return verdict
    return CheckResult(float(credit[verdict.note]), verdict.feedback, verdict.note)
