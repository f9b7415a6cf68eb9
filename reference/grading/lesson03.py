"""Graded parts of lesson 3: the gradient of x^2 + y^2 and x^2 + y^3, exactly and by a sweep.

Each student has their own a x^2 + b y^2, point and c x^2 + d y^3
(:mod:`calcml_tasks.lesson03`); the seed's task is x^2 + y^2 at (1, 1) and
x^2 + y^3. The sweep is graded on fixed functions for everyone; only the
naming of a sweep that ignores ``func`` needs the student's functions.
"""

from __future__ import annotations

import math

import numpy as np

from calcml_tasks.lesson03 import latex_cube, latex_sq
from reference.answers.lesson03 import FIELD_X, FIELD_Y, SWEEP_INPUTS
from reference.checks import misconceptions as mc
from reference.checks.discrete import check_choice
from reference.checks.numeric import BadAnswer, as_float_array, check_array, check_number
from reference.checks.plots import check_figure
from reference.checks.result import CheckResult, correct, register_note, wrong
from reference.checks.tolerance import Tolerance
from reference.lessons import l3_gradients as l3

from .carry import CarryForward, close
from .parts import Part, register

LAST_ANGLE = register_note(
    "last-angle", "The sweep reports the rate at the last angle tried, not the steepest one."
)
SWAPPED = mc.SWAPPED
UNIT_ONLY = register_note("unit-direction", "Only the direction (a unit vector) was returned.")
FIXED_FUNCTION = register_note(
    "fixed-function", "The routine ignores the function it is given and uses a fixed one."
)
WRONG_Y = register_note("field-y-component", "The y component of the gradient field is wrong.")
WRONG_X = register_note("field-x-component", "The x component of the gradient field is wrong.")


def _new_gradient(x, y):
    """The gradient of the unseen function sin(x) + x y^2."""
    return np.array([math.cos(x) + y**2, 2 * x * y])


#: (name shown in feedback, exact gradient) for each case of ``answers.lesson03.SWEEP_INPUTS``.
SWEEP_CASES = (
    ("x^2 + y^2 at (1, 1)", l3.grad_f_sq(1.0, 1.0)),
    ("another function at (0.5, -1.2)", _new_gradient(0.5, -1.2)),
    ("another function at (-1, 0.8)", _new_gradient(-1.0, 0.8)),
)
#: A sweep on a 0.1-degree grid with a forward step is off by well under 1 %.
SWEEP_RTOL = 0.01
#: The tolerance of grad_11, as check_array applies it.
_GRAD_TOL = Tolerance(rtol=1e-6)
#: Credit for a sweep that is right but for one fixed function: as right as one case of three.
FIXED_FUNCTION_CREDIT = 1 / 3


def _task(v) -> l3.GradientTask:
    return l3.GradientTask.of(v)


def _values(v) -> dict:
    """The variant's values, the seed's task for None (for the words of feedback)."""
    return dict(_task(v).__dict__)


def judge_grad(value, v) -> CheckResult:
    """grad_11: the gradient of a x^2 + b y^2 at the student's point."""
    expected = _task(v).gradient()
    result = check_array(value, expected, name="grad_11", rtol=1e-6)
    if result.note != "wrong":
        return result
    swapped = mc.detect_swapped(as_float_array(value, "grad_11"), expected, tol=_GRAD_TOL)
    if swapped is not None:
        return CheckResult(
            swapped.score,
            "grad_11 has its two components swapped: first the derivative with respect to x "
            "(df/dx), then with respect to y (df/dy).",
            swapped.note,
        )
    return result


def judge_max_rate(value, v) -> CheckResult:
    """max_rate_11: the length of that gradient."""
    return check_number(value, _task(v).max_rate(), name="max_rate_11", rtol=1e-4)


register(
    Part(
        "lesson03.grad_11",
        1,
        judge_grad,
        "the gradient of f_sq at the task's point",
        varies=True,
    )
)

