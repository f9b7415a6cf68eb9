"""Lesson 4: the Jacobian of three sigmoid units of (x, y).

The function is (sigma(px+qy), sigma(rx+sy), sigma(tx+uy)). Because
sigma'(z) = sigma(z) * (1 - sigma(z)), each row of the Jacobian is that
unit's weights times its sigmoid slope: J = diag(s * (1 - s)) @ W with
W = [[p, q], [r, s], [t, u]]. Rows index outputs, columns index inputs; this
is the layer Jacobian that backpropagation multiplies by in lesson 5.

Each student evaluates J at weights and a point of their own
(:mod:`calcml_tasks.lesson04`); :class:`Layer` is that task, :func:`Layer.of` a
variant's (None: the seed's, (1, 2, -1, 0.5, 0, 3) at (0.5, -0.25)).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

VecFunc = Callable[[np.ndarray], np.ndarray]

x, y = sp.symbols("x y")
p, q, r, s, t, u = sp.symbols("p q r s t u")
PARAMS = (p, q, r, s, t, u)
INPUTS = (x, y)
#: The seed's weights (p, q, r, s, t, u) and point (x, y) of "the Jacobian at one point".
EXAMPLE_PARAMS = (1.0, 2.0, -1.0, 0.5, 0.0, 3.0)
EXAMPLE_POINT = (0.5, -0.25)


def sigmoid(z):
    """Logistic function 1 / (1 + e^-z), written so large |z| neither overflows nor warns.

    >>> float(sigmoid(0.0))
    0.5
    """
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def sigmoid_sympy(z: sp.Expr) -> sp.Expr:
    """The logistic function as a SymPy expression."""
    return 1 / (1 + sp.exp(-z))


def function_sympy() -> sp.Matrix:
    """The lesson's vector function as a 3x1 SymPy column."""
    return sp.Matrix(
        [sigmoid_sympy(p * x + q * y), sigmoid_sympy(r * x + s * y), sigmoid_sympy(t * x + u * y)]
    )


def jacobian_sympy() -> sp.Matrix:
    """3x2 Jacobian of :func:`function_sympy` with respect to (x, y), as SymPy computes it."""
    return function_sympy().jacobian(sp.Matrix(INPUTS))


def jacobian_closed_form() -> sp.Matrix:
    """The same Jacobian written by hand with the chain rule: entries like p*s1*(1 - s1).

    Here s1, s2, s3 are the three sigmoid outputs.

    >>> jacobian_closed_form().shape
    (3, 2)
    """
    rows = []
    for a, b in ((p, q), (r, s), (t, u)):
        unit = sigmoid_sympy(a * x + b * y)
        slope = unit * (1 - unit)
        rows.append([a * slope, b * slope])
    return sp.Matrix(rows)


def _weights(params: Sequence[float]) -> np.ndarray:
    w = np.asarray(params, dtype=float)
    if w.shape != (6,):
        raise ValueError(f"params must be the six numbers (p, q, r, s, t, u), got shape {w.shape}")
    return w.reshape(3, 2)


def vector_function(params: Sequence[float], point: Sequence[float]) -> np.ndarray:
    """Numeric value of the three sigmoid outputs at ``point = (x, y)``."""
    return sigmoid(_weights(params) @ np.asarray(point, dtype=float))


def jacobian_numeric(params: Sequence[float], x: float, y: float) -> np.ndarray:
    """Closed-form Jacobian evaluated at (x, y) for ``params = (p, q, r, s, t, u)``.

    >>> jacobian_numeric([1, 0, 0, 1, 0, 0], 0.0, 0.0).tolist()
    [[0.25, 0.0], [0.0, 0.25], [0.0, 0.0]]
    """
    w = _weights(params)
    out = sigmoid(w @ np.array([x, y], dtype=float))
    return (out * (1 - out))[:, None] * w


def jacobian_finite_difference(
    func: VecFunc, point: Sequence[float], h: float = 1e-6
) -> np.ndarray:
    """Central-difference Jacobian of any vector function: rows = outputs, columns = inputs.

    Column j is (func(point + h e_j) - func(point - h e_j)) / 2h, the rate of
    change of every output when only input j moves.

    >>> def g(v):
    ...     return np.array([2 * v[0] * v[1], v[0] ** 2 * v[1]])
    >>> np.round(jacobian_finite_difference(g, [1.0, 2.0]), 6).tolist()
    [[4.0, 2.0], [4.0, 1.0]]
    """
    point = np.asarray(point, dtype=float)
    columns = []
    for j in range(point.size):
        e = np.zeros_like(point)
        e[j] = h
        diff = np.asarray(func(point + e), float) - np.asarray(func(point - e), float)
        columns.append(diff / (2 * h))
    return np.column_stack(columns)


@dataclass(frozen=True)
class Layer:
    """A student's weights and point for the Jacobian at one point.

    >>> layer = Layer()  # the seed's task
    >>> np.round(layer.jacobian_at_point(), 4).tolist()[0]
    [0.25, 0.5]
    >>> layer.at_point_values()["s"], layer.at_point_values()["y"]
    (0.5, -0.25)
    """

    params: tuple[float, ...] = EXAMPLE_PARAMS
    point: tuple[float, float] = EXAMPLE_POINT

    @classmethod
    def of(cls, variant: Mapping | None) -> Layer:
        """The layer of a variant (None: the seed's task)."""
        if variant is None:
            return cls()
        params = tuple(float(variant[str(w)]) for w in PARAMS)
        return cls(params, (float(variant["x"]), float(variant["y"])))

    def at_point_values(self) -> dict[str, float]:
        """The numbers of Part D by symbol name: ``{"p": 1.0, ..., "y": -0.25}``."""
        names = [str(w) for w in (*PARAMS, *INPUTS)]
        return dict(zip(names, (*self.params, *self.point), strict=True))

    def jacobian_at_point(self) -> np.ndarray:
        """J at the task's weights and point, 3x2."""
        return jacobian_numeric(self.params, *self.point)

    def no_inner_at_point(self) -> np.ndarray:
        """The chain rule without the inner derivative: s_i (1 - s_i) in both columns."""
        out = vector_function(self.params, self.point)
        return np.repeat((out * (1 - out))[:, None], 2, axis=1)


def summary() -> dict:
    """Key answers of lesson 4 as plain data."""
    params = list(EXAMPLE_PARAMS)
    point = list(EXAMPLE_POINT)
    s1, s2, s3 = sp.symbols("s1 s2 s3")
    units = {
        sigmoid_sympy(p * x + q * y): s1,
        sigmoid_sympy(r * x + s * y): s2,
        sigmoid_sympy(t * x + u * y): s3,
    }
    return {
        "jacobian": str(jacobian_closed_form().subs(units).tolist()),
        "jacobian_rule": "row i = (a_i, b_i) * s_i * (1 - s_i), s_i = sigmoid(a_i x + b_i y)",
        "example_params_pqrstu": params,
        "example_point_xy": point,
        "example_jacobian": jacobian_numeric(params, *point).tolist(),
        "example_jacobian_finite_difference": jacobian_finite_difference(
            lambda v: vector_function(params, v), point
        ).tolist(),
    }
