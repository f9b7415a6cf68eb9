"""Pictures a check may attach to its verdict, as small plain data (never an image).

A picture is a JSON-able dict, drawn later by the grader (the feedback page
renders it as SVG, :mod:`autograder.feedback`), never in the student's process.
One kind exists so far, a curve:

.. code-block:: text

    {"kind": "curve",
     "title": str, "xlabel": str, "ylabel": str,      # at most MAX_TEXT characters each
     "student_label": str, "reference_label": str,    # legend entries
     "log": "" | "x" | "y" | "xy",                    # which axes are logarithmic
     "x": [float, ...],                               # 1 to MAX_POINTS finite numbers
     "student": [float | None, ...],                  # same length; None: no value there
     "reference": [float | None, ...] | None,         # same length, or None
     "marked": [int, ...]}                            # sorted indices into x: disagreements

Points are drawn in the order given. Every number is finite (JSON has no NaN),
rounded to :data:`DIGITS` significant digits; on a logarithmic axis every
number is positive. The ``reference`` values are hidden data: a renderer draws
them only when told to (a policy, off before the deadline), and then only them.

:func:`curve_picture` builds a curve from raw arrays (dropping or blanking
what cannot be drawn, thinning to ``max_points``); :func:`check_picture`
validates a spec, wherever it comes from. Both are the only place the format
is defined.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

#: The most points a picture holds (a verdict travels in notebook metadata: keep it small).
MAX_POINTS = 400
#: The longest title, axis label or legend entry.
MAX_TEXT = 200
#: Significant digits every number is rounded to.
DIGITS = 6
#: The axes that may be logarithmic.
LOG_AXES = ("", "x", "y", "xy")

_TEXT_KEYS = ("title", "xlabel", "ylabel", "student_label", "reference_label")
_KEYS = frozenset({"kind", "log", "x", "student", "reference", "marked", *_TEXT_KEYS})


def _round(v: float) -> float:
    return float(f"{v:.{DIGITS}g}")


def _vector(values: Any, what: str) -> np.ndarray:
    """A 1-D float array from a sequence of numbers (None: NaN); TypeError otherwise."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise TypeError(f"{what} must be a sequence of numbers")
    items = list(values)
    if any(isinstance(v, bool | np.bool_) for v in items):
        raise TypeError(f"{what} must hold numbers, not booleans")
    try:
        arr = np.array([np.nan if v is None else v for v in items], dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a sequence of numbers") from None
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional")
    return arr


def _thin(n: int, marked: list[int], max_points: int) -> list[int]:
    """At most ``max_points`` indices of ``range(n)``, in order, marked ones first kept."""
    if n <= max_points:
        return list(range(n))
    if len(marked) >= max_points:
        picks = np.linspace(0, len(marked) - 1, max_points).round().astype(int)
        return sorted({marked[i] for i in picks})
    chosen = set(marked)
    rest = [i for i in range(n) if i not in chosen]
    picks = np.linspace(0, len(rest) - 1, max_points - len(marked)).round().astype(int)
    return sorted(chosen | {rest[i] for i in picks})


def curve_picture(
    x: Sequence[float],
    student: Sequence[float | None],
    *,
    reference: Sequence[float | None] | None = None,
    marked: Iterable[int] = (),
    title: str = "",
    xlabel: str = "x",
    ylabel: str = "",
    student_label: str = "yours",
    reference_label: str = "expected",
    log: str = "",
    max_points: int = MAX_POINTS,
) -> dict:
    """A curve picture: the student's values over ``x``, ``marked`` points highlighted.

    ``reference`` (the expected values at the same ``x``) is kept in the spec
    but drawn only if the renderer's policy allows it. ``marked`` are indices
    into ``x`` (``np.flatnonzero(mask)`` for a mask). ``log`` names the
    logarithmic axes: ``""``, ``"x"``, ``"y"`` or ``"xy"``.

    What cannot be drawn is dropped or blanked, never an error: a point whose
    x is NaN, infinite (or not positive on a log x axis) is dropped with its
    mark; a NaN, infinite (or, on a log y axis, non-positive) value becomes
    ``None``. More than ``max_points`` points are thinned evenly, keeping the
    marked ones. Misuse raises: sequences of different lengths, a mark out of
    range, an unknown ``log``, no drawable point left.

    >>> p = curve_picture([0, 1, 2], [0.0, float("nan"), 4.0], reference=[0, 1, 4],
    ...                   marked=[1], title="f", ylabel="f(x)")
    >>> p["student"], p["marked"], p["reference"]
    ([0.0, None, 4.0], [1], [0.0, 1.0, 4.0])
    >>> curve_picture([1e-3, 1e-2], [2e-6, 0.0], log="xy")["student"]
    [2e-06, None]
    >>> curve_picture([0, 1], [0.0])
    Traceback (most recent call last):
    ...
    ValueError: x and student have different lengths (2 and 1)
    """
    if log not in LOG_AXES:
        raise ValueError(f"log must be one of {LOG_AXES}, got {log!r}")
    if isinstance(max_points, bool) or not isinstance(max_points, int):
        raise TypeError("max_points must be an int")
    if not 1 <= max_points <= MAX_POINTS:
        raise ValueError(f"max_points must be in 1..{MAX_POINTS}, got {max_points}")
    xs = _vector(x, "x")
    ys = _vector(student, "student")
    refs = None if reference is None else _vector(reference, "reference")
    for name, arr in (("student", ys), ("reference", refs)):
        if arr is not None and arr.size != xs.size:
            raise ValueError(f"x and {name} have different lengths ({xs.size} and {arr.size})")
    marks = _marks(marked, xs.size)
    with np.errstate(all="ignore"):
        keep = np.isfinite(xs) & ((xs > 0) if "x" in log else True)
    for arr in (ys, refs):
        if arr is not None:
            with np.errstate(all="ignore"):
                arr[~np.isfinite(arr) | ((arr <= 0) if "y" in log else False)] = np.nan
    index = np.flatnonzero(keep)
    if index.size == 0:
        raise ValueError("no point has a drawable x")
    new_index = {int(old): new for new, old in enumerate(index)}
    marks = [new_index[m] for m in marks if m in new_index]
    chosen = _thin(index.size, marks, max_points)
    kept = index[chosen]
    position = {old: new for new, old in enumerate(chosen)}

    def plain(arr: np.ndarray) -> list[float | None]:
        return [None if np.isnan(v) else _round(float(v)) for v in arr[kept]]

    spec = {
        "kind": "curve",
        "title": str(title),
        "xlabel": str(xlabel),
        "ylabel": str(ylabel),
        "student_label": str(student_label),
        "reference_label": str(reference_label),
        "log": log,
        "x": [_round(float(v)) for v in xs[kept]],
        "student": plain(ys),
        "reference": None if refs is None else plain(refs),
        "marked": [position[m] for m in marks if m in position],
    }
    return check_picture(spec)


def _marks(marked: Iterable[int], n: int) -> list[int]:
    if isinstance(marked, np.ndarray) and marked.dtype == bool:
        raise TypeError("marked holds indices: pass np.flatnonzero(mask) for a mask")
    out = set()
    for m in marked:
        if isinstance(m, bool | np.bool_) or not isinstance(m, int | np.integer):
            raise TypeError(f"marked must hold int indices, got {m!r}")
        if not 0 <= int(m) < n:
            raise ValueError(f"marked index {int(m)} is out of range for {n} points")
        out.add(int(m))
    return sorted(out)


def _number(v: Any, what: str, positive: bool, optional: bool) -> float | None:
    if v is None and optional:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError(f"{what} must hold numbers{' or None' if optional else ''}")
    v = float(v)
    if not math.isfinite(v) or (positive and v <= 0):
        raise ValueError(f"{what} must hold finite{' positive' if positive else ''} numbers")
    return v


def check_picture(spec: Any) -> dict:
    """``spec`` as a validated, freshly built picture dict; ValueError if it is not one.

    Accepts exactly the format in this module's docstring (what
    :func:`curve_picture` returns), so it is safe on data read back from a
    notebook: bounded in size, finite numbers, known keys only.

    >>> check_picture({"kind": "curve", "x": [1.0], "student": [2.0]})["marked"]
    []
    >>> check_picture({"kind": "curve", "x": [1.0], "student": [2.0], "marked": [3]})
    Traceback (most recent call last):
    ...
    ValueError: picture marks must be sorted, distinct indices of its points
    """
    if not isinstance(spec, Mapping):
        raise ValueError("a picture must be a dict")
    unknown = set(spec) - _KEYS
    if unknown:
        raise ValueError(f"unknown picture keys: {sorted(map(str, unknown))}")
    if spec.get("kind") != "curve":
        raise ValueError(f"unknown picture kind {spec.get('kind')!r}")
    log = spec.get("log", "")
    if log not in LOG_AXES:
        raise ValueError(f"picture log must be one of {LOG_AXES}")
    out: dict[str, Any] = {"kind": "curve"}
    for key in _TEXT_KEYS:
        text = spec.get(key, "")
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise ValueError(f"picture {key} must be a string of at most {MAX_TEXT} characters")
        out[key] = text
    out["log"] = log
    xs, ys, refs = spec.get("x"), spec.get("student"), spec.get("reference")
    for key, arr in (("x", xs), ("student", ys), ("reference", refs)):
        if key == "reference" and arr is None:
            continue
        if not isinstance(arr, list | tuple) or not 1 <= len(arr) <= MAX_POINTS:
            raise ValueError(f"picture {key} must be a list of 1 to {MAX_POINTS} numbers")
        if len(arr) != len(xs):
            raise ValueError(f"picture {key} and x have different lengths")
    out["x"] = [_number(v, "picture x", "x" in log, False) for v in xs]
    out["student"] = [_number(v, "picture student", "y" in log, True) for v in ys]
    out["reference"] = (
        None if refs is None else [_number(v, "picture reference", "y" in log, True) for v in refs]
    )
    marked = spec.get("marked", [])
    if (
        not isinstance(marked, list | tuple)
        or not all(isinstance(m, int) and not isinstance(m, bool) for m in marked)
        or list(marked) != sorted(set(marked))
        or (marked and not 0 <= marked[0] <= marked[-1] < len(xs))
    ):
        raise ValueError("picture marks must be sorted, distinct indices of its points")
    out["marked"] = list(marked)
    return out