register(
    Part(
        "lesson03.max_rate_11",
        1,
        judge_max_rate,
        "the largest rate of change of f_sq at the task's point",
        varies=True,
        carry=CarryForward(
            uses={"lesson03.grad_11": "grad_11 (Part A)"},
            consistent=lambda v, e, _: close(
                as_float_array(v, "max_rate_11").item(),
                np.linalg.norm(as_float_array(e["lesson03.grad_11"], "grad_11")),
                rtol=1e-4,
            ),
        ),
    )
)


def _close(v: np.ndarray, g: np.ndarray) -> bool:
    return bool(np.linalg.norm(v - g) <= SWEEP_RTOL * np.linalg.norm(g))


def _last_angle(v: np.ndarray, g: np.ndarray) -> bool:
    """v is the rate of change along a direction within 2 degrees of +y, where a sweep ends.

    That rate may be negative, so v may point along -y as well.
    """
    size = float(np.linalg.norm(v))
    if size == 0 or math.degrees(math.atan2(abs(v[0]), abs(v[1]))) > 2.0:
        return False
    if abs(math.degrees(math.atan2(g[0], g[1]))) <= 5.0:
        return False  # the true gradient points that way too
    sign = 1.0 if v[1] > 0 else -1.0
    u = sign * v / size
    return abs(sign * size - float(g @ u)) <= SWEEP_RTOL * float(np.linalg.norm(g))


#: The lesson's sweep: angles in degrees, step h = 1e-4 (Part B).
SWEEP_ANGLES = np.arange(0.0, 360.0, 0.1)
SWEEP_STEP = 1e-4


def _sweep_with_units(func, x: float, y: float, step_unit: str, report_unit: str) -> np.ndarray:
    """The lesson's sweep with the angle converted (``"deg"``) or not (``"rad"``) where it
    steps and where it reports: a sweep that mixes them is the degrees/radians slip."""
    a = SWEEP_ANGLES
    rad = np.deg2rad(a) if step_unit == "deg" else a
    rates = func(x + np.sin(rad) * SWEEP_STEP, y + np.cos(rad) * SWEEP_STEP) - func(x, y)
    rates = rates / SWEEP_STEP
    i = int(np.argmax(rates))
    best = np.deg2rad(a[i]) if report_unit == "deg" else a[i]
    return rates[i] * np.array([np.sin(best), np.cos(best)])


def _unit_slip(vectors: list) -> CheckResult | None:
    """Degrees and radians mixed between the step and the report, for every case."""
    for step_unit, report_unit in (("deg", "rad"), ("rad", "deg")):
        hits = [
            v is not None
            and _close(v, _sweep_with_units(f, x, y, step_unit, report_unit))
            and not _close(v, c[1])
            for v, (f, (x, y)), c in zip(vectors, SWEEP_INPUTS, SWEEP_CASES, strict=True)
        ]
        if all(hits):
            where = "steps" if step_unit == "rad" else "reports the result"
            return CheckResult(
                0.5,
                f"sweep_gradient {where} with the angle in degrees passed to np.sin and np.cos, "
                "which take radians: convert every angle with np.deg2rad (both where it steps "
                "and where it builds the result).",
                mc.DEG_RAD,
            )
    return None


def _fixed_functions(v) -> list[tuple[str, object]]:
    """(words, exact gradient) of the functions a sweep may call instead of ``func``: the
    notebook's f_sq and f_cube (the student's own) and the seed's x^2 + y^2."""
    task, values = _task(v), _values(v)
    return [
        (f"your f_sq, {latex_sq(values)}", task.grad_f_sq),
        (f"your f_cube, {latex_cube(values)}", task.grad_f_cube),
        ("x^2 + y^2", l3.grad_f_sq),
    ]


def _fixed_function(vectors: list, v) -> CheckResult | None:
    """Every vector is the gradient of one fixed function at the case's point, not of ``func``."""
    cases = [(vec, xy) for vec, (_, xy) in zip(vectors, SWEEP_INPUTS, strict=True)]
    if any(vec is None for vec, _ in cases):
        return None
    for words, grad in _fixed_functions(v):
        if all(_close(vec, grad(*xy)) for vec, xy in cases):
            return CheckResult(
                FIXED_FUNCTION_CREDIT,
                f"sweep_gradient gives the gradient of {words} wherever it is run, not of "
                "the function it is given: it must call the function `func` it is given, at "
                "the point (x, y) it is given.",
                FIXED_FUNCTION,
            )
    return None


