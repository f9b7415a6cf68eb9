"""Lesson 2: the antiderivative of f(x) = 3x^2 - 4x, by the rules and by a running sum.

Reversing the power rule gives F(x) = x^3 - 2x^2 (+ any constant); a student's
own integrand a x^2 + b x (:class:`Integrand`) gives (a/3) x^3 + (b/2) x^2. Adding up
f(x_k) * dx from the left end is a left Riemann sum: after the term at x_i it
has covered [start, x_i + dx], so it tracks F(x_i + dx) - F(start), with an
error that halves when dx halves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn: the grader never does
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Func = Callable[[np.ndarray], np.ndarray]

X = sp.Symbol("x")
START, STOP, STEP = -10.0, 10.0, 0.1


def f(x):
    """The lesson's integrand 3x^2 - 4x (vectorised)."""
    return 3 * x**2 - 4 * x


def f_sympy() -> sp.Expr:
    """The integrand as a SymPy expression in ``x``."""
    return 3 * X**2 - 4 * X


def antiderivative_sympy() -> sp.Expr:
    """x^3 - 2x^2, from raising each power by one; the free constant is left out.

    >>> antiderivative_sympy()
    x**3 - 2*x**2
    """
    return X**3 - 2 * X**2


def F(x):
    """The antiderivative x^3 - 2x^2 as a vectorised NumPy function."""
    return x**3 - 2 * x**2


def running_sum(
    func: Func = f, start: float = START, stop: float = STOP, step: float = STEP
) -> tuple[np.ndarray, np.ndarray]:
    """The lesson's numeric antiderivative, a running sum of rectangle areas.

    ``x = np.arange(start, stop, step)`` and ``y = np.cumsum(func(x) * step)``.

    ``y[i]`` is the area of the rectangles up to and including the one
    starting at ``x[i]``, so it approximates F(x[i] + step) - F(start).

    >>> x, y = running_sum(step=0.5)
    >>> len(x), float(y[-1]) == float(np.sum(f(x) * 0.5))
    (40, True)
    """
    x = np.arange(start, stop, step)
    y = np.cumsum(func(x) * step)
    return x, y


def running_sum_error(
    func: Func = f,
    antiderivative: Func = F,
    start: float = START,
    stop: float = STOP,
    step: float = STEP,
) -> float:
    """Largest gap between the running sum and the exact area it stands for.

    Compares ``y[i]`` with F(x[i] + step) - F(start), the area up to the
    right edge of the last rectangle. For a smooth f the gap is about
    step/2 * |f(x) - f(start)|, so it shrinks linearly with the step.
    """
    x, y = running_sum(func, start, stop, step)
    exact = antiderivative(x + step) - antiderivative(start)
    return float(np.max(np.abs(y - exact)))


@dataclass(frozen=True)
class Integrand:
    """A student's variant of the lesson's integrand, f(x) = a x^2 + b x.

    >>> seed = Integrand()  # the seed's task, 3x^2 - 4x
    >>> seed.antiderivative_sympy(), seed.shift()
    (x**3 - 2*x**2, 1200.0)
    >>> Integrand(-6, 2).antiderivative_sympy()
    -2*x**3 + x**2
    """

    a: int = 3
    b: int = -4

    @classmethod
    def of(cls, variant: Mapping | None) -> Integrand:
        """The integrand of a variant (None: the seed's task)."""
        return cls() if variant is None else cls(variant["a"], variant["b"])

    def f(self, x):
        return self.a * x**2 + self.b * x

    def f_sympy(self) -> sp.Expr:
        return self.a * X**2 + self.b * X

    def antiderivative_sympy(self) -> sp.Expr:
        """Each power raised by one and divided by its new exponent; no constant."""
        return sp.Rational(self.a, 3) * X**3 + sp.Rational(self.b, 2) * X**2

    def F(self, x):
        return self.a / 3 * x**3 + self.b / 2 * x**2

    def derivative(self, x):
        """f', the answer of a student who differentiates instead."""
        return 2 * self.a * x + self.b

    def running_sum(self, step: float = STEP) -> tuple[np.ndarray, np.ndarray]:
        return running_sum(self.f, START, STOP, step)

    def running_sum_error(self, step: float = STEP) -> float:
        return running_sum_error(self.f, self.F, START, STOP, step)

    def shift(self) -> float:
        """The constant C that makes F(x) + C the area from the left end: -F(start)."""
        return float(-self.F(START))

    def plot_antiderivative(self, ax: Axes | None = None) -> Figure:
        """Plot F (no constant) and the running sum on one axes, labelled as the task asks.

        Labels are ``"antiderivative"`` and ``"running sum"``; the curves have the
        same shape and sit ``shift()`` apart. Returns the figure that holds ``ax``.
        """
        if ax is None:
            from matplotlib.figure import Figure

            ax = Figure(figsize=(6, 5)).add_subplot()
        x, y = self.running_sum()
        ax.plot(x, self.F(x), c="b", alpha=0.5, label="antiderivative")
        ax.plot(x, y, c="r", alpha=0.5, label="running sum")
        ax.set_title(f"Antiderivative of f(x)={self.f_sympy()}")
        ax.set_xlabel("x")
        ax.set_ylabel("F(x)")
        ax.legend()
        return ax.figure


def plot_antiderivative(ax: Axes | None = None) -> Figure:
    """Plot F(x) = x^3 - 2x^2 and the lesson's running sum on one axes.

    Labels are ``"antiderivative"`` and ``"running sum"``. The curves have the
    same shape and sit F(start) apart vertically, since the running sum starts
    at zero while F(start) = -1200. Returns the figure that holds ``ax``.
    """
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(6, 5)).add_subplot()
    x, y = running_sum()
    ax.plot(x, F(x), c="b", alpha=0.5, label="antiderivative")
    ax.plot(x, y, c="r", alpha=0.5, label="running sum")
    ax.set_title("Antiderivative of f(x)=3x^2-4x")
    ax.set_xlabel("x")
    ax.set_ylabel("F(x)")
    ax.legend()
    return ax.figure


def summary() -> dict:
    """Key answers of lesson 2 as plain data."""
    steps = [0.1, 0.01, 0.001]
    x, y = running_sum()
    return {
        "integrand": str(f_sympy()),
        "antiderivative": str(antiderivative_sympy()),
        "running_sum_points": len(x),
        "running_sum_total": float(y[-1]),
        "exact_area_-10_to_10": float(F(STOP) - F(START)),
        "steps": steps,
        "running_sum_max_error": [running_sum_error(step=s) for s in steps],
    }
