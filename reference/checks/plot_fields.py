"""The properties of an arrow (quiver) plot that a task can state, each checked on its own.

A task such as "plot **unit** arrows in the direction of the gradient, coloured
by its length, on a grid from -10 to 10" states five things: there are arrows,
they point along the field, they have length 1, their colour array encodes
the field's length, and they cover the grid. :func:`check_quiver` turns each
stated property of a quiver spec into one element ``(ok, message, note)`` of
:func:`.plots.check_figure`, so a plot earns a point per property it has and
the feedback names the ones it lacks.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .plot_data import _float_or_nan
from .result import register_note
from .tolerance import OptionError, Tolerance

MISSING_CURVE = register_note("plot-missing-curve", "A required curve or arrow plot is missing.")
WRONG_FIELD = register_note("plot-wrong-field", "The arrows of a vector field point wrongly.")
NOT_UNIT = register_note(
    "plot-not-unit", "The arrows are not of unit length: the direction was not normalised."
)
NO_COLOUR = register_note(
    "plot-no-colour", "The arrows have no colour array, or it does not encode what was asked."
)
WRONG_CMAP = register_note("plot-wrong-colormap", "The colour map is not the one asked for.")
WRONG_RANGE = register_note(
    "plot-wrong-range", "The plotted data do not cover the range the task states."
)

#: ``(ok, message, note)``, optionally with a weight (default 1) as a fourth item.
Element = tuple
#: Spec keys of a quiver, besides ``function`` (the field) and ``name``.
QUIVER_KEYS = frozenset(
    {"function", "name", "normalized", "angle_tol", "rtol", "unit", "unit_tol", "color", "cmap",
     "extent"}
)  # fmt: skip


def as_floats(values: Any) -> np.ndarray:
    """A list from figure data (None for NaN) as a float array."""
    if values is None:
        return np.array([], dtype=float)
    return np.array([_float_or_nan(v) if v is not None else math.nan for v in values], float)


def eval_field(func: Callable, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``func(x, y) -> (u, v)``, vectorised if it works, point by point otherwise."""
    try:
        u, v = func(x, y)
        u = np.broadcast_to(np.asarray(u, dtype=float), x.shape)
        v = np.broadcast_to(np.asarray(v, dtype=float), x.shape)
        return u, v
    except Exception:  # noqa: BLE001 - fall back to scalar calls
        pass
    u, v = np.full(x.shape, np.nan), np.full(x.shape, np.nan)
    for i in range(x.size):
        with contextlib.suppress(Exception):
            u[i], v[i] = (float(t) for t in func(float(x[i]), float(y[i])))
    return u, v


def _arrows(q: Mapping) -> tuple[np.ndarray, ...]:
    x, y = (as_floats(v) for v in (q.get("offsets") or [[], []])[:2])
    u, v = as_floats(q.get("U")), as_floats(q.get("V"))
    n = min(x.size, y.size, u.size, v.size)
    return x[:n], y[:n], u[:n], v[:n]


def _aligned(u, v, ru, rv, moving, angle_tol: float) -> bool:
    with np.errstate(all="ignore"):
        cos = (u * ru + v * rv) / (np.hypot(u, v) * np.hypot(ru, rv))
    ok = np.isfinite(cos[moving]) & (cos[moving] >= math.cos(angle_tol) - 1e-12)
    return bool(moving.any() and np.all(ok))


def _direction(q: Mapping, spec: Mapping, options: Mapping) -> tuple[bool, str]:
    """Whether the arrows of ``q`` point like the field (and have its length, unless
    only directions count); else a message naming how they point."""
    name = spec.get("name") or "the vector field"
    x, y, u, v = _arrows(q)
    if x.size == 0:
        return False, f"the arrow plot of {name} has no arrows"
    ru, rv = eval_field(spec["function"], x, y)
    ref_mag = np.hypot(ru, rv)
    usable = np.isfinite(ref_mag)
    if not usable.any():
        return False, f"the arrows do not point like {name}"
    big = float(np.max(ref_mag[usable]))
    moving = usable & (ref_mag > 1e-9 * max(big, 1e-300))  # a zero field has no direction
    angle_tol = math.radians(float(spec.get("angle_tol", options.get("angle_tol", 2.0))))
    only_direction = bool(spec.get("normalized", False) or spec.get("unit", False))
    if _aligned(u, v, ru, rv, moving, angle_tol):
        if only_direction:
            return True, ""
        rtol = float(spec.get("rtol", options.get("rtol", 1e-3)))
        tol = Tolerance(rtol=rtol, atol=rtol * big)
        if np.all(tol.close(np.hypot(u, v)[moving], ref_mag[moving])):
            return True, ""
        return False, f"the arrows point like {name} but their lengths are not its lengths"
    if _aligned(u, v, rv, ru, moving, angle_tol):
        return False, f"the arrows do not point like {name}: their x and y components are swapped"
    if _aligned(u, v, -ru, -rv, moving, angle_tol):
        return False, f"the arrows do not point like {name}: they point the opposite way (sign)"
    return False, f"the arrows do not point like {name}"


