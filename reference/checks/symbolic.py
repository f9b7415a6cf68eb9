"""Checks for answers that are formulas: expressions, derivatives, antiderivatives.

The decision is numeric, as in WeBWorK: both formulas are evaluated at seeded
random points of a declared domain and compared with a tight tolerance. Exact
symbolic equality is only a shortcut (``simplify`` cannot even tell that
``1/(4*cosh(x/2)**2)`` is the sigmoid's derivative), and ``simplify`` runs only
in a killable child process, where it can never fail an answer that agrees
numerically. Points where the expected formula is undefined are skipped; near
misses in float64 are re-evaluated with 30 significant digits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from . import misconceptions as mc
from .parsing import ParseError, UnknownNameError, _parse
from .result import PARSE_ERROR, CheckResult, register_note
from .safety import TimeLimitExceeded, answer_check, is_missing, run_in_child
from .tolerance import Tolerance, reject_unknown

__all__ = ["check_expression"]

#: The checks of derivatives and antiderivatives live in :mod:`.calculus`; they are
#: still importable from here.
_CALCULUS = ("check_antiderivative", "check_derivative")

UNKNOWN_VARIABLE = register_note(
    "unknown-variable", "The answer uses a variable or function the question does not declare."
)
UNDEFINED = register_note(
    "undefined-value",
    "The answer is undefined (division by zero, log of a negative, ...) at a point where "
    "the expected formula is defined.",
)
UNVERIFIED = register_note(
    "unverified", "Neither sampling nor simplification could decide; a TA should look."
)
MISSING_CONSTANT = register_note(
    "missing-constant", "The antiderivative lacks the arbitrary constant of integration."
)
WRONG_CONSTANT = register_note(
    "wrong-constant",
    "The antiderivative has the right derivative but not the requested value at the given point.",
)

#: Names a student may use for the arbitrary constant of integration.
CONSTANT_NAMES = ("C", "K", "c", "k", "C1", "C_1", "C0")
DEFAULT_DOMAIN = (-3.0, 3.0)
CREDIT = {MISSING_CONSTANT: 0.75, WRONG_CONSTANT: 0.5}
MIN_POINTS = 5
#: Detectors compare float64 values, so they get a looser tolerance than the check.
DIAGNOSE_TOL = Tolerance(rtol=1e-7)


#: The options of :func:`check_expression` (and, with a few more, of the calculus checks).
EXPRESSION_OPTIONS = frozenset(
    {
        "variables", "domain", "n_points", "seed", "rtol", "atol", "zero_level", "zero_tol",
        "timeout", "reveal", "name", "confirm", "functions", "credit", "related",
    }
)  # fmt: skip


@dataclass
class _Setup:
    variables: tuple[str, ...] = ("x",)
    domain: Any = None
    n_points: int = 30
    seed: int = 20240611
    tol: Tolerance = field(default_factory=lambda: Tolerance(rtol=1e-9))
    timeout: float = 2.0
    reveal: bool = False
    name: str | None = None
    confirm: bool = False
    functions: Mapping[str, Callable[..., sp.Expr]] | None = None
    credit: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_options(cls, options: Mapping[str, Any], variables: Iterable[str] | None = None):
        if variables is None:
            variables = options.get("variables", ("x",))
        if isinstance(variables, str):
            variables = (variables,)
        tol_opts = {
            k: options[k] for k in ("rtol", "atol", "zero_level", "zero_tol") if k in options
        }
        tol_opts.setdefault("rtol", 1e-9)
        return cls(
            variables=tuple(variables),
            domain=options.get("domain"),
            n_points=max(int(options.get("n_points", 30)), 3),
            seed=int(options.get("seed", 20240611)),
            tol=Tolerance.from_options(tol_opts),
            timeout=float(options.get("timeout", 2.0)),
            reveal=bool(options.get("reveal", False)),
            name=options.get("name"),
            confirm=bool(options.get("confirm", False)),
            functions=options.get("functions"),
            credit=mc.check_credit(options.get("credit")),
        )

    def bounds(self, name: str) -> tuple[float, float]:
        d = self.domain
        if isinstance(d, Mapping):
            d = d.get(name, DEFAULT_DOMAIN)
        lo, hi = d if d is not None else DEFAULT_DOMAIN
        return float(lo), float(hi)

    def result(self, score: float, feedback: str, note: str, expected: Any = None) -> CheckResult:
        if self.reveal and score < 1.0 and expected is not None:
            feedback = f"{feedback} The expected answer is {_show(expected)}."
        if self.name:
            feedback = f"{self.name}: {feedback}"
        return CheckResult(score, feedback, note)

    def rewrap(self, verdict: CheckResult, expected: Any = None) -> CheckResult:
        return self.result(verdict.score, verdict.feedback, verdict.note, expected)


def _show(expr: Any) -> str:
    return sp.sstr(expr) if isinstance(expr, sp.Basic) else str(expr)


def _canonical(expr: sp.Expr) -> sp.Expr:
    """Replace every symbol by the real symbol of the same name."""
    return expr.xreplace({s: sp.Symbol(s.name, real=True) for s in expr.free_symbols})


def _read_trusted(obj: Any, setup: _Setup) -> sp.Expr:
    """Parse an instructor-supplied formula (no eval; any plain name allowed)."""
    return _canonical(_parse(obj, setup.variables, setup.functions, 100_000, strict=False))


def _read_student(
    student: Any, setup: _Setup, allowed: Iterable[str], expected: Any = None
) -> sp.Expr | CheckResult:
    """Parse the student's answer, or return the result that rejects it."""
    allowed = tuple(dict.fromkeys([*setup.variables, *allowed]))
    try:
        expr = _parse(student, allowed, setup.functions, 2000, strict=True)
    except UnknownNameError as exc:
        note = PARSE_ERROR if exc.function else UNKNOWN_VARIABLE
        return setup.result(0.0, str(exc), note, expected)
    except ParseError as exc:
        return setup.result(0.0, str(exc), PARSE_ERROR, expected)
    extra = sorted(s.name for s in expr.free_symbols if s.name not in allowed)
    if extra:
        names = ", ".join(repr(n) for n in extra)
        return setup.result(
            0.0,
            f"Your answer uses {names}, which the question does not define "
            f"(allowed: {', '.join(allowed)}).",
            UNKNOWN_VARIABLE,
            expected,
        )
    return _canonical(expr)


