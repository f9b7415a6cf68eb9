"""Case rows for :func:`check_step_size`.

The ``expected`` column holds the problem: ``{"func", "dfunc", "x"}``.
"""

from __future__ import annotations

import math
import time

import numpy as np

from reference.checks.result import CheckResult
from reference.checks.steps import check_step_size

from . import Case


def step_check(student, problem, **options) -> CheckResult:
    """Adapt :func:`check_step_size` to the ``(student, expected)`` table form."""
    return check_step_size(student, **problem, **options)


class SlowFloat:
    def __float__(self):
        while True:
            time.sleep(0.01)


EXP = {"func": math.exp, "dfunc": math.exp, "x": 1.0}
SIN = {"func": math.sin, "dfunc": math.cos, "x": 0.5}
LOG = {"func": math.log, "dfunc": lambda x: 1 / x, "x": 100.0}
SIGMOID = {
    "func": lambda x: 1 / (1 + math.exp(-x)),
    "dfunc": lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2,
    "x": 0.3,
}


def _s(id_, student, problem, want, note=None, says=None, **options):
    return Case(f"step-{id_}", step_check, student, problem, want, options, note, says)


CASES = [
    # Good steps.
    _s("forward-1e-8", 1e-8, EXP, "pass", "correct"),
    _s("forward-sqrt-eps", math.sqrt(np.finfo(float).eps), EXP, "pass"),
    _s("forward-np-float", np.float64(2e-8), EXP, "pass"),
    _s("forward-list", [1e-8], EXP, "pass"),
    _s("forward-sin", 1e-8, SIN, "pass"),
    _s("backward-sin", 1e-8, SIN, "pass", scheme="backward"),
    _s("central-1e-5", 1e-5, EXP, "pass", scheme="central"),
    _s("central-cbrt-eps", np.finfo(float).eps ** (1 / 3), SIN, "pass", scheme="central"),
    _s("forward-scaled-x", 1e-6, LOG, "pass"),
    _s("sigmoid", 1e-8, SIGMOID, "pass"),
    _s("loose-factor", 1e-7, EXP, "pass", factor=100.0),
    # Too small: catastrophic cancellation.
    _s("tiny", 1e-13, EXP, "partial", "cancellation", says="cancellation"),
    _s("tiny-central", 1e-10, EXP, "partial", "cancellation", scheme="central"),
    _s("below-ulp", 1e-20, EXP, "fail", "cancellation", says="x + h == x"),
    _s("subnormal", 5e-324, SIN, "fail", "cancellation"),
    _s("forward-1e-8-log", 1e-8, LOG, "partial", "cancellation"),
    # Too large: truncation.
    _s("large", 1e-2, EXP, "partial", "truncation", says="truncation"),
    _s("large-central", 1e-2, SIN, "partial", "truncation", scheme="central"),
    _s("central-with-forward-h", 1e-8, EXP, "partial", "cancellation", scheme="central"),
    _s("huge", 10.0, EXP, "fail", "truncation"),
    _s("enormous", 1e300, EXP, "fail", "truncation"),
    # Bad inputs.
    _s("zero", 0.0, EXP, "message", "not-positive", says="positive"),
    _s("negative", -1e-8, EXP, "message", "not-positive"),
    _s("nan", math.nan, EXP, "message", "not-finite", says="NaN"),
    _s("inf", math.inf, EXP, "message", "not-finite"),
    _s("string", "1e-8", EXP, "message", "wrong-type", says="string"),
    _s("none", None, EXP, "message", "missing"),
    _s("bool", True, EXP, "message", "wrong-type"),
    _s("two-steps", [1e-8, 1e-6], EXP, "message", "wrong-shape"),
    _s("function", lambda: 1e-8, EXP, "message", "wrong-type"),
    _s("complex", 1e-8 + 1e-8j, EXP, "message", "wrong-type"),
    _s("slow-float", SlowFloat(), EXP, "message", "timeout", timeout=0.2),
    _s("reveal", 1e-2, EXP, "partial", "truncation", says="best step", reveal=True),
]