def _unit(q: Mapping, spec: Mapping) -> Element:
    x, y, u, v = _arrows(q)
    ru, rv = eval_field(spec["function"], x, y)
    ref = np.hypot(ru, rv)
    length = np.hypot(u, v)
    keep = np.isfinite(length) & np.isfinite(ref) & (ref > 1e-12 * max(np.nanmax(ref), 1e-300))
    tol = Tolerance(rtol=float(spec.get("unit_tol", 1e-3)))
    if keep.any() and np.all(tol.close(length[keep], 1.0)):
        return True, "", "correct"
    return (
        False,
        "the arrows are not of unit length: divide each arrow (u, v) by its length "
        "sqrt(u**2 + v**2) so that only the direction shows",
        NOT_UNIT,
    )


def _increasing_in(c: np.ndarray, ref: np.ndarray, rtol: float = 1e-3) -> bool:
    """``c`` is a non-decreasing function of ``ref`` (one colour per value), not constant
    unless ``ref`` is: a colour map then shows ``ref``'s order, as the task asks."""
    ok = np.isfinite(c) & np.isfinite(ref)
    if ok.sum() < 2:
        return False
    c, r = c[ok], ref[ok]
    span_r, span_c = float(np.ptp(r)), float(np.ptp(c))
    if span_r <= 1e-12 * max(float(np.max(np.abs(r))), 1e-300):
        return True
    if span_c == 0:
        return False
    order = np.argsort(r, kind="stable")
    dr, dc = np.diff(r[order]), np.diff(c[order])
    tie = dr <= 1e-9 * span_r
    return bool(np.all(np.abs(dc[tie]) <= rtol * span_c) and np.all(dc[~tie] >= -rtol * span_c))


def _colour(q: Mapping, spec: Mapping) -> Element:
    want = spec["color"]
    what = "the length of the field" if want == "magnitude" else "the values asked for"
    colours = q.get("C")
    if colours is None:
        return (
            False,
            f"the arrows have no colour array: pass {what} as the fifth argument, "
            "quiver(x, y, u, v, size)",
            NO_COLOUR,
        )
    x, y, _, _ = _arrows(q)
    if want == "magnitude":
        ru, rv = eval_field(spec["function"], x, y)
        ref = np.hypot(ru, rv)
    elif callable(want):
        ref = np.broadcast_to(np.asarray(want(x, y), dtype=float), x.shape)
    else:
        raise OptionError("quiver 'color' must be 'magnitude' or a callable (X, Y) -> values")
    c = as_floats(colours)[: x.size]
    if c.size == x.size and _increasing_in(c, ref):
        return True, "", "correct"
    return False, f"the arrows are coloured, but not by {what}", NO_COLOUR


def _cmap(q: Mapping, want: str) -> Element:
    got = str(q.get("cmap") or "")
    if got.lower() == str(want).lower():
        return True, "", "correct"
    return False, f"the colour map is '{got}', not '{want}' (pass cmap='{want}')", WRONG_CMAP


def covers(values: np.ndarray, lo: float, hi: float, slack: float = 0.02) -> bool:
    """The finite ``values`` reach from ``lo`` to ``hi`` (within ``slack`` of the span)."""
    values = values[np.isfinite(values)]
    margin = slack * abs(hi - lo)
    return bool(values.size and values.min() <= lo + margin and values.max() >= hi - margin)


def _extent(q: Mapping, want: Any) -> Element:
    x, y, _, _ = _arrows(q)
    ranges = want if isinstance(want, Mapping) else {"x": want, "y": want}
    short = [
        f"{axis} from {lo:g} to {hi:g}"
        for axis, values in (("x", x), ("y", y))
        if axis in ranges
        for lo, hi in [tuple(float(t) for t in ranges[axis])]
        if not covers(values, lo, hi)
    ]
    if not short:
        return True, "", "correct"
    return False, "the arrows do not cover the grid of " + " and ".join(short), WRONG_RANGE


def check_quiver(spec: Mapping, axes: list[dict], options: Mapping, fmt: str) -> list[Element]:
    """One element per property the quiver ``spec`` states (see the module docstring).

    Figure data of format ``figure-data/1`` carry no colours: ``color`` and
    ``cmap`` are then not checked.
    """
    unknown = set(spec) - QUIVER_KEYS
    if unknown:
        raise OptionError(f"unknown quiver spec key(s): {sorted(unknown)}")
    name = spec.get("name") or "the vector field"
    old = fmt == "figure-data/1"
    props = [k for k in ("unit", "color", "cmap", "extent") if spec.get(k)]
    props = [k for k in props if not (old and k in ("color", "cmap"))]
    quivers = [
        q
        for ax in axes
        for q in ax.get("collections") or []
        if isinstance(q, Mapping) and q.get("kind") == "quiver"
    ]
    if not quivers:
        missing = (False, f"no arrow (quiver) plot of {name} was found", MISSING_CURVE)
        return [(*missing, 1 + len(props) + len(props) // 2)]
    verdicts = [(q, _direction(q, spec, options)) for q in quivers]
    q, (ok, message) = next(((q, d) for q, d in verdicts if d[0]), verdicts[0])
    # The direction is the field's data: it weighs as much as half the other properties.
    weight = 1 + len(props) // 2
    out: list[Element] = [(ok, message, "correct" if ok else WRONG_FIELD, weight)]
    for key in props:
        if key == "unit":
            out.append(_unit(q, spec))
        elif key == "color":
            out.append(_colour(q, spec))
        elif key == "cmap":
            out.append(_cmap(q, spec["cmap"]))
        else:
            out.append(_extent(q, spec["extent"]))
    return out
