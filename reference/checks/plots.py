"""Check a student's matplotlib figure against a plain-data specification.

Two steps, so the verdict can be reached in another process than the one
that drew the figure (the grader's, not the student's kernel):

* :func:`figure_data` (in :mod:`.plot_data`) turns a live Figure into plain,
  JSON-able data (titles, labels, limits, legend texts, line data, scatter
  and quiver data with colours), with sizes capped;
* :func:`check_figure` compares that data (or a live Figure/Axes, converted
  first) with a spec dict and returns a :class:`CheckResult` with partial
  credit, one point per property the spec states: each curve (its data, its
  range and its label), the kind of artist, each property of an arrow plot
  (:mod:`.plot_fields`: direction, unit length, colours, colour map, grid),
  the number of axes, title, axis labels, legend entries and axis limits.

Design decision: we do NOT use ``plotchecker`` (last release 0.2.0, February
2018). It works only on live ``Axes`` objects, while we need the figure as
plain data that can cross a process boundary as JSON; the small extractor
below covers what the course's plots need (lines, quiver fields, scatter,
titles, labels, legends) and is tested against matplotlib 3.11.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([0, 1, 2], [0, 1, 4], label="square")
>>> _ = ax.legend()
>>> check_figure(fig, {"curves": [{"function": lambda x: x**2, "label": "square"}],
...                    "legend": True}).score
1.0
>>> plt.close(fig)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from . import misconceptions as mc
from .plot_data import FORMAT, FORMATS, _as_figure, figure_data
from .plot_fields import (
    MISSING_CURVE,
    NO_COLOUR,
    NOT_UNIT,
    WRONG_CMAP,
    WRONG_FIELD,
    WRONG_RANGE,
    as_floats,
    check_quiver,
)
from .plot_labels import NO_LABELS, NO_LEGEND, check_legend, check_limits, text_element
from .result import CheckResult, correct, register_note
from .safety import answer_check, is_missing
from .tolerance import OptionError, Tolerance, reject_unknown

__all__ = ["FORMAT", "FORMATS", "check_figure", "figure_data"]

WRONG_DATA = register_note("plot-wrong-data", "A plotted line has the wrong data.")
EMPTY = register_note("plot-empty", "There is no figure, no axes or nothing plotted.")
INVALID = register_note("plot-invalid", "The answer is not a figure, an Axes or figure data.")
WRONG_KIND = register_note(
    "plot-wrong-kind",
    "The data are drawn with another kind of artist than asked (points, not a line).",
)

#: When several elements fail, the note reported is the first in this order.
_NOTE_PRIORITY = (
    WRONG_FIELD, WRONG_KIND, WRONG_DATA, MISSING_CURVE, NOT_UNIT, NO_COLOUR, WRONG_CMAP,
    WRONG_RANGE, NO_LEGEND, NO_LABELS, EMPTY,
)  # fmt: skip
#: The keys a spec may have; any other is an instructor's typo and raises.
SPEC_KEYS = frozenset(
    {"axes", "min_lines", "curves", "quiver", "title", "xlabel", "ylabel", "legend", "xlim",
     "ylim"}
)  # fmt: skip
#: How a misconception detector's note reads for a plotted line.
_LINE_MISTAKES = {
    mc.SIGN: "its sign is flipped",
    mc.FACTOR: "it is off by a constant factor",
    mc.SHIFT: "it is shifted up or down by a constant",
}


class _Invalid(Exception):
    """The student's answer is not something we can read as a figure."""


def _coerce(student: Any) -> dict:
    if isinstance(student, Mapping):
        data = dict(student)
        if not isinstance(data.get("axes"), list):
            raise _Invalid("This dict is not figure data (made by figure_data).")
        return data
    if isinstance(student, (str, bytes)):
        raise _Invalid(
            "Your answer is text, not a figure. Return the matplotlib Figure "
            "(for example `fig` from `fig, ax = plt.subplots()`)."
        )
    if _as_figure(student) is None:
        raise _Invalid(
            f"Your answer is a {type(student).__name__}, not a matplotlib Figure or Axes."
        )
    return figure_data(student)


