"""Checks of critical points and of their kinds (maximum, minimum), naming the usual slips.

A critical point is a number ``x`` of the domain with ``f'(x) = 0``. Students
hand in lists, sets, arrays or SymPy sets, and SymPy's ``oo`` travels as the
text ``"oo"``: it is read as infinity and named as what it is, a point at
infinity, which no domain of real numbers contains. Kinds are words ("max",
"local minimum", ...); maxima and minima swapped everywhere are named too.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from .misconceptions import check_credit
from .parsing import ParseError, parse_expression
from .result import WRONG_TYPE, CheckResult, correct, register_note
from .safety import answer_check, is_missing

AT_INFINITY = register_note(
    "critical-at-infinity",
    "A critical point or extremum was placed at infinity, which is not a point of the domain.",
)
NOT_A_ZERO = register_note("not-a-zero", "A listed x is not a zero of the derivative.")
MAX_MIN = register_note("max-min-swapped", "Maxima and minima are swapped.")
WRONG_KIND = register_note("wrong-kind", "A critical point has the wrong kind (max/min).")
WRONG_POINTS = register_note("wrong-critical-points", "Critical points are missing or extra.")

MAXIMUM, MINIMUM, NEITHER = "max", "min", "neither"
CREDIT = {AT_INFINITY: 0.25, MAX_MIN: 0.5}
_INFINITY = re.compile(r"^\s*([+-]?)\s*(oo|inf|infinity|zoo|∞)\s*$", re.IGNORECASE)
_SWAP = {MAXIMUM: MINIMUM, MINIMUM: MAXIMUM}


def read_number(item: Any) -> float | None:
    """A real number from a number or a text such as ``"4/3"``, ``"oo"`` or ``"-inf"``.

    >>> read_number("oo"), read_number("-oo"), read_number("4/3")
    (inf, -inf, 1.3333333333333333)
    >>> read_number("x") is None, read_number(True) is None
    (True, True)
    """
    if isinstance(item, bool | np.bool_):
        return None
    if isinstance(item, numbers.Real):
        return float(item)
    if getattr(item, "is_number", False) is True and type(item).__module__.startswith("sympy"):
        item = str(item)  # SymPy's oo, zoo, Rational: read as the text they travel as
    if isinstance(item, str):
        match = _INFINITY.match(item)
        if match:
            return -math.inf if match.group(1) == "-" else math.inf
        if item.strip().lower() == "nan":
            return math.nan
        try:
            return float(parse_expression(item, variables=()).evalf())
        except (ParseError, TypeError, ValueError):
            return None
    return None


def _is_sympy_set(obj: Any) -> bool:
    """A finite SymPy set (``FiniteSet``, ``EmptySet``), whose items can be listed."""
    kind = type(obj)
    return kind.__module__.startswith("sympy") and kind.__name__ in ("FiniteSet", "EmptySet")


def read_points(answer: Any) -> list[float] | None:
    """The numbers of a list, tuple, set, array, SymPy set text or single number; else None.

    >>> read_points(["oo"]), read_points("{0, 4/3}"), read_points("EmptySet")
    ([inf], [0.0, 1.3333333333333333], [])
    """
    if isinstance(answer, str):
        text = answer.strip()
        if text in ("EmptySet", "set()", "{}", "[]"):
            return []
        if text[:1] in "{[(" and text[-1:] in "}])":
            items: Iterable[Any] = [p for p in text[1:-1].split(",") if p.strip()]
        else:
            items = [text]
    elif isinstance(answer, np.ndarray):
        items = answer.ravel().tolist()
    elif isinstance(answer, list | tuple | set | frozenset):
        items = list(answer)
    elif _is_sympy_set(answer):
        items = [str(v) for v in answer]
    elif read_number(answer) is not None:
        items = [answer]
    else:
        return None
    out = []
    for item in items:
        value = read_number(item)
        if value is None:
            return None
        out.append(value)
    return out


def _why(v: float, derivative: Callable | None, domain: tuple, explain: Mapping) -> tuple:
    """(hint, note) for a listed value that is not a critical point."""
    for key, text in explain.items():
        if math.isfinite(v) and abs(v - float(key)) <= 1e-9 * max(1.0, abs(v)):
            return text, NOT_A_ZERO
    if math.isinf(v):
        return (
            "infinity is not a number x of the domain: f' may tend to 0 as x grows, but it "
            "never equals 0 at a point",
            AT_INFINITY,
        )
    if math.isnan(v):
        return "NaN is not a value of x", NOT_A_ZERO
    lo, hi = domain
    if not lo < v < hi:
        return f"x = {v:g} is not in the domain ({lo:g}, {hi:g})", NOT_A_ZERO
    if derivative is not None:
        return f"f'({v:g}) is not zero", NOT_A_ZERO
    return f"x = {v:g} is not a critical point", NOT_A_ZERO


@answer_check
def check_critical_points(
    student: Any,
    expected: Iterable[float],
    *,
    derivative: Callable | None = None,
    domain: tuple[float, float] = (-math.inf, math.inf),
    explain: Mapping[float, str] | None = None,
    name: str = "your answer",
    credit: Mapping[str, float] | None = None,
) -> CheckResult:
    """The critical points, in any order; an empty list when there are none.

    Score: the share of right points among all points named (``|S & E| / |S | E|``);
    a point at infinity is named (note ``critical-at-infinity``, with the credit
    :data:`CREDIT` gives when it is the only wrong value). ``explain`` maps a
    typical wrong value to a hint.

    >>> check_critical_points(["oo"], []).note
    'critical-at-infinity'
    >>> check_critical_points({4/3, 0}, [0, 4/3]).score
    1.0
    """
    credit = {**CREDIT, **check_credit(credit)}
    if is_missing(student):
        return CheckResult(0.0, f"{name} is missing.", "missing")
    values = read_points(student)
    if values is None:
        return CheckResult(
            0.0,
            f"{name} must be a list (or set, or array) of numbers; an empty list is allowed.",
            WRONG_TYPE,
        )
    want = [float(v) for v in expected]
    matched, wrong = set(), []
    for v in values:
        hit = next(
            (
                i
                for i, p in enumerate(want)
                if i not in matched and math.isfinite(v) and abs(v - p) <= 1e-6 * max(1, abs(p))
            ),
            None,
        )
        if hit is None:
            wrong.append(v)
        else:
            matched.add(hit)
    if not wrong and len(matched) == len(want):
        return correct()
    problems = [_why(v, derivative, domain, explain or {}) for v in wrong[:3]]
    missing = len(want) - len(matched)
    if missing:
        problems.append((f"{missing} critical point(s) are missing", WRONG_POINTS))
    union = len(want) + len(wrong)
    score = len(matched) / union if union else 0.0
    notes = [note for _, note in problems]
    note = notes[0] if len(set(notes)) == 1 else WRONG_POINTS
    if note == AT_INFINITY:
        score = max(score, credit[AT_INFINITY] * (len(matched) + 1) / (union or 1))
    text = "; ".join(hint for hint, _ in problems)
    return CheckResult(min(score, 1.0), f"{name} lists a wrong value: {text}.", note)


def read_kind(text: Any) -> str | None:
    """``"max"``, ``"min"`` or ``"neither"`` from a word such as "local maximum".

    >>> read_kind("Local Maximum"), read_kind("min"), read_kind("saddle"), read_kind(3)
    ('max', 'min', 'neither', None)
    """
    if not isinstance(text, str):
        return None
    t = text.strip().lower()
    if "max" in t:
        return MAXIMUM
    if "min" in t:
        return MINIMUM
    if any(w in t for w in ("neither", "inflection", "saddle", "none")):
        return NEITHER
    return None


@answer_check
def check_extrema(
    student: Any,
    expected: Iterable[tuple[float, str]],
    *,
    name: str = "your answer",
    credit: Mapping[str, float] | None = None,
) -> CheckResult:
    """A dict ``{x: kind}`` (or a list of ``(x, kind)`` pairs) of the critical points.

    Each right point earns half its share, its right kind the other half; an
    extra point (a point at infinity too, which is named) costs half a share.
    Maxima and minima swapped at every point are named (``max-min-swapped``).

    >>> check_extrema({0: "min", 4/3: "max"}, [(0.0, "max"), (4/3, "min")]).note
    'max-min-swapped'
    """
    credit = {**CREDIT, **check_credit(credit)}
    if is_missing(student):
        return CheckResult(0.0, f"{name} is missing.", "missing")
    if isinstance(student, list | tuple):
        pairs = [p for p in student if isinstance(p, list | tuple) and len(p) == 2]
        student = dict(pairs) if len(pairs) == len(student) else None
    if not isinstance(student, Mapping):
        return CheckResult(
            0.0,
            f'{name} must be a dictionary {{x: "max" or "min"}}, one entry per critical point.',
            WRONG_TYPE,
        )
    want = [(float(x), read_kind(kind)) for x, kind in expected]
    share = 1.0 / max(len(want), 1)
    score, problems, extra, matched, kinds_wrong = 0.0, [], [], set(), 0
    at_infinity: list[str] = []
    for key, value in student.items():
        x = read_number(key)
        if x is None or math.isnan(x):
            return CheckResult(0.0, f"{name}: the key {key!r} is not a number x.", WRONG_TYPE)
        if math.isinf(x):
            at_infinity.append(str(key))
            continue
        kind = read_kind(value)
        hit = next(
            (
                i
                for i, (p, _) in enumerate(want)
                if i not in matched and abs(x - p) <= 1e-6 * max(1.0, abs(p))
            ),
            None,
        )
        if hit is None:
            extra.append(x)
            continue
        matched.add(hit)
        score += share / 2
        if kind == want[hit][1]:
            score += share / 2
        elif kind is None:
            problems.append(f'the kind at x = {x:.4g} should be "max" or "min"')
        else:
            kinds_wrong += 1
            problems.append(
                f"the kind of the critical point at x = {x:.4g} is wrong: "
                "look at the sign of f'' there (f'' < 0: a maximum, f'' > 0: a minimum)"
            )
    if at_infinity:
        problems.insert(
            0,
            f"x = {at_infinity[0]} is not a point of the domain: a function that keeps growing "
            "has no maximum there, and f' is zero at no point out there",
        )
        score = max(0.0, score - share / 2 * len(at_infinity))
    if extra:
        score = max(0.0, score - share / 2 * len(extra))
        shown = ", ".join(f"{v:.4g}" for v in extra[:3])
        problems.append(f"f'(x) is not zero at x = {shown}")
    if len(matched) < len(want):
        problems.append(f"{len(want) - len(matched)} critical point(s) are missing")
    if not problems:
        return correct()
    complete = len(matched) == len(want) and not extra and not at_infinity
    swapped = complete and kinds_wrong == len(want) and all(k in _SWAP for _, k in want)
    note = MAX_MIN if swapped else WRONG_KIND if complete else WRONG_POINTS
    if at_infinity:
        note = AT_INFINITY
    if swapped:
        problems = ["maxima and minima are swapped at every critical point: " + problems[0]]
        score = credit[MAX_MIN]
    return CheckResult(min(score, 1.0), f"{name}: " + "; ".join(problems) + ".", note)