def judge_sweep(results, variant=None) -> CheckResult:
    """The sweep on the fixed cases; ``variant`` only names a sweep that ignores ``func``."""
    if not isinstance(results, list) or len(results) != len(SWEEP_CASES):
        return wrong("sweep_gradient could not be run.", "check-error")
    vectors: list[np.ndarray | None] = []
    first_problem = ""
    for (name, _), res in zip(SWEEP_CASES, results, strict=True):
        if isinstance(res, dict) and "error" in res:
            vectors.append(None)
            first_problem = first_problem or f"on {name} it raised {res['error']}"
            continue
        try:
            v = as_float_array(res, "the result of sweep_gradient")
        except BadAnswer as bad:
            vectors.append(None)
            first_problem = first_problem or bad.result.feedback
            continue
        if v.shape != (2,) or not np.all(np.isfinite(v)):
            vectors.append(None)
            first_problem = first_problem or (
                f"on {name} it did not return two finite numbers (gx, gy)"
            )
            continue
        vectors.append(v)
    ok = [v is not None and _close(v, c[1]) for v, c in zip(vectors, SWEEP_CASES, strict=True)]
    if all(ok):
        return correct()
    wrong_cases = [(v, c) for v, c, good in zip(vectors, SWEEP_CASES, ok, strict=True) if not good]
    usable = [(v, c) for v, c in wrong_cases if v is not None]
    if usable and all(_last_angle(v, c[1]) for v, c in usable):
        return CheckResult(
            0.25,
            "sweep_gradient reports the rate of change along the last angle tried (a direction "
            "close to the +y axis), not along the steepest one: the comparison that keeps the "
            "largest rate must run for every angle, inside the loop.",
            LAST_ANGLE,
        )
    unit_slip = _unit_slip(vectors)
    if unit_slip is not None:
        return unit_slip
    if usable and all(_close(v / SWEEP_STEP, c[1]) for v, c in usable):
        return CheckResult(
            0.5,
            "sweep_gradient returns the change of f over one step, not its rate of change: "
            "divide the difference f(x + dx, y + dy) - f(x, y) by the step h.",
            mc.MISSING_NORM,
        )
    if usable and all(_close(v[::-1], c[1]) for v, c in usable):
        return CheckResult(
            0.5,
            "The two components of your gradient are swapped for some functions: with the lesson's "
            "angles the x step is step*sin(angle) and the y step is step*cos(angle), and the "
            "gradient must be built the same way.",
            SWAPPED,
        )
    if usable and all(
        abs(np.linalg.norm(v) - 1) < 1e-3 and _close(v, c[1] / np.linalg.norm(c[1]))
        for v, c in usable
    ):
        return CheckResult(
            0.5,
            "sweep_gradient returns only the direction of steepest ascent (a unit vector); its "
            "length should be the largest rate of change.",
            UNIT_ONLY,
        )
    fixed = _fixed_function(vectors, variant)
    if fixed is not None:
        return fixed
    score = sum(ok) / len(ok)
    if ok[0] and not any(ok[1:]):
        return CheckResult(
            score,
            "sweep_gradient is right for x^2 + y^2 but not for another function: it must call "
            "the function `func` it is given, at the point (x, y) it is given.",
            FIXED_FUNCTION,
        )
    names = [c[0] for _, c in wrong_cases]
    detail = f" ({first_problem})" if first_problem else ""
    return CheckResult(
        score,
        f"sweep_gradient is off by more than 1 % for {', '.join(names)}{detail}.",
        "wrong",
    )


register(
    Part(
        "lesson03.sweep",
        3,
        judge=judge_sweep,
        description="sweep_gradient(func, x, y) on x^2+y^2 and on an unseen function",
        varies=True,
    )
)

