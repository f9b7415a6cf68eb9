"""Checks for matrices and Jacobians.

Both require a 2-D answer of the expected shape, recognise a transposed answer
(also for square matrices: the student's matrix equals ``expected.T`` but not
``expected``) and name the wrong entries. A Jacobian whose columns (inputs) or
rows (outputs) are taken in another order is named too. SymPy matrices whose
entries are all numbers are accepted.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from .numeric import (
    CONVERT_TIMEOUT,
    WRONG_SHAPE,
    BadAnswer,
    as_float_array,
    cap,
    close_or_both_nan,
    compare_arrays,
    fmt_shape,
    split_options,
)
from .result import CheckResult, register_note, wrong
from .safety import answer_check
from .tolerance import Tolerance

VARIABLE_ORDER = register_note(
    "variable-order", "The Jacobian's columns take the input variables in the wrong order."
)
OUTPUT_ORDER = register_note(
    "output-order", "The Jacobian's rows take the outputs in the wrong order."
)
_EXTRA = ("timeout", "transposed_credit", "order_credit")
#: Most rows or columns whose orders are tried (n! permutations).
_MAX_PERMUTED = 4


def find_permutation(values: np.ndarray, expected: np.ndarray, axis: int, tol: Tolerance):
    """A non-identity order of ``expected``'s rows (axis 0) or columns (1) equal to
    ``values``, as a tuple, or None.

    >>> find_permutation(np.array([[2, 1], [4, 3]]), np.array([[1, 2], [3, 4]]), 1, Tolerance())
    (1, 0)
    """
    n = expected.shape[axis]
    if values.shape != expected.shape or not 2 <= n <= _MAX_PERMUTED:
        return None
    for perm in itertools.permutations(range(n)):
        if perm == tuple(range(n)):
            continue
        other = np.take(expected, perm, axis=axis)
        if np.all(close_or_both_nan(tol, other, expected)):
            continue  # equal rows/columns: this order changes nothing
        if np.all(close_or_both_nan(tol, values, other)):
            return perm
    return None


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
    tol = split_options(options, _EXTRA, "check_matrix")
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
    tol = split_options(options, _EXTRA, "check_jacobian")
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
    if not result.passed and result.note not in ("transposed", WRONG_SHAPE, "missing"):
        order = _order_mistake(values, exp, tol, cols, rows, name, options)
        if order is not None:
            return order
    if result.note in ("transposed", WRONG_SHAPE):
        hint = (
            f" A Jacobian has one row per output ({m}: {', '.join(rows[:4])}"
            f"{', ...' if m > 4 else ''}) and one column per input ({n}: "
            f"{', '.join(cols[:4])}{', ...' if n > 4 else ''})."
        )
        result = CheckResult(result.score, result.feedback + hint, result.note)
    return result


def _order_mistake(
    values: np.ndarray,
    exp: np.ndarray,
    tol: Tolerance,
    cols: list[str],
    rows: list[str],
    name: str,
    options: dict,
) -> CheckResult | None:
    """A Jacobian with its inputs (columns) or outputs (rows) in another order."""
    credit = float(options.get("order_credit", 0.5))
    perm = find_permutation(values, exp, 1, tol)
    if perm is not None:
        order = ", ".join(cols[j] for j in perm)
        return CheckResult(
            credit,
            f"{cap(name)} takes the input variables in the wrong order: its columns are the "
            f"derivatives with respect to {order}, but column j must hold the derivatives with "
            f"respect to input j ({', '.join(cols)}).",
            VARIABLE_ORDER,
        )
    perm = find_permutation(values, exp, 0, tol)
    if perm is not None:
        return CheckResult(
            credit,
            f"{cap(name)} has its rows (outputs) in the wrong order: row i must hold the "
            f"derivatives of output i ({', '.join(rows)}), in the order the outputs are given.",
            OUTPUT_ORDER,
        )
    return None