# -- numeric evaluation ---------------------------------------------------------


def _to_real(values: Any, n: int) -> np.ndarray:
    arr = np.broadcast_to(np.asarray(values, dtype=complex), (n,)).copy()
    real = arr.real.copy()
    bad = ~np.isfinite(arr) | (np.abs(arr.imag) > 1e-12 * np.maximum(1.0, np.abs(real)))
    real[bad] = np.nan
    return real


def _mp_value(expr: sp.Expr, point: Mapping[str, float], digits: int = 30) -> float:
    subs = {sp.Symbol(k, real=True): sp.Float(float(v), digits) for k, v in point.items()}
    try:
        value = complex(expr.evalf(digits, subs=subs))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return np.nan
    if not np.isfinite(value) or abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        return np.nan
    return value.real


def _values(expr: sp.Expr, points: Mapping[str, np.ndarray]) -> np.ndarray:
    """Values of ``expr`` at the points (NaN where undefined or not real)."""
    names = sorted(points)
    n = len(next(iter(points.values())))
    try:
        f = sp.lambdify(
            [sp.Symbol(k, real=True) for k in names], expr, modules="numpy", dummify=True
        )
        return _to_real(f(*[np.asarray(points[k], dtype=float) for k in names]), n)
    except Exception:  # noqa: BLE001 - fall back to arbitrary precision
        return np.array([_mp_value(expr, {k: points[k][i] for k in names}) for i in range(n)])


@dataclass
class _Sample:
    points: dict[str, np.ndarray]
    expected: np.ndarray
    student: np.ndarray
    close: np.ndarray

    def at(self, i: int) -> str:
        return ", ".join(f"{k} = {v[i]:.4g}" for k, v in sorted(self.points.items()))

    def point(self, i: int) -> dict[str, float]:
        return {k: float(v[i]) for k, v in self.points.items()}


def _sample(
    student: sp.Expr, expected: sp.Expr, setup: _Setup, names: Iterable[str]
) -> _Sample | None:
    """Evaluate both formulas where the expected one is defined; None if too few points."""
    names = sorted(set(names) | {s.name for s in (student.free_symbols | expected.free_symbols)})
    if not names:
        names = [setup.variables[0] if setup.variables else "x"]
    rng = np.random.default_rng(setup.seed)
    kept: dict[str, list[np.ndarray]] = {k: [] for k in names}
    exp_vals: list[np.ndarray] = []
    have = 0
    for _ in range(10):
        batch = {k: rng.uniform(*setup.bounds(k), size=setup.n_points) for k in names}
        vals = _values(expected, batch)
        ok = np.isfinite(vals)
        for k in names:
            kept[k].append(batch[k][ok])
        exp_vals.append(vals[ok])
        have += int(ok.sum())
        if have >= setup.n_points:
            break
    if have < MIN_POINTS:
        return None
    m = setup.n_points
    points = {k: np.concatenate(v)[:m] for k, v in kept.items()}
    e = np.concatenate(exp_vals)[:m]
    s = _values(student, points)
    close = setup.tol.close(s, e)
    # Float64 can lose everything to cancellation (an expanded (x+1)**200): decide
    # disagreements with 30 digits, looking at a few first so wrong answers stay cheap.
    todo = np.flatnonzero(~close & np.isfinite(s))
    for start, stop in ((0, 3), (3, len(todo))):
        for i in todo[start:stop]:
            pt = {k: points[k][i] for k in names}
            close[i] = bool(setup.tol.close(_mp_value(student, pt), _mp_value(expected, pt)))
        if not np.all(close[todo[start:stop]]):
            break
    return _Sample(points, e, s, close)


def _simplify_is_zero(expr: sp.Expr) -> bool:
    return bool(sp.simplify(expr) == 0)