register(
    Part(
        "lesson03.sin_choice",
        1,
        judge=lambda c: check_choice(
            c,
            "B",
            choices="ABCD",
            explain={
                "A": "The derivative of sine plays no part here: the small step only has to point "
                "in the direction of the angle.",
                "C": "Using cos for the x step and sin for the y step everywhere only changes "
                "where angles are counted from; the steepest direction found is the same.",
            },
        ),
        description="why dx = step * sin(angle)",
    )
)


def judge_field(data, v) -> CheckResult:
    if not isinstance(data, dict) or "parts" not in data:
        reason = data.get("error", "an error") if isinstance(data, dict) else "an error"
        return wrong(f"grad_field(xv, yv) could not be called on a grid: it raised {reason}.")
    parts = data["parts"]
    if len(parts) != 2:
        return wrong(f"grad_field should return two arrays (fx, fy), not {len(parts)}.")
    task, values = _task(v), _values(v)
    fx_exp, fy_exp = task.gradient_field(FIELD_X, FIELD_Y)
    g, d = latex_cube(values), task.d
    shape_msg = "each component should have the shape of the grid it is given"
    checks = []
    for part, exp, name in ((parts[0], fx_exp, "fx"), (parts[1], fy_exp, "fy")):
        part = np.broadcast_to(np.asarray(part, float), exp.shape) if np.size(part) == 1 else part
        checks.append(check_array(part, exp, name=name, rtol=1e-6, atol=1e-9))
    if any(c.note == "wrong-shape" for c in checks):
        return wrong(f"grad_field: {shape_msg}.", "wrong-shape")
    x_ok, y_ok = checks[0].passed, checks[1].passed
    if x_ok and y_ok:
        return correct()
    swapped = [
        check_array(part, exp, rtol=1e-6, atol=1e-9).passed
        for part, exp in ((parts[0], fy_exp), (parts[1], fx_exp))
    ]
    if all(swapped):
        return CheckResult(
            0.5,
            "grad_field returns the two components in the wrong order: first the derivative "
            "with respect to x (fx), then with respect to y (fy).",
            SWAPPED,
        )
    if x_ok:
        fy = np.asarray(parts[1], dtype=float)
        # The lesson's slip: y^3 differentiated as if it were y^2 (2 d y, or the lesson's 2y).
        for k in dict.fromkeys((2 * d, 2)):
            if fy.shape == fy_exp.shape and np.allclose(fy, k * FIELD_Y):
                as_square = latex_cube({**values, "d": k // 2}).replace("y^3", "y^2")
                return CheckResult(
                    0.5,
                    f"The x component is right, but the y component {_term(k, 'y')} belongs to "
                    f"{as_square}, not to {g}: differentiate {_term(d, 'y^3')} with respect to y.",
                    WRONG_Y,
                )
        return CheckResult(0.5, "The x component is right, the y component is not.", WRONG_Y)
    if y_ok:
        return CheckResult(0.5, "The y component is right, the x component is not.", WRONG_X)
    return wrong(f"Neither component of grad_field matches the gradient of {g}.")


def _term(coef: int, body: str) -> str:
    return body if coef == 1 else f"{coef}{body}"


register(
    Part(
        "lesson03.field",
        2,
        judge=judge_field,
        description="grad_field(xv, yv), the gradient of f_cube",
        varies=True,
    )
)


def quiver_spec(v) -> dict:
    """Part D.2 states: arrows (quiver) on a grid of x and y from -10 to 10, of unit length in
    the direction of the gradient of the student's g, coloured by its length with
    cmap="viridis", and a title."""
    return {
        "quiver": {
            "function": _task(v).gradient_field,
            "name": f"the gradient of {latex_cube(_values(v))}",
            "unit": True,
            "color": "magnitude",
            "cmap": "viridis",
            "extent": (-10.0, 10.0),
        },
        "title": True,
    }


#: The seed's own figure spec (tests of the plot checks read it).
QUIVER_SPEC = quiver_spec(None)

register(
    Part(
        "lesson03.quiver",
        2,
        judge=lambda d, v: check_figure(d, quiver_spec(v)),
        description="fig3: quiver plot of the gradient field of f_cube",
        varies=True,
    )
)
