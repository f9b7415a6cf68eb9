"""Name the mistakes of a finite difference: the wrong scheme, an ignored step, a wrong scale.

A routine such as ``df_rate(x, h)`` or ``numerical_gradient(loss, W, eps)`` is
called by the grader at fixed inputs with a fixed step. When its values are
wrong, :func:`name_difference` tries the explanations a TA would try: the
other schemes (forward, backward, central) with the same step, the asked
scheme divided by the wrong multiple of the step, the exact derivative, and
every scheme with a step the student may have hard-coded instead of the one
given. The reference values come from a callable ``reference(scheme, h)``, so
the same code serves functions, Jacobians and gradients of arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .functions import check_function, sample_function
from .misconceptions import check_credit, with_credit
from .numeric import cap
from .result import TAMPERED, CheckResult, register_note
from .safety import answer_check
from .tolerance import Tolerance

SCHEMES = ("forward", "backward", "central")
CENTRAL = register_note(
    "central-instead", "A central difference was used where the forward one was asked."
)
BACKWARD = register_note(
    "backward-instead", "A backward difference was used where the forward one was asked."
)
ONE_SIDED = register_note(
    "one-sided-difference", "A one-sided difference was used where a central one was asked."
)
IGNORES_STEP = register_note("ignores-step", "The step passed to the function is not used.")
EPS_SCALING = register_note(
    "eps-scaling", "The central difference is divided by the wrong multiple of the step."
)
EXACT = register_note(
    "exact-instead", "The exact derivative was returned where a rate of change was asked."
)

#: Partial credit per named mistake (a part may pass its own ``credit``).
CREDIT: dict[str, float] = {
    CENTRAL: 0.5,
    BACKWARD: 0.5,
    ONE_SIDED: 0.5,
    EPS_SCALING: 0.5,
    IGNORES_STEP: 0.25,
    EXACT: 0.25,
}
#: Steps a student may hard-code instead of using the one given: 1, 2 and 5 times 10^-k.
COMMON_STEPS = tuple(sorted({m * 10.0**-k for k in range(0, 13) for m in (1.0, 2.0, 5.0)}))
#: Tolerance of the comparisons: the student computes in another order than we do.
MATCH_TOL = Tolerance(rtol=1e-6, zero_level=1e-9, zero_tol=1e-9)

Reference = Callable[[str, float], Any]


def difference(func: Callable, x: Any, h: float, scheme: str) -> np.ndarray:
    """The ``scheme`` difference quotient of ``func`` at ``x`` (vectorised).

    >>> float(difference(lambda t: t**2, 1.0, 0.5, "forward"))
    2.5
    >>> float(difference(lambda t: t**2, 1.0, 0.5, "central"))
    2.0
    """
    x = np.asarray(x, dtype=float)
    if scheme == "forward":
        return (func(x + h) - func(x)) / h
    if scheme == "backward":
        return (func(x) - func(x - h)) / h
    if scheme == "central":
        return (func(x + h) - func(x - h)) / (2 * h)
    raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")


def _close(values: np.ndarray, other: Any, tol: Tolerance) -> bool:
    other = np.asarray(other, dtype=float)
    if other.shape != values.shape or not np.all(np.isfinite(other)):
        return False
    return bool(np.all(tol.close(values, other)))


def _verdict(note: str, feedback: str, credit: Mapping[str, float]) -> CheckResult:
    return with_credit(CheckResult(CREDIT[note], feedback, note), credit)


def name_difference(
    values: Any,
    reference: Reference,
    *,
    scheme: str,
    step: float,
    exact: Any = None,
    name: str = "your function",
    steps: Sequence[float] = COMMON_STEPS,
    tol: Tolerance = MATCH_TOL,
    credit: Mapping[str, float] | None = None,
) -> CheckResult | None:
    """The named finite-difference mistake behind wrong ``values``, or None.

    ``reference(s, h)`` gives the values the scheme ``s`` with step ``h`` would
    give at the grader's inputs; ``scheme`` and ``step`` are the asked ones and
    ``exact`` the exact derivative there (if known).

    >>> x = np.linspace(-1, 1, 9)
    >>> ref = lambda s, h: difference(np.exp, x, h, s)
    >>> name_difference(ref("central", 0.1), ref, scheme="forward", step=0.1).note
    'central-instead'
    >>> name_difference(ref("forward", 1e-4), ref, scheme="forward", step=0.1).note
    'ignores-step'
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    credit = check_credit(credit)
    values = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(values)):
        return None
    asked = np.asarray(reference(scheme, step), dtype=float)
    for other in SCHEMES:
        if other == scheme:
            continue
        theirs = reference(other, step)
        if _close(values, theirs, tol) and not _close(asked, theirs, tol):
            return _verdict(*_scheme_feedback(name, scheme, other), credit)
    for other in (scheme, *[s for s in SCHEMES if s != scheme]):
        theirs = np.asarray(reference(other, step), dtype=float)
        for k in (2.0, 0.5):
            if _close(values, k * theirs, tol):
                how = "" if other == scheme else f" {other}"
                return _verdict(
                    EPS_SCALING,
                    f"{cap(name)} has the wrong eps scaling: it is a{how} difference off by a "
                    f"factor {k:g}. Check what the difference of the two values is divided by "
                    "(the distance between the two points where the function is evaluated).",
                    credit,
                )
    if exact is not None and _close(values, exact, tol):
        return _verdict(
            EXACT,
            f"{cap(name)} returns the exact derivative (or ignores the step it is given); it "
            f"should compute the {scheme} difference with the step it is passed.",
            credit,
        )
    for h in steps:
        if np.isclose(h, step, rtol=1e-9, atol=0.0):
            continue
        for other in (scheme, *[s for s in SCHEMES if s != scheme]):
            if _close(values, reference(other, h), tol):
                how = "" if other == scheme else f", and it takes a {other} difference"
                return _verdict(
                    IGNORES_STEP,
                    f"{cap(name)} ignores the step it is given: its values are those of a step of "
                    f"about {h:g}, not {step:g}{how}. Use the step passed as an argument.",
                    credit,
                )
    return None


