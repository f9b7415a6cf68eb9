"""Typical mistakes with gradients, sweeps and fields, each with the note that names it.

Families: swapped components, degrees where radians belong, a missing
normalisation (the rate not divided by the step, a unit vector where the
gradient's length was asked), the best value kept outside the loop, a fixed
function instead of the one given. Checked with the detectors of
:mod:`reference.checks.misconceptions` and through lesson 3.
"""

from __future__ import annotations

import numpy as np

from reference.checks.misconceptions import detect_swapped

from . import Case, mistake, part_check


def _swap_check(student, expected):
    """A vector answer judged by the component-swap detector alone."""
    from reference.checks.numeric import check_array

    verdict = check_array(student, expected)
    if verdict.passed:
        return verdict
    return detect_swapped(np.asarray(student, float), np.asarray(expected, float)) or verdict


def _angle_check(student, expected, *, points):
    """A function of an angle (in degrees) judged with the degrees/radians detector."""
    from reference.checks.functions import check_function

    return check_function(
        student,
        lambda a: expected(np.deg2rad(a)),
        points=points,
        related={"degrees": expected},
    )


ANGLES = [10.0, 35.0, 80.0, 120.0, 200.0, 300.0]


def sweep(step_unit="deg", report_unit="deg", divide=True, order="sin-cos", inside=True, f=None):
    """The lesson's sweep as students write it, with one slip at a time."""

    def routine(func, x, y):
        func = f or func
        step = 1e-4
        best_rate, best_angle, rate = -np.inf, 0.0, -np.inf
        for angle in np.arange(0, 360, 0.1):
            rad = np.deg2rad(angle) if step_unit == "deg" else angle
            a, b = (np.sin(rad), np.cos(rad)) if order == "sin-cos" else (np.cos(rad), np.sin(rad))
            rate = (func(x + a * step, y + b * step) - func(x, y)) / (step if divide else 1.0)
            if inside and rate > best_rate:
                best_rate, best_angle = rate, angle
        if not inside and rate > best_rate:
            best_rate, best_angle = rate, angle
        rad = np.deg2rad(best_angle) if report_unit == "deg" else best_angle
        return np.array([best_rate * np.sin(rad), best_rate * np.cos(rad)])

    return routine


def unit_sweep(func, x, y):
    g = sweep()(func, x, y)
    return g / np.linalg.norm(g)


def _p(id_, student, part, note, want="partial"):
    return mistake(f"mg-part-{id_}", part_check, student, part, note, want)


def _m(id_, check, student, expected, note, want="partial", **options):
    return mistake(f"mg-{id_}", check, student, expected, note, want, **options)


CASES: list[Case] = [
    # swapped components
    _m("swap-00", _swap_check, [27.0, 4.0], [4.0, 27.0], "swapped-components"),
    _m("swap-01", _swap_check, [1.0, -2.0], [-2.0, 1.0], "swapped-components"),
    _m(
        "swap-02",
        _swap_check,
        [[3.0, 4.0], [1.0, 2.0]],
        [[1.0, 2.0], [3.0, 4.0]],
        "swapped-components",
    ),
    _p("sweep-cos-sin", sweep(order="cos-sin"), "lesson03.sweep", "swapped-components"),
    _p("field-swapped", lambda xv, yv: (3 * yv**2, 2 * xv), "lesson03.field", "swapped-components"),
    # degrees where radians belong
    _m("deg-00", _angle_check, np.sin, np.sin, "degrees-radians", points=ANGLES),
    _m("deg-01", _angle_check, np.cos, np.cos, "degrees-radians", points=ANGLES),
    _m(
        "deg-02",
        _angle_check,
        lambda a: 2 * np.sin(a),
        lambda t: 2 * np.sin(t),
        "degrees-radians",
        points=ANGLES,
    ),  # fmt: skip
    _p("sweep-step-degrees", sweep(step_unit="rad"), "lesson03.sweep", "degrees-radians"),
    _p("sweep-report-degrees", sweep(report_unit="rad"), "lesson03.sweep", "degrees-radians"),
    # a missing normalisation, or one too many
    _p("sweep-not-divided", sweep(divide=False), "lesson03.sweep", "missing-normalisation"),
    _p("sweep-unit", unit_sweep, "lesson03.sweep", "unit-direction"),
    _p("grad-unit", np.array([1.0, 1.0]) / np.sqrt(2), "lesson03.grad_11", "constant-factor"),
    # the best value kept outside the loop
    _p("sweep-last-angle", sweep(inside=False), "lesson03.sweep", "last-angle"),
    # a fixed function instead of the one given
    _p("sweep-fixed", sweep(f=lambda x, y: x**2 + y**2), "lesson03.sweep", "fixed-function"),
    # the lesson's plotting code: fy = 2y
    _p("field-2y", lambda xv, yv: (2 * xv, 2 * yv), "lesson03.field", "field-y-component"),
    _p("field-x", lambda xv, yv: (xv**2, 3 * yv**2), "lesson03.field", "field-x-component"),
    _p("grad-sign", np.array([-2.0, -2.0]), "lesson03.grad_11", "sign-error"),
]

# Right answers written other ways: never a mistake.
CASES += [
    Case("mg-ok-00", _swap_check, [4.0, 27.0], [4.0, 27.0], "pass"),
    Case("mg-ok-01", _swap_check, [2.0, 2.0], [2.0, 2.0], "pass"),
    Case(
        "mg-ok-02",
        _angle_check,
        lambda a: np.sin(np.deg2rad(a)),
        np.sin,
        "pass",
        {"points": ANGLES},
    ),  # fmt: skip
    Case(
        "mg-ok-03",
        _angle_check,
        lambda a: np.sin(a * np.pi / 180),
        np.sin,
        "pass",
        {"points": ANGLES},
    ),  # fmt: skip
    Case("mg-ok-part-00", part_check, sweep(), "lesson03.sweep", "pass"),
    Case(
        "mg-ok-part-01",
        part_check,
        sweep(step_unit="rad", report_unit="rad"),
        "lesson03.sweep",
        "pass",
    ),  # fmt: skip
    Case(
        "mg-ok-part-02", part_check, lambda xv, yv: (xv + xv, 3 * yv * yv), "lesson03.field", "pass"
    ),  # fmt: skip
    Case("mg-ok-part-03", part_check, (2.0, 2.0), "lesson03.grad_11", "pass"),
    Case("mg-ok-part-04", part_check, np.hypot(2, 2), "lesson03.max_rate_11", "pass"),
]