def _symbolic_zero(expr: sp.Expr, timeout: float) -> bool | None:
    """``simplify(expr) == 0`` in a killable child; None when it times out or fails."""
    try:
        return bool(run_in_child(_simplify_is_zero, expr, timeout=timeout))
    except (TimeLimitExceeded, RuntimeError):
        return None


# -- the shared comparison ---------------------------------------------------------

RelatedFn = Callable[[], Mapping[str, sp.Expr]]


def _compare(
    student: sp.Expr,
    expected: sp.Expr,
    setup: _Setup,
    related: RelatedFn | None = None,
    shown: Any = None,
) -> CheckResult:
    """Decide a parsed student formula against the expected one."""
    if student == expected or sp.srepr(student) == sp.srepr(expected):
        return setup.result(1.0, "Correct.", "correct")
    sample = _sample(student, expected, setup, setup.variables)
    if sample is None:
        if _symbolic_zero(student - expected, setup.timeout):
            return setup.result(1.0, "Correct.", "correct")
        return setup.result(
            0.0,
            "Your answer could not be checked automatically; ask your TA to look at it.",
            UNVERIFIED,
            shown,
        )
    defined = np.isfinite(sample.student)
    if np.all(sample.close) and np.all(defined):
        if setup.confirm:
            _symbolic_zero(student - expected, setup.timeout)  # may only add, never fail
        return setup.result(1.0, "Correct.", "correct")
    verdict = _diagnose(sample, defined, related, credit=setup.credit)
    if verdict is not None:
        return setup.rewrap(verdict, shown)
    if not np.all(defined):
        i = int(np.flatnonzero(~defined)[0])
        return setup.result(
            0.0,
            f"Your answer is undefined at {sample.at(i)}, where the correct answer is defined.",
            UNDEFINED,
            shown,
        )
    i = int(np.flatnonzero(~sample.close)[0])
    return setup.result(
        0.0, f"Your answer does not match the expected one (for example at {sample.at(i)}).",
        "wrong", shown,
    )  # fmt: skip


def _diagnose(
    sample: _Sample,
    defined: np.ndarray,
    related: RelatedFn | None,
    detectors: tuple = mc.DETECTORS,
    tol: Tolerance = DIAGNOSE_TOL,
    credit: Mapping[str, float] | None = None,
) -> CheckResult | None:
    if defined.sum() < 2:
        return None
    e = sample.expected[defined]
    if np.all(Tolerance(rtol=1e-9).close(e, e[0])):
        # Any two constants differ by a factor and by a shift: naming either would mislead.
        detectors = tuple(
            d
            for d in detectors
            if d not in (mc.detect_constant_factor, mc.detect_additive_constant)
        )
    rel_values: dict[str, np.ndarray] = {}
    if related is not None:
        pts = {k: v[defined] for k, v in sample.points.items()}
        for key, expr in related().items():
            if isinstance(expr, list | tuple):  # the terms of the answer, one row each
                rel_values[key] = np.array([_values(e, pts) for e in expr])
            else:
                rel_values[key] = _values(expr, pts)
    return mc.diagnose(
        sample.student[defined],
        sample.expected[defined],
        tol=tol,
        related=rel_values,
        detectors=detectors,
        credit=credit,
    )


def _related_from_options(raw: Mapping[str, Any] | None, setup: _Setup) -> RelatedFn | None:
    if not raw:
        return None

    def related() -> dict[str, sp.Expr]:
        out = {}
        for key, value in raw.items():
            try:
                out[key] = _read_trusted(value, setup)
            except ParseError:
                continue
        return out

    return related


# -- public checks ----------------------------------------------------------------


@answer_check
def check_expression(student: Any, expected: Any, **options: Any) -> CheckResult:
    """Is the student's formula equal to ``expected`` as a function of the variables?

    Options: ``variables`` (default ``("x",)``), ``domain`` (``(lo, hi)`` or a
    dict per variable; default ``(-3, 3)``), ``n_points``, ``seed``, ``rtol``,
    ``timeout`` (for ``simplify`` in a child), ``related`` (``{"antiderivative":
    ..., "derivative": ..., "original": ...}`` to name a confusion), ``confirm``,
    ``reveal`` and ``name``.

    >>> check_expression("x(3x-4)", "3*x**2 - 4*x").note
    'correct'
    >>> check_expression("2*x*(1-x)", "x*(1-x)").note
    'constant-factor'
    """
    reject_unknown("check_expression", options, EXPRESSION_OPTIONS)
    setup = _Setup.from_options(options)
    exp = _read_trusted(expected, setup)
    shown = exp
    if is_missing(student):
        return setup.result(0.0, "No answer was given.", "missing", shown)
    setup.variables = tuple(
        dict.fromkeys([*setup.variables, *sorted(s.name for s in exp.free_symbols)])
    )
    parsed = _read_student(student, setup, (), shown)
    if isinstance(parsed, CheckResult):
        return parsed
    return _compare(parsed, exp, setup, _related_from_options(options.get("related"), setup), shown)


def __getattr__(name: str) -> Any:
    """``check_derivative`` and ``check_antiderivative``, from :mod:`.calculus`."""
    if name in _CALCULUS:
        from . import calculus

        return getattr(calculus, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
