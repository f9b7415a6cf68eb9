"""Lesson 5 answers: dsigmoid is sampled; numerical_gradient is called on a fixed problem."""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.checks.functions import sample_function
from reference.checks.safety import time_limit

from . import collects
from .plain import to_plain

#: Where dsigmoid is sampled.
POINTS = np.concatenate([np.linspace(-8.0, 8.0, 33), [-0.1, 0.05, 0.3, 2.5, 12.0]])
#: The small problem on which numerical_gradient is graded.
GRAD_EPS = 1e-2  # large enough that one-sided, central and exact answers differ clearly
_RNG = np.random.default_rng(505)
GRAD_A = _RNG.standard_normal((6, 3))
GRAD_W = _RNG.standard_normal((3, 2))


def grad_loss(W: np.ndarray) -> float:
    """A smooth, non-quadratic loss of a 3x2 array (softplus plus a cubic term)."""
    z = GRAD_A @ np.asarray(W, dtype=float)
    return float(np.sum(np.logaddexp(0.0, z)) + 0.1 * np.sum(np.asarray(W, dtype=float) ** 3))


@collects("lesson05.dsigmoid", inputs=lambda: POINTS)
def dsigmoid(fn):
    return sample_function(fn, POINTS)


@collects("lesson05.numerical_gradient", inputs=lambda: (grad_loss, GRAD_A, GRAD_W, GRAD_EPS))
def collect_gradient(fn: Any) -> dict:
    """Call ``numerical_gradient(loss_fn, W, eps)`` on the fixed problem."""
    if not callable(fn):
        return {
            "error": f"numerical_gradient is not a function (it is of type {type(fn).__name__})"
        }
    W = GRAD_W.copy()
    try:
        with time_limit(2.0):
            out = fn(grad_loss, W, GRAD_EPS)
        if out is None:
            return {"error": "numerical_gradient returned None (is a return statement missing?)"}
        value = to_plain(np.array(out, dtype=float))
    except Exception as exc:  # noqa: BLE001 - student code may raise anything
        return {"raised": f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"}
    restored = bool(np.array_equal(W, GRAD_W))
    return {"value": value, "restored": restored}