def _scheme_feedback(name: str, asked: str, used: str) -> tuple[str, str]:
    spans = {"forward": "x to x + h", "backward": "x - h to x", "central": "x - h to x + h"}
    kind = f"one-sided ({used})" if asked == "central" else used
    text = (
        f"{cap(name)} computes a {kind} difference ({spans[used]}); the task asks for the "
        f"{asked} difference over {spans[asked]}."
    )
    if asked == "central":
        return ONE_SIDED, text + " The central one is far more accurate."
    return (CENTRAL if used == "central" else BACKWARD), text


def judge_difference_samples(
    samples: Any,
    func: Callable,
    *,
    points: Sequence[float],
    step: float,
    scheme: str = "forward",
    dfunc: Callable | None = None,
    name: str = "your function",
    credit: Mapping[str, float] | None = None,
) -> CheckResult:
    """Judge the samples of ``student(x, step)`` at ``points`` (see :func:`check_difference`)."""
    pts = np.asarray(points, dtype=float)
    verdict = check_function(
        samples, lambda t: difference(func, t, step, scheme), points=pts, name=name
    )
    if verdict.passed or verdict.note == TAMPERED or not isinstance(samples, Mapping):
        return verdict
    got = np.array([np.nan if v is None else float(v) for v in samples.get("values", [])])
    if got.shape != pts.shape:
        return verdict
    named = name_difference(
        got,
        lambda s, h: difference(func, pts, h, s),
        scheme=scheme,
        step=step,
        exact=None if dfunc is None else np.asarray(dfunc(pts), dtype=float),
        name=name,
        credit=credit,
    )
    return named or verdict


@answer_check
def check_difference(
    student: Any,
    func: Callable,
    *,
    points: Sequence[float],
    step: float,
    scheme: str = "forward",
    dfunc: Callable | None = None,
    name: str = "your function",
    timeout: float = 1.0,
    credit: Mapping[str, float] | None = None,
) -> CheckResult:
    """Is ``student(x, step)`` the ``scheme`` difference quotient of ``func``?

    ``student`` is a routine of ``(x, h)`` or the samples dict of ``x ->
    student(x, step)`` at ``points``. A wrong scheme, an ignored step, a wrong
    scaling or the exact derivative ``dfunc`` are named.

    >>> pts = [0.5, 1.0, 2.0]
    >>> check_difference(lambda x, h: (np.exp(x + h) - np.exp(x)) / h, np.exp,
    ...                  points=pts, step=0.01).note
    'correct'
    >>> check_difference(lambda x, h: (np.exp(x) - np.exp(x - h)) / h, np.exp,
    ...                  points=pts, step=0.01).note
    'backward-instead'
    """
    check_credit(credit)
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    samples = student
    if callable(student):
        samples = sample_function(lambda x: student(x, step), points, timeout=timeout)
    return judge_difference_samples(
        samples,
        func,
        points=points,
        step=step,
        scheme=scheme,
        dfunc=dfunc,
        name=name,
        credit=credit,
    )
