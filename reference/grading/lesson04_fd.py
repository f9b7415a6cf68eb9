"""Graded part of lesson 4: the finite-difference Jacobian ``jacobian_fd(params, x, y, h)``.

Split from :mod:`reference.grading.lesson04`, which imports it at its end, so this
part registers whenever that module is imported. The student's function is called
at the fixed cases of :mod:`reference.answers.lesson04` (it takes the weights as
an argument): the same for every student, whatever their Part D numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.answers.lesson04 import FD_CASES, FD_STEP
from reference.checks import differences as dif
from reference.checks import misconceptions as mc
from reference.checks.matrices import check_jacobian
from reference.checks.result import WRONG_TYPE, CheckResult, wrong
from reference.lessons import l4_jacobian as l4

from .lesson04 import INPUTS, OUTPUTS, _agree_all
from .parts import Part, register


def _fd_reference(
    params: Sequence[float], x: float, y: float, kind: str, h: float = FD_STEP
) -> np.ndarray:
    """The Jacobian of the lesson's units by the ``kind`` difference with step ``h``."""
    point = np.array([x, y], dtype=float)
    cols = []
    for e in np.eye(2):
        cols.append(
            dif.difference(lambda t, e=e: l4.vector_function(params, point + t * e), 0.0, h, kind)
        )
    return np.column_stack(cols)


def judge_fd(data: Any) -> CheckResult:
    if not isinstance(data, dict):
        return wrong("jacobian_fd could not be called.", WRONG_TYPE)
    if "error" in data:
        return wrong(f"{data['error']}.", WRONG_TYPE)
    calls = data.get("calls", [])
    values = []
    for (params, x, y), call in zip(FD_CASES, calls, strict=True):
        if "raised" in call:
            if call["raised"].startswith("NotImplementedError"):
                return wrong("jacobian_fd is not implemented yet.", "missing")
            return wrong(
                f"jacobian_fd raised {call['raised']} for params={list(params)}, x={x}, y={y}.",
                "student-error",
            )
        values.append(np.array(call["value"], dtype=float).reshape(call["shape"]))
    results = [
        check_jacobian(
            v,
            _fd_reference(params, x, y, "central"),
            row_names=OUTPUTS,
            col_names=INPUTS,
            name="your jacobian_fd",
            rtol=1e-7,
            atol=1e-12,
        )
        for v, (params, x, y) in zip(values, FD_CASES, strict=True)
    ]
    verdict = _agree_all(results)
    if any(v.shape != (3, 2) for v in values) or verdict.note not in ("wrong", mc.FACTOR):
        return verdict
    named = dif.name_difference(
        np.stack(values),
        lambda kind, h: np.stack([_fd_reference(p, x, y, kind, h) for p, x, y in FD_CASES]),
        scheme="central",
        step=FD_STEP,
        exact=np.stack([l4.jacobian_numeric(p, x, y) for p, x, y in FD_CASES]),
        name="jacobian_fd",
    )
    return named or verdict


register(
    Part(
        "lesson04.jacobian_fd",
        2,
        judge=judge_fd,
        description="jacobian_fd(params, x, y, h): central-difference Jacobian",
    )
)
