"""Lesson 4 answers: matrices of formulas travel as entry texts; the FD Jacobian is called."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import sympy as sp

from reference.checks.safety import time_limit

from . import collects
from .plain import to_plain

#: (params, x, y) at which the student's finite-difference Jacobian is called.
FD_CASES = (
    ((1.0, 2.0, -1.0, 0.5, 0.0, 3.0), 0.5, -0.25),
    ((-1.5, 0.8, 2.2, -0.7, 1.1, 1.9), -0.3, 0.9),
    ((0.4, -2.5, 1.7, 1.3, -2.1, 0.6), 1.2, 0.4),
)
FD_STEP = 1e-2  # large enough that central, one-sided and exact answers differ clearly


def _entry_text(item: Any) -> str:
    if isinstance(item, sp.Basic):
        return str(item)
    if isinstance(item, bool | np.bool_):
        raise TypeError("an entry is True/False, not a formula")
    if isinstance(item, numbers.Real):
        return repr(float(item))
    if isinstance(item, str):
        return item[:5000]
    raise TypeError(f"an entry is a {type(item).__name__}, not a formula")


@collects("lesson04.jacobian")
@collects("lesson04.function_vector")
@collects("lesson04.jacobian_sympy")
def collect_formula_matrix(answer: Any) -> dict:
    """Rows of entry texts of a SymPy matrix (or a list / array of formulas)."""
    if answer is None or answer is Ellipsis:
        return {"missing": True}
    if isinstance(answer, sp.MatrixBase):
        rows = answer.tolist()
    elif isinstance(answer, sp.Basic):
        return {"error": "is a single expression, not a matrix; use sp.Matrix([[...], ...])"}
    elif isinstance(answer, list | tuple | np.ndarray):
        arr = np.empty(0, dtype=object)
        try:
            arr = np.array(answer, dtype=object)
        except ValueError:
            return {"error": "is ragged: its rows have different lengths"}
        if arr.ndim == 1:
            rows = [list(arr)]
        elif arr.ndim == 2:
            rows = arr.tolist()
        else:
            return {"error": f"has {arr.ndim} dimensions; a matrix has 2"}
    else:
        return {"error": f"is a {type(answer).__name__}, not a SymPy Matrix"}
    if sum(len(r) for r in rows) > 100:
        return {"error": "has far too many entries"}
    try:
        return {"rows": [[_entry_text(e) for e in row] for row in rows]}
    except TypeError as exc:
        return {"error": str(exc)}


@collects("lesson04.jacobian_fd", inputs=lambda: (FD_CASES, FD_STEP))
def collect_fd(fn: Any) -> dict:
    """Call ``jacobian_fd(params, x, y, h)`` at the fixed cases; keep values or errors."""
    outs: list[Any] = []
    if not callable(fn):
        return {"error": f"jacobian_fd is not a function (it is of type {type(fn).__name__})"}
    for params, x, y in FD_CASES:
        try:
            with time_limit(2.0):
                out = fn(np.array(params), x, y, FD_STEP)
            arr = np.array(out, dtype=float)
            if arr.size > 100:
                raise ValueError("returned far too many numbers")
            outs.append({"value": to_plain(arr), "shape": list(arr.shape)})
        except Exception as exc:  # noqa: BLE001 - student code may raise anything
            outs.append({"raised": f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"})
    return {"calls": outs}
