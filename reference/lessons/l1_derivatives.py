"""Lesson 1: the derivative of f(x) = x^3 - 2x^2 + 1, by the rules and by rate of change.

The power rule gives f'(x) = 3x^2 - 4x. A difference quotient only approaches
it: the forward quotient is off by about h*f''/2, the central one by about
h^2*f'''/6, and for very small h both drown in rounding error of order eps/h
because f(x+h) and f(x) agree in almost all their digits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import sympy as sp

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn: the grader never does
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Func = Callable[[np.ndarray], np.ndarray]
Method = Literal["forward", "central"]

X = sp.Symbol("x")
#: The grid and step the lesson uses for its plot.
PLOT_X = np.linspace(-10.0, 10.0, 500)
PLOT_STEP = 1e-4
EPS = float(np.finfo(float).eps)


def f(x):
    """The lesson's function x^3 - 2x^2 + 1; works on scalars and arrays alike."""
    return x**3 - 2 * x**2 + 1


def f_sympy() -> sp.Expr:
    """The same function as a SymPy expression in the symbol ``x``."""
    return X**3 - 2 * X**2 + 1


def derivative_sympy() -> sp.Expr:
    """f' written out with the power rule, term by term: 3x^2 - 4x.

    >>> derivative_sympy()
    3*x**2 - 4*x
    """
    return 3 * X**2 - 4 * X


def f_prime(x):
    """f'(x) = 3x^2 - 4x as a vectorised NumPy function."""
    return 3 * x**2 - 4 * x


@dataclass(frozen=True)
class Cubic:
    """A student's variant of the lesson's function, f(x) = a x^3 + b x^2 + c.

    >>> cubic = Cubic(1, -2, 1)  # the seed's task
    >>> cubic.derivative_sympy(), float(cubic.f_prime(2.0))
    (3*x**2 - 4*x, 4.0)
    """

    a: int = 1
    b: int = -2
    c: int = 1

    @classmethod
    def of(cls, variant: Mapping | None) -> Cubic:
        """The cubic of a variant (None: the seed's task)."""
        return cls() if variant is None else cls(variant["a"], variant["b"], variant["c"])

    def f(self, x):
        return self.a * x**3 + self.b * x**2 + self.c

    def f_sympy(self) -> sp.Expr:
        return self.a * X**3 + self.b * X**2 + self.c

    def derivative_sympy(self) -> sp.Expr:
        return 3 * self.a * X**2 + 2 * self.b * X

    def f_prime(self, x):
        return 3 * self.a * x**2 + 2 * self.b * x

    def second_derivative(self, x):
        return 6 * self.a * x + 2 * self.b

    def antiderivative(self, x):
        return self.a * x**4 / 4 + self.b * x**3 / 3 + self.c * x

    def terms(self) -> list[Callable]:
        """f' term by term: the power rule applied to each term of f."""
        return [lambda x: 3 * self.a * x**2, lambda x: 2 * self.b * x]


def forward_difference(func: Func, x, h: float):
    """Slope of the secant from x to x + h; its error shrinks only like h.

    >>> round(float(forward_difference(f, 2.0, 1e-3)), 3)
    4.004
    """
    return (func(x + h) - func(x)) / h


def central_difference(func: Func, x, h: float):
    """Slope of the secant from x - h to x + h; the h-terms cancel, leaving error ~ h^2.

    >>> round(float(central_difference(f, 2.0, 1e-3)), 6)
    4.000001
    """
    return (func(x + h) - func(x - h)) / (2 * h)


def step_error_table(
    func: Func, dfunc: Func, x: float, steps: Sequence[float] | np.ndarray
) -> dict[str, np.ndarray]:
    """Absolute error of both difference quotients at ``x`` for each step.

    Returns a dict with keys ``"step"``, ``"forward"`` and ``"central"``, each
    an array aligned with ``steps``. Read down the table: the forward error
    falls tenfold per decade of h, the central one a hundredfold, until
    cancellation takes over and both grow again like eps/h.
    """
    h = np.asarray(steps, dtype=float)
    exact = dfunc(x)
    return {
        "step": h,
        "forward": np.abs(forward_difference(func, x, h) - exact),
        "central": np.abs(central_difference(func, x, h) - exact),
    }


def best_step(method: Method = "forward", scale: float = 1.0) -> float:
    """Rule-of-thumb step where truncation and rounding error balance.

    Forward: truncation ~ h, rounding ~ eps/h, so h* ~ sqrt(eps) * scale.
    Central: truncation ~ h^2, rounding ~ eps/h, so h* ~ cbrt(eps) * scale.
    ``scale`` is the size of x over which f changes noticeably (max(|x|, 1)
    is a common choice). Smaller steps only add cancellation error.

    >>> best_step("forward") < best_step("central")
    True
    """
    if method == "forward":
        return float(np.sqrt(EPS) * scale)
    if method == "central":
        return float(np.cbrt(EPS) * scale)
    raise ValueError(f"method must be 'forward' or 'central', not {method!r}")


def empirical_best_step(
    func: Func,
    dfunc: Func,
    x: float,
    steps: Sequence[float] | np.ndarray,
    method: Method = "forward",
) -> float:
    """The step in ``steps`` with the smallest measured error: where cancellation starts."""
    if method not in ("forward", "central"):
        raise ValueError(f"method must be 'forward' or 'central', not {method!r}")
    table = step_error_table(func, dfunc, x, steps)
    return float(table["step"][np.argmin(table[method])])


def plot_derivatives(ax: Axes | None = None) -> Figure:
    """Draw f' by the power rule and by the lesson's rate-of-change quotient on one axes.

    The two curves carry the labels ``"rule"`` and ``"rate"``; they should lie
    on top of each other. Returns the figure that holds ``ax``.
    """
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(6, 5)).add_subplot()
    rate = forward_difference(f, PLOT_X, PLOT_STEP)
    ax.plot(PLOT_X, rate, c="r", alpha=0.5, label="rate")
    ax.plot(PLOT_X, f_prime(PLOT_X), c="b", alpha=0.5, label="rule")
    ax.set_title("y=f'(x) for f(x)=x^3-2x^2+1")
    ax.set_xlabel("x")
    ax.set_ylabel("f'(x)")
    ax.legend()
    return ax.figure


def summary() -> dict:
    """Key answers of lesson 1 as plain data."""
    steps = np.logspace(-1, -12, 12)
    table = step_error_table(f, f_prime, 2.0, steps)
    return {
        "function": str(f_sympy()),
        "derivative": str(derivative_sympy()),
        "f_prime_at_2": float(f_prime(2.0)),
        "forward_difference_at_2_h1e-4": float(forward_difference(f, 2.0, 1e-4)),
        "central_difference_at_2_h1e-4": float(central_difference(f, 2.0, 1e-4)),
        "steps": table["step"].tolist(),
        "forward_error_at_2": table["forward"].tolist(),
        "central_error_at_2": table["central"].tolist(),
        "best_step_forward_theory": best_step("forward"),
        "best_step_central_theory": best_step("central"),
        "best_step_forward_measured": empirical_best_step(f, f_prime, 2.0, steps, "forward"),
        "best_step_central_measured": empirical_best_step(f, f_prime, 2.0, steps, "central"),
    }
