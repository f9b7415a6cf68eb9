"""Lesson 4's variants: the weights and the point of Part D's "Jacobian at one point".

The layer is (sigma(px + qy), sigma(rx + sy), sigma(tx + uy)) for every student.
Parts A to C stay general: the Jacobian by hand, by SymPy and by finite
differences are formulas or functions in the symbols (p, q, r, s, t, u, x, y),
so there is nothing to vary in them (``jacobian_fd`` is called at the fixed
cases of :mod:`reference.answers.lesson04`, which take the weights as an
argument). Part E stays general too: sigma' in terms of S = sigma, and the shape
of the Jacobian of a map with n inputs and m outputs, are statements about
every sigmoid and every map. What varies is where Part D evaluates J: the six
weights and the point (x, y). The seed's task is (p, q, r, s, t, u) =
(1, 2, -1, 0.5, 0, 3) at (x, y) = (0.5, -0.25).

Every variant keeps what Part D can tell apart, as the seed does:

* in every unit the two weights differ, so J's two columns differ (inputs taken
  in the wrong order show) and no unit has the weights (1, 1), where a forgotten
  inner factor p, q, ... would go unseen;
* the rows of J at the point differ, so outputs taken in the wrong order show;
* at most one weight is zero (the seed's t = 0): at most one entry of J is 0;
* no unit is saturated: each input ax + by is at most 2 in size (the seed's at
  most 0.75), so every slope s(1 - s) is at least 0.1 and no row nearly vanishes;
* x and y differ in size (neither is 0), and J at (y, x) is not J at (x, y): a
  point read the wrong way round is wrong.

Weights are halves from -3 to 3 and coordinates quarters from -1 to 1, like the
seed's, so every variant is as easy to type and as hard to get right.
"""

from __future__ import annotations

import math

from .latex import signed_sum
from .space import Choice, Constraint, Space

#: The weights a unit may have: halves from -3 to 3 (integers written as ints).
WEIGHTS = (-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3)
#: The coordinates of the point: quarters from -1 to 1, never 0.
COORDS = (-1, -0.75, -0.5, -0.25, 0.25, 0.5, 0.75, 1)
#: The weights' names, unit by unit: (p, q) for f1, (r, s) for f2, (t, u) for f3.
WEIGHT_NAMES = ("p", "q", "r", "s", "t", "u")
#: The largest input ax + by a unit may get at the point (the seed's is 0.75).
MAX_INPUT = 2.0
#: How far apart two rows of J at the point must be (in their largest entry difference).
ROW_GAP = 1e-2


def units(v) -> list[tuple[float, float]]:
    """The weight pairs of the three units: ``[(p, q), (r, s), (t, u)]``."""
    w = [v[name] for name in WEIGHT_NAMES]
    return [(w[0], w[1]), (w[2], w[3]), (w[4], w[5])]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def jacobian_at(v, x: float | None = None, y: float | None = None) -> list[list[float]]:
    """J at ``(x, y)`` (default: the variant's point), rows are units: (a, b) * s (1 - s).

    >>> seed = SPACE.default()
    >>> [round(e, 4) for e in jacobian_at(seed)[0]]
    [0.25, 0.5]
    """
    x = v["x"] if x is None else x
    y = v["y"] if y is None else y
    rows = []
    for a, b in units(v):
        s = _sigmoid(a * x + b * y)
        rows.append([a * s * (1 - s), b * s * (1 - s)])
    return rows


def _gap(j1: list[list[float]], j2: list[list[float]]) -> float:
    pairs = zip(j1, j2, strict=True)
    return max(abs(e1 - e2) for r1, r2 in pairs for e1, e2 in zip(r1, r2, strict=True))


def _rows_differ(v) -> bool:
    rows = jacobian_at(v)
    return all(
        max(abs(e1 - e2) for e1, e2 in zip(rows[i], rows[k], strict=True)) >= ROW_GAP
        for i in range(3)
        for k in range(i + 1, 3)
    )


SPACE = Space(
    "lesson04",
    *(Choice(name, WEIGHTS) for name in WEIGHT_NAMES),
    Choice("x", COORDS),
    Choice("y", COORDS),
    constraints=[
        Constraint(
            "in every unit the two weights differ (J's columns differ; no unit has (1, 1))",
            lambda v: all(a != b for a, b in units(v)),
        ),
        Constraint("the rows of J at the point differ", _rows_differ),
        Constraint(
            "at most one weight is zero",
            lambda v: sum(v[name] == 0 for name in WEIGHT_NAMES) <= 1,
        ),
        Constraint(
            f"no unit is saturated: |ax + by| <= {MAX_INPUT:g} at the point for every unit",
            lambda v: all(abs(a * v["x"] + b * v["y"]) <= MAX_INPUT for a, b in units(v)),
        ),
        Constraint("x and y differ in size", lambda v: abs(v["x"]) != abs(v["y"])),
        Constraint(
            "J at (y, x) is not J at (x, y)",
            lambda v: _gap(jacobian_at(v), jacobian_at(v, v["y"], v["x"])) >= ROW_GAP,
        ),
    ],
    base={"p": 1, "q": 2, "r": -1, "s": 0.5, "t": 0, "u": 3, "x": 0.5, "y": -0.25},
)


def _num(value: float) -> str:
    """``1``, ``-0.25``: a number as the task writes it."""
    return f"{value:g}"


def _linear(a: float, b: float) -> str:
    """``x + 2y``, ``-x + 0.5y``, ``3y``: the unit's input with the variant's weights."""
    return signed_sum([(a, "x"), (b, "y")], number=_num)


def latex(v) -> str:
    r"""The layer with the variant's weights: ``\sigma(x + 2y), ...`` for the seed's task."""
    return r",\; ".join(rf"\sigma({_linear(a, b)})" for a, b in units(v))


def describe(v) -> str:
    r"""The task as the student reads it (Markdown with math).

    >>> text = describe(SPACE.default())
    >>> "(1, 2, -1, 0.5, 0, 3)" in text, "(0.5, -0.25)" in text, r"\sigma(-x + 0.5y)" in text
    (True, True, True)
    """
    weights = ", ".join(_num(v[name]) for name in WEIGHT_NAMES)
    return (
        f"**Your numbers for Part D:** the weights $(p, q, r, s, t, u) = ({weights})$, "
        f"at the point $(x, y) = ({_num(v['x'])}, {_num(v['y'])})$. With these weights your "
        rf"layer is $f(x, y) = \big({latex(v)}\big)$. Parts A to C stay in the symbols "
        "$p, q, r, s, t, u, x, y$. The numbers are `task.p`, `task.q`, `task.r`, `task.s`, "
        "`task.t`, `task.u`, `task.x` and `task.y` (together: `task.weights`, `task.point`)."
    )


def names(v) -> dict:
    """What the setup cell's ``task`` carries: Part D's weights and point, one by one and
    together."""
    out = {name: v[name] for name in (*WEIGHT_NAMES, "x", "y")}
    out["weights"] = tuple(v[name] for name in WEIGHT_NAMES)
    out["point"] = (v["x"], v["y"])
    return out