def _plot_axes(data: dict) -> list[dict]:
    """Axes that are not colorbars."""
    return [ax for ax in data["axes"] if isinstance(ax, Mapping) and not ax.get("colorbar")]


def _has_content(ax: Mapping) -> bool:
    return bool(ax.get("lines") or ax.get("collections") or ax.get("images") or ax.get("patches"))


def _eval_function(func: Callable, x: np.ndarray) -> np.ndarray:
    """``func`` at ``x``: vectorised if it works, point by point otherwise."""
    try:
        y = np.asarray(func(x), dtype=float)
        if y.shape == x.shape:
            return y
        if y.size == 1:
            return np.full(x.shape, float(y.ravel()[0]))
    except Exception:  # noqa: BLE001 - fall back to scalar calls
        pass
    out = np.full(x.shape, np.nan)
    for i, xi in enumerate(x):
        try:
            out[i] = float(func(float(xi)))
        except Exception:  # noqa: BLE001
            out[i] = np.nan
    return out


def _reference_at(curve: Mapping, x: np.ndarray) -> np.ndarray:
    """Reference values at ``x``; NaN where the reference does not speak."""
    ref = curve.get("function")
    if callable(ref):
        return _eval_function(ref, x)
    if isinstance(ref, Mapping):
        rx, ry = as_floats(ref.get("x")), as_floats(ref.get("y"))
        keep = np.isfinite(rx) & np.isfinite(ry)
        rx, ry = rx[keep], ry[keep]
        if rx.size < 2:
            raise ValueError("reference data needs at least two points")
        order = np.argsort(rx)
        rx, ry = rx[order], ry[order]
        y = np.interp(x, rx, ry)
        y[(x < rx[0]) | (x > rx[-1]) | ~np.isfinite(x)] = np.nan
        return y
    raise ValueError("a curve spec needs 'function': a callable or {'x': [...], 'y': [...]}")


def _line_matches(line: Mapping, curve: Mapping, options: Mapping) -> tuple[bool, bool]:
    """(data ok, coverage ok) for one student line against one curve spec."""
    x, y = as_floats(line.get("x")), as_floats(line.get("y"))
    n = min(x.size, y.size)
    x, y = x[:n], y[:n]
    ok_x = np.isfinite(x)
    x, y = x[ok_x], y[ok_x]
    if x.size < 2:
        return False, False
    ref = _reference_at(curve, x)
    speaks = np.isfinite(ref)
    if speaks.sum() < 2:
        return False, False
    rtol = float(curve.get("rtol", options.get("rtol", 1e-3)))
    if "atol" in curve or "atol" in options:
        atol = float(curve.get("atol", options.get("atol", 0.0)))
    else:  # an error below 0.1 % of the curve's size is invisible in a plot
        atol = rtol * float(np.max(np.abs(ref[speaks])))
    tol = Tolerance(rtol=rtol, atol=atol)
    data_ok = bool(np.all(tol.close(y[speaks], ref[speaks])))
    covered = True
    if curve.get("x_range") is not None:
        lo, hi = (float(v) for v in curve["x_range"])
        slack = float(curve.get("coverage_slack", 0.02)) * abs(hi - lo)
        xs = x[speaks]
        covered = bool(xs.min() <= lo + slack and xs.max() >= hi - slack)
    return data_ok, covered


def _label_ok(line: Mapping, curve: Mapping) -> bool:
    want = curve.get("label")
    if not want:
        return True
    label = line.get("label") or ""
    return str(want).lower() in str(label).lower()


def _max_matching(ok: list[list[bool]]) -> list[int | None]:
    """Assign each curve (row) a distinct line (column); -> line per curve."""
    n_lines = len(ok[0]) if ok else 0
    owner: list[int | None] = [None] * n_lines

    def augment(c: int, seen: set[int]) -> bool:
        for j in range(n_lines):
            if ok[c][j] and j not in seen:
                seen.add(j)
                if owner[j] is None or augment(owner[j], seen):
                    owner[j] = c
                    return True
        return False

    for c in range(len(ok)):
        augment(c, set())
    result: list[int | None] = [None] * len(ok)
    for j, c in enumerate(owner):
        if c is not None:
            result[c] = j
    return result


