"""Lesson 3: gradients of x^2 + y^2 and x^2 + y^3, exactly and by sweeping directions.

The gradient points where f climbs fastest and its length is that fastest
rate. So trying every direction on a circle and keeping the steepest one
recovers it numerically. Directions follow the lesson's convention: an angle
measured clockwise from the +y axis, i.e. the unit step (sin a, cos a).

Each student has a variant (:mod:`calcml_tasks.lesson03`): a x^2 + b y^2 at a
point (x0, y0) and the field of c x^2 + d y^3; :class:`GradientTask` is the
reference for it. The module-level functions are the seed's task.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import sympy as sp

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn: the grader never does
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Func2 = Callable[[np.ndarray, np.ndarray], np.ndarray]
Difference = Literal["forward", "central"]

X, Y = sp.symbols("x y")


def f_sq(x, y):
    """x^2 + y^2, the task's function (vectorised)."""
    return x**2 + y**2


def f_cube(x, y):
    """x^2 + y^3, the lesson's worked example (vectorised)."""
    return x**2 + y**3


def f_sq_sympy() -> sp.Expr:
    """x^2 + y^2 in the SymPy symbols ``x`` and ``y``."""
    return X**2 + Y**2


def f_cube_sympy() -> sp.Expr:
    """x^2 + y^3 in the SymPy symbols ``x`` and ``y``."""
    return X**2 + Y**3


def gradient_sympy(expr: sp.Expr) -> sp.Matrix:
    """Column of partial derivatives (df/dx, df/dy) of an expression in ``x`` and ``y``.

    >>> gradient_sympy(f_cube_sympy()).T
    Matrix([[2*x, 3*y**2]])
    """
    return sp.Matrix([sp.diff(expr, X), sp.diff(expr, Y)])


def grad_f_sq(x, y) -> np.ndarray:
    """Exact gradient (2x, 2y) of x^2 + y^2; components along the first axis."""
    return np.array([2 * np.asarray(x, float), 2 * np.asarray(y, float)])


def grad_f_cube(x, y) -> np.ndarray:
    """Exact gradient (2x, 3y^2) of x^2 + y^3; components along the first axis.

    >>> grad_f_cube(2, 3).tolist()
    [4.0, 27.0]
    """
    return np.array([2 * np.asarray(x, float), 3 * np.asarray(y, float) ** 2])


@dataclass(frozen=True)
class GradientTask:
    """A student's variant: f(x, y) = a x^2 + b y^2 at (x0, y0), and g(x, y) = c x^2 + d y^3.

    >>> task = GradientTask(a=2, b=1, x0=-1, y0=3, c=1, d=2)
    >>> task.gradient().tolist(), task.max_rate()
    ([-4.0, 6.0], 7.211102550927978)
    >>> GradientTask.of(None) == GradientTask()  # the seed's task: x^2 + y^2 at (1, 1)
    True
    """

    a: int = 1
    b: int = 1
    x0: int = 1
    y0: int = 1
    c: int = 1
    d: int = 1

    @classmethod
    def of(cls, variant: Mapping | None) -> GradientTask:
        """The task of a variant (None: the seed's task)."""
        if variant is None:
            return cls()
        return cls(*(variant[k] for k in ("a", "b", "x0", "y0", "c", "d")))

    def f_sq(self, x, y):
        """Part A's function a x^2 + b y^2 (vectorised)."""
        return self.a * x**2 + self.b * y**2

    def f_sq_sympy(self) -> sp.Expr:
        return self.a * X**2 + self.b * Y**2

    def grad_f_sq(self, x, y) -> np.ndarray:
        """Exact gradient (2a x, 2b y) of Part A's function; components along the first axis."""
        return np.array([2 * self.a * np.asarray(x, float), 2 * self.b * np.asarray(y, float)])

    @property
    def point(self) -> tuple[float, float]:
        return float(self.x0), float(self.y0)

    def gradient(self) -> np.ndarray:
        """Part A's answer: the gradient of a x^2 + b y^2 at (x0, y0)."""
        return self.grad_f_sq(*self.point)

    def max_rate(self) -> float:
        """Part A's largest rate of change: the gradient's length."""
        return float(np.linalg.norm(self.gradient()))

    def f_cube(self, x, y):
        """Part D's function c x^2 + d y^3 (vectorised)."""
        return self.c * x**2 + self.d * y**3

    def f_cube_sympy(self) -> sp.Expr:
        return self.c * X**2 + self.d * Y**3

    def grad_f_cube(self, x, y) -> np.ndarray:
        """Exact gradient (2c x, 3d y^2) of Part D's function; components along the first axis."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        return np.array([2 * self.c * x, 3 * self.d * y**2])

    def gradient_field(self, xv, yv) -> tuple[np.ndarray, np.ndarray]:
        """Part D's field (2c x, 3d y^2) on a grid."""
        xv = np.asarray(xv, dtype=float)
        yv = np.asarray(yv, dtype=float)
        return 2 * self.c * xv, 3 * self.d * yv**2


