"""Checks for matrices and Jacobians.

Both require a 2-D answer of the expected shape, recognise a transposed answer
(also for square matrices: the student's matrix equals ``expected.T`` but not
``expected``) and name the wrong entries. SymPy matrices whose entries are all
numbers are accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .numeric import (
    CONVERT_TIMEOUT,
    WRONG_SHAPE,
    BadAnswer,
    as_float_array,
    cap,
    compare_arrays,
    fmt_shape,
    split_options,
)
from .result import CheckResult, wrong
from .safety import answer_check

_EXTRA = ("timeout", "transposed_credit")


def _as_matrix(student: Any, name: str, timeout: float) -> np.ndarray:
    values = as_float_array(student, name, timeout=timeout)
    if values.ndim != 2:
        raise BadAnswer(
            wrong(
                f"{cap(name)} should be a 2-D array (a matrix), but it is "
                f"{'an array of ' if values.ndim else ''}{fmt_shape(values.shape)}. "
                "Build it as a list of rows or use np.array([[...]]).",
                WRONG_SHAPE,
            )
        )
    return values


@answer_check
def check_matrix(
    student: Any,
    expected: Any,
    *,
    reveal: bool = False,
    name: str = "your matrix",
    **options: float,
) -> CheckResult:
    """Check a 2-D matrix entry by entry; a transposed answer earns partial credit.

    Options: ``rtol``, ``atol``, ``zero_level``, ``zero_tol``,
    ``transposed_credit`` (default 0.5).

    >>> check_matrix([[1, 2], [3, 4]], np.array([[1.0, 2.0], [3.0, 4.0]])).note
    'correct'
    >>> check_matrix([[1, 3], [2, 4]], [[1, 2], [3, 4]]).note
    'transposed'
    """
    tol = split_options(options, _EXTRA)
    exp = np.asarray(expected, dtype=float)
    if exp.ndim != 2:
        raise ValueError("check_matrix needs a 2-D expected matrix")
    try:
        values = _as_matrix(student, name, float(options.get("timeout", CONVERT_TIMEOUT)))
    except BadAnswer as bad:
        return bad.result

    def label(i: tuple[int, ...]) -> str:
        return f"row {i[0]}, column {i[1]}"

    return compare_arrays(
        values,
        exp,
        tol,
        name=name,
        reveal=reveal,
        label=label,
        transposed_credit=float(options.get("transposed_credit", 0.5)),
    )


@answer_check
def check_jacobian(
    student: Any,
    expected: Any,
    *,
    row_names: Sequence[str] | None = None,
    col_names: Sequence[str] | None = None,
    reveal: bool = False,
    name: str = "your Jacobian",
    **options: float,
) -> CheckResult:
    """Check a Jacobian: rows are outputs, columns are inputs.

    Wrong entries are named as partial derivatives, ``"d f2 / d y"``, using
    ``row_names`` (outputs) and ``col_names`` (inputs) when given.

    >>> J = np.array([[1.0, 2.0], [0.0, 3.0], [4.0, 5.0]])
    >>> r = check_jacobian(J.T, J, row_names=["f1", "f2", "f3"], col_names=["x", "y"])
    >>> r.note
    'transposed'
    >>> r = check_jacobian([[1, 2], [0, 9], [4, 5]], J, col_names=["x", "y"])
    >>> "d f2 / d y" in r.feedback
    True
    """
    tol = split_options(options, _EXTRA)
    exp = np.asarray(expected, dtype=float)
    if exp.ndim != 2:
        raise ValueError("check_jacobian needs a 2-D expected Jacobian")
    m, n = exp.shape
    rows = list(row_names) if row_names is not None else [f"f{i + 1}" for i in range(m)]
    cols = list(col_names) if col_names is not None else [f"x{j + 1}" for j in range(n)]
    if len(rows) != m or len(cols) != n:
        raise ValueError("row_names/col_names do not match the expected shape")
    try:
        values = _as_matrix(student, name, float(options.get("timeout", CONVERT_TIMEOUT)))
    except BadAnswer as bad:
        return bad.result

    def label(i: tuple[int, ...]) -> str:
        return f"d {rows[i[0]]} / d {cols[i[1]]}"

    result = compare_arrays(
        values,
        exp,
        tol,
        name=name,
        reveal=reveal,
        label=label,
        transposed_credit=float(options.get("transposed_credit", 0.5)),
    )
    if result.note in ("transposed", WRONG_SHAPE):
        hint = (
            f" A Jacobian has one row per output ({m}: {', '.join(rows[:4])}"
            f"{', ...' if m > 4 else ''}) and one column per input ({n}: "
            f"{', '.join(cols[:4])}{', ...' if n > 4 else ''})."
        )
        result = CheckResult(result.score, result.feedback + hint, result.note)
    return result