def _check_curves(
    curves: Sequence[Mapping], axes: list[dict], options: Mapping
) -> list[tuple[bool, str, str]]:
    lines = []  # (axes index, line dict)
    for i, ax in enumerate(axes):
        lines.extend((i, ln) for ln in ax.get("lines") or [] if isinstance(ln, Mapping))
    n_lines = len(lines)
    data = [[(False, False)] * n_lines for _ in curves]
    for c, curve in enumerate(curves):
        for j, (i, line) in enumerate(lines):
            if curve.get("axes") is not None and int(curve["axes"]) != i:
                continue
            data[c][j] = _line_matches(line, curve, options)
    full = [
        [
            data[c][j][0] and data[c][j][1] and _label_ok(lines[j][1], curves[c])
            for j in range(n_lines)
        ]
        for c in range(len(curves))
    ]
    chosen = _max_matching(full)
    out = []
    for c, curve in enumerate(curves):
        label = curve.get("label")
        name = curve.get("name") or (f"the curve labelled '{label}'" if label else f"curve {c + 1}")
        if chosen[c] is not None:
            out.append((True, "", "correct"))
            continue
        labelled = [j for j in range(n_lines) if label and _label_ok(lines[j][1], curve)]
        right_data = [j for j in range(n_lines) if data[c][j][0]]
        if any(data[c][j][0] and not data[c][j][1] for j in range(n_lines)):
            lo, hi = curve["x_range"]
            out.append(
                (False, f"the line for {name} does not cover x from {lo} to {hi}", WRONG_DATA)
            )
        elif labelled:
            how = _how_wrong(lines[labelled[0]][1], curve, options)
            out.append(
                (False, f"the line labelled '{label}' does not match {name}{how}", WRONG_DATA)
            )
        elif _drawn_as_points(curve, axes, options):
            out.append(
                (
                    False,
                    f"{name} is drawn as separate points (scatter); the task asks for a line "
                    "(ax.plot)",
                    WRONG_KIND,
                )
            )
        elif right_data and label:
            out.append(
                (
                    False,
                    f"a line matches {name} but its label does not contain '{label}'",
                    NO_LABELS,
                )
            )
        else:
            note = WRONG_DATA if n_lines >= len(curves) and n_lines else MISSING_CURVE
            how = _how_wrong(lines[0][1], curve, options) if n_lines == 1 else ""
            out.append((False, f"no line matches {name}{how}", note))
    return out


def _how_wrong(line: Mapping, curve: Mapping, options: Mapping) -> str:
    """ ", it is off by a constant factor" when a detector can say how a line is wrong."""
    x, y = as_floats(line.get("x")), as_floats(line.get("y"))
    n = min(x.size, y.size)
    x, y = x[:n], y[:n]
    keep = np.isfinite(x) & np.isfinite(y)
    if keep.sum() < 2:
        return ""
    ref = _reference_at(curve, x[keep])
    speaks = np.isfinite(ref)
    if speaks.sum() < 2:
        return ""
    rtol = float(curve.get("rtol", options.get("rtol", 1e-3)))
    tol = Tolerance(rtol=rtol, atol=rtol * float(np.max(np.abs(ref[speaks]))))
    verdict = mc.diagnose(y[keep][speaks], ref[speaks], tol=tol)
    return f": {_LINE_MISTAKES[verdict.note]}" if verdict and verdict.note in _LINE_MISTAKES else ""


def _drawn_as_points(curve: Mapping, axes: list[dict], options: Mapping) -> bool:
    """A scatter plot, not a line, holds the curve's data."""
    for ax in axes:
        for coll in ax.get("collections") or []:
            if isinstance(coll, Mapping) and coll.get("kind") == "scatter":
                offsets = (coll.get("offsets") or [[], []])[:2]
                as_line = {"x": offsets[0], "y": offsets[1]}
                if _line_matches(as_line, {**curve, "x_range": None}, options)[0]:
                    return True
    return False