def _directional_rates(
    func: Func2, x: float, y: float, rad: np.ndarray, step: float, difference: Difference
) -> np.ndarray:
    dx, dy = np.sin(rad) * step, np.cos(rad) * step
    if difference == "forward":
        return (func(x + dx, y + dy) - func(x, y)) / step
    if difference == "central":
        return (func(x + dx, y + dy) - func(x - dx, y - dy)) / (2 * step)
    raise ValueError(f"difference must be 'forward' or 'central', not {difference!r}")


def gradient_by_direction_sweep(
    func: Func2,
    x: float,
    y: float,
    step: float = 1e-4,
    angle_step_deg: float = 0.1,
    difference: Difference = "forward",
    refine: bool = False,
) -> tuple[np.ndarray, float, float]:
    """Estimate the gradient as the steepest of many directional rates of change.

    Tries the angles 0, angle_step_deg, ... < 360 (clockwise from +y) and keeps
    the first one with the largest rate. Returns ``(gradient, angle_deg,
    max_rate)`` with ``gradient = max_rate * (sin a, cos a)``.

    With the defaults this is the lesson's method; its answer is limited by
    the angle grid (half a grid step of direction error) and by the O(step)
    bias of the forward quotient. ``difference="central"`` removes that bias,
    and ``refine=True`` fits a parabola through the best rate and its two
    neighbours to place the peak between grid angles.

    >>> g, angle, rate = gradient_by_direction_sweep(f_cube, 2, 3)
    >>> np.round(g, 2).tolist(), round(angle, 1)
    ([3.99, 27.0], 8.4)
    """
    angles = np.arange(0.0, 360.0, angle_step_deg)
    rates = _directional_rates(func, x, y, angles * np.pi / 180, step, difference)
    i = int(np.argmax(rates))
    angle, rate = float(angles[i]), float(rates[i])
    if refine:
        n = len(angles)
        left, right = rates[(i - 1) % n], rates[(i + 1) % n]
        curvature = left - 2 * rates[i] + right
        if curvature < 0:
            shift = 0.5 * (left - right) / curvature
            angle = float((angle + shift * angle_step_deg) % 360.0)
            rate = float(
                _directional_rates(func, x, y, np.array(angle) * np.pi / 180, step, difference)
            )
    rad = angle * np.pi / 180
    gradient = rate * np.array([np.sin(rad), np.cos(rad)])
    return gradient, angle, rate


def gradient_field(xv, yv) -> tuple[np.ndarray, np.ndarray]:
    """Gradient components (2x, 3y^2) of x^2 + y^3 on a grid.

    The lesson's plotting code used 2y for the second component, which is the
    gradient of x^2 + y^2 instead; this one is correct.
    """
    return GradientTask().gradient_field(xv, yv)


def plot_gradient_field(
    ax: Axes | None = None, n: int = 20, task: GradientTask | None = None
) -> Figure:
    """Quiver plot of the gradient directions of x^2 + y^3 (or ``task``'s g), coloured by
    their length.

    Arrows are scaled to unit length so direction is readable everywhere; a
    zero gradient is drawn as a dot rather than dividing by zero.
    """
    task = task or GradientTask()
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(6, 6)).add_subplot()
    grid = np.linspace(-10.0, 10.0, n)
    xv, yv = np.meshgrid(grid, grid, indexing="ij")
    fx, fy = task.gradient_field(xv, yv)
    size = np.hypot(fx, fy)
    safe = np.where(size > 0, size, 1.0)
    ax.quiver(xv, yv, fx / safe, fy / safe, size, cmap="viridis")
    ax.set_title(f"Gradient of g(x, y) = {task.f_cube_sympy()}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_aspect("equal")
    return ax.figure


def summary() -> dict:
    """Key answers of lesson 3 as plain data."""
    g_lesson, a_lesson, r_lesson = gradient_by_direction_sweep(f_cube, 2, 3)
    g_fine, a_fine, _ = gradient_by_direction_sweep(f_cube, 2, 3, difference="central", refine=True)
    g_task, a_task, r_task = gradient_by_direction_sweep(f_sq, 1, 1)
    return {
        "gradient_x2_plus_y3": str(list(gradient_sympy(f_cube_sympy()))),
        "gradient_x2_plus_y2": str(list(gradient_sympy(f_sq_sympy()))),
        "exact_gradient_at_(2,3)": grad_f_cube(2, 3).tolist(),
        "sweep_gradient_at_(2,3)": g_lesson.tolist(),
        "sweep_angle_at_(2,3)": a_lesson,
        "sweep_rate_at_(2,3)": r_lesson,
        "refined_gradient_at_(2,3)": g_fine.tolist(),
        "refined_angle_at_(2,3)": a_fine,
        "exact_gradient_at_(1,1)": grad_f_sq(1, 1).tolist(),
        "sweep_gradient_at_(1,1)": g_task.tolist(),
        "sweep_angle_at_(1,1)": a_task,
        "sweep_rate_at_(1,1)": r_task,
    }
