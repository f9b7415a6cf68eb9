"""Lesson 7's variants: the three extra points of the six-point SVM.

The seed's six points are the lesson's three, (0, 0) of class -1 and (1, 2),
(2, 1) of class +1, and three extra ones: (-1, -1), (-3, -1) of class -1 and
(3, 3) of class +1. The lesson teaches that points which are not support
vectors leave the line unchanged, so every variant keeps the lesson's three
points and draws only the extra ones, each strictly beyond the margin of the
lesson's line (2/3) x + (2/3) y - 1 = 0. For that line
t (a x + b y + c) = t (2 (x + y) - 3) / 3, so a class -1 point lies beyond the
margin when x + y < 0 and a class +1 point when x + y > 3; with integer
coordinates the extra points' values are at least 5/3, never near 1. Every
variant is therefore separable, with the same support vectors 0, 1, 2, the same
line and the same multipliers 8/9, 4/9, 4/9, 0, 0, 0 (the lesson's point: the
answers of parts A to E do not depend on the extra points; the values the
written part F quotes do).

What does not vary, and why: the lesson's three points (the setup cell solves
the lesson's own three-point program, constraint by constraint, as the lesson
writes it), and the classes of the extra points (two of class -1, then one of
class +1), so that the point indices, ``labels`` and the notebook's words are
the same for everyone. Coordinates stay in -4..4, so that every variant is as
easy to plot and to check by hand as the seed's.
"""

from __future__ import annotations

from .space import Choice, Constraint, Space

#: The lesson's three points and their classes (points 0, 1, 2 of every variant).
THREE_POINTS = ((0, 0), (1, 2), (2, 1))
THREE_LABELS = (-1, 1, 1)
#: The classes of the extra points 3, 4, 5.
EXTRA_LABELS = (-1, -1, 1)
LABELS = (*THREE_LABELS, *EXTRA_LABELS)
#: Extra points are drawn from the integer grid -LIMIT..LIMIT in each coordinate.
LIMIT = 4
_GRID = [(x, y) for x in range(-LIMIT, LIMIT + 1) for y in range(-LIMIT, LIMIT + 1)]
#: Class -1 points strictly beyond the margin of the lesson's line: x + y < 0.
NEGATIVE = tuple(p for p in _GRID if p[0] + p[1] < 0)
#: Class +1 points strictly beyond the margin of the lesson's line: x + y > 3.
POSITIVE = tuple(p for p in _GRID if p[0] + p[1] > 3)


def value(point, label) -> tuple[int, int]:
    """t (a x + b y + c) for the lesson's line (2/3, 2/3, -1), as (numerator, denominator 3).

    >>> value((3, 3), 1), value((-1, -1), -1)
    ((9, 3), (7, 3))
    """
    x, y = point
    return label * (2 * (x + y) - 3), 3


def beyond_margin(point, label) -> bool:
    """Does ``point`` of class ``label`` satisfy its constraint with room to spare (value > 1)?"""
    num, den = value(point, label)
    return num > den


def points_of(v) -> tuple[tuple[int, int], ...]:
    """The six points of a variant, in the notebook's order."""
    return (*THREE_POINTS, tuple(v["p3"]), tuple(v["p4"]), tuple(v["p5"]))


SPACE = Space(
    "lesson07",
    Choice("p3", NEGATIVE),
    Choice("p4", NEGATIVE),
    Choice("p5", POSITIVE),
    constraints=[
        Constraint("the extra points 3 and 4 are distinct", lambda v: v["p3"] != v["p4"]),
        Constraint(
            "no extra point is one of the lesson's three",
            lambda v: not set(points_of(v)[3:]) & set(THREE_POINTS),
        ),
        Constraint(
            "every extra point lies strictly beyond the margin of the lesson's line "
            "(t (2x + 2y - 3) / 3 > 1), so the support vectors stay 0, 1, 2",
            lambda v: all(
                beyond_margin(p, t) for p, t in zip(points_of(v)[3:], EXTRA_LABELS, strict=True)
            ),
        ),
        Constraint(
            "coordinates within -4..4",
            lambda v: all(abs(c) <= LIMIT for p in points_of(v)[3:] for c in p),
        ),
    ],
    base={"p3": (-1, -1), "p4": (-3, -1), "p5": (3, 3)},
)


def _point(p) -> str:
    return f"$({p[0]}, {p[1]})$"


def _label(t: int) -> str:
    return "$-1$" if t < 0 else "$+1$"


def describe(v) -> str:
    """The task as the student reads it (Markdown with math): the six points as a table."""
    pts = points_of(v)
    return (
        "**Your six points**, with their index $i$ (the row of `points`) and class $t_i$ "
        "(`labels[i]`):\n\n"
        "| $i$ | " + " | ".join(str(i) for i in range(6)) + " |\n"
        "|---|" + "---|" * 6 + "\n"
        "| point | " + " | ".join(_point(p) for p in pts) + " |\n"
        "| class $t_i$ | " + " | ".join(_label(t) for t in LABELS) + " |\n\n"
        "Points 0 to 2 are the lesson's three points; your points 3 and 4, "
        f"{_point(pts[3])} and {_point(pts[4])}, join class $-1$ and your point 5, "
        f"{_point(pts[5])}, joins class $+1$. They are defined for you as `points` and `labels`."
    )


def names(v) -> dict:
    """What the setup cell's ``task`` carries: the six points and their classes, as tuples."""
    return {"points": points_of(v), "labels": LABELS}