@answer_check
def check_figure(student: Any, spec: Mapping | None = None, **options: Any) -> CheckResult:
    """Grade a figure against ``spec``, one point per required element.

    ``student`` is a Figure, an Axes, ``(fig, ax)`` or the dict from
    :func:`figure_data`. ``spec`` keys (all optional): ``axes`` (exact number
    of plot axes), ``min_lines``, ``curves`` (list of ``{"function": f or
    {"x": [...], "y": [...]}, "label", "name", "rtol", "atol", "x_range",
    "axes"}``), ``title``/``xlabel``/``ylabel`` (True or a substring),
    ``legend`` (True, a substring or a list of entries that must all be there),
    ``xlim``/``ylim`` (an interval the axes must show) and ``quiver``
    (``{"function": (X, Y) -> (U, V), "normalized": bool, "angle_tol": deg,
    "unit": bool, "color": "magnitude" or (X, Y) -> values, "cmap": name,
    "extent": (lo, hi) or {"x": (lo, hi), "y": (lo, hi)}}``, one element per
    property; see :mod:`.plot_fields`). An unknown key raises. Options
    ``rtol``/``atol``/``angle_tol`` set defaults for every element.

    >>> check_figure("a plot", {}).note
    'plot-invalid'
    """
    spec = dict(spec or {})
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise OptionError(f"unknown figure spec key(s): {sorted(unknown)}")
    reject_unknown("check_figure", options, ("rtol", "atol", "angle_tol"))
    if is_missing(student):
        return CheckResult(0.0, "No figure was given: return or pass your Figure.", "missing")
    try:
        data = _coerce(student)
    except _Invalid as exc:
        return CheckResult(0.0, str(exc), INVALID)
    except Exception:  # noqa: BLE001 - unreadable figure
        return CheckResult(0.0, "Your figure could not be read.", INVALID)
    axes = _plot_axes(data)
    if not axes:
        return CheckResult(0.0, "The figure is empty: it has no axes (no plot).", EMPTY)
    if not any(_has_content(ax) for ax in axes):
        return CheckResult(0.0, "The figure is empty: nothing is plotted on its axes.", EMPTY)

    results: list[tuple] = []
    if spec.get("axes") is not None:
        want = int(spec["axes"])
        ok = len(axes) == want
        msg = f"the figure should have {want} plot(s) (axes) but has {len(axes)}"
        results.append((ok, "" if ok else msg, MISSING_CURVE))
    if spec.get("min_lines") is not None:
        want = int(spec["min_lines"])
        have = sum(len(ax.get("lines") or []) for ax in axes)
        ok = have >= want
        msg = f"the plot should have at least {want} lines but has {have}"
        results.append((ok, "" if ok else msg, MISSING_CURVE))
    if spec.get("curves"):
        results.extend(_check_curves(list(spec["curves"]), axes, options))
    if spec.get("quiver"):
        fmt = str(data.get("format") or FORMAT)
        results.extend(check_quiver(spec["quiver"], axes, options, fmt))
    if spec.get("title"):
        titles = [str(ax.get("title") or "") for ax in axes] + [str(data.get("suptitle") or "")]
        results.append(text_element(spec["title"], titles, "title", "the axes have no title"))
    for key, axis in (("xlabel", "x"), ("ylabel", "y")):
        if spec.get(key):
            texts = [str(ax.get(key) or "") for ax in axes] + [str(data.get(f"sup{key}") or "")]
            missing = f"the {axis}-axis has no label"
            results.append(text_element(spec[key], texts, f"{axis}-axis label", missing))
    if spec.get("legend"):
        results.append(check_legend(spec["legend"], data, axes))
    for key in ("xlim", "ylim"):
        if spec.get(key) is not None:
            results.append(check_limits(key, spec[key], axes))

    if not results:
        return correct("Your figure has a plot.")
    weights = [float(r[3]) if len(r) > 3 else 1.0 for r in results]
    good = sum(bool(r[0]) for r in results)
    failures = [(msg, note) for ok, msg, note, *_ in results if not ok]
    if not failures:
        return correct("Your plot has everything that was asked for.")
    notes = {note for _, note in failures}
    note = next(n for n in _NOTE_PRIORITY if n in notes)
    lines = "\n".join(f"- {msg[0].upper()}{msg[1:]}." for msg, _ in failures if msg)
    feedback = f"Your plot has {good} of {len(results)} required parts right:\n{lines}"
    score = sum(w for r, w in zip(results, weights, strict=True) if r[0]) / sum(weights)
    return CheckResult(score, feedback, note)
