"""Check a student's matplotlib figure against a plain-data specification.

Two steps, so the verdict can be reached in another process than the one
that drew the figure (the grader's, not the student's kernel):

* :func:`figure_data` turns a live Figure into plain, JSON-able data (titles,
  labels, limits, legend texts, line data, scatter and quiver data), with
  sizes capped so a huge plot cannot make the data huge;
* :func:`check_figure` compares that data (or a live Figure/Axes, converted
  first) with a spec dict and returns a :class:`CheckResult` with partial
  credit, one point per required element.

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

import contextlib
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .result import CheckResult, correct, register_note
from .safety import answer_check, is_missing
from .tolerance import Tolerance

MISSING_CURVE = register_note("plot-missing-curve", "A required curve or arrow plot is missing.")
WRONG_DATA = register_note("plot-wrong-data", "A plotted line has the wrong data.")
NO_LEGEND = register_note("plot-no-legend", "The plot has no legend.")
NO_LABELS = register_note(
    "plot-no-labels", "A title, axis label or line label is missing or wrong."
)
EMPTY = register_note("plot-empty", "There is no figure, no axes or nothing plotted.")
WRONG_FIELD = register_note("plot-wrong-field", "The arrows of a vector field point wrongly.")
INVALID = register_note("plot-invalid", "The answer is not a figure, an Axes or figure data.")

#: Format tag written into every :func:`figure_data` result.
FORMAT = "figure-data/1"
#: Lines longer than this are evenly downsampled.
MAX_LINE_POINTS = 20_000
#: Scatter/quiver collections longer than this are evenly downsampled.
MAX_COLLECTION_POINTS = 10_000
#: Longest text (title, label) kept.
MAX_TEXT = 500
#: Most artists of one kind kept per Axes.
MAX_ARTISTS = 200

#: When several elements fail, the note reported is the first in this order.
_NOTE_PRIORITY = (WRONG_FIELD, WRONG_DATA, MISSING_CURVE, NO_LEGEND, NO_LABELS, EMPTY)


# --------------------------------------------------------------------------
# Extraction: live Figure -> plain data
# --------------------------------------------------------------------------


def _text(s: Any) -> str:
    return str(s if s is not None else "")[:MAX_TEXT]


def _floats(values: Any) -> np.ndarray:
    """1-D float array; masked and unconvertible entries become NaN."""
    if np.ma.isMaskedArray(values):
        values = np.ma.asarray(values, dtype=float).filled(np.nan)
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        arr = np.array([_float_or_nan(v) for v in np.ravel(np.asarray(values, dtype=object))])
    return arr.ravel()


def _float_or_nan(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def _json_list(arr: np.ndarray) -> list[float | None]:
    """List of floats with NaN and infinities replaced by None (strict JSON)."""
    return [v if math.isfinite(v) else None for v in np.asarray(arr, dtype=float).tolist()]


def _pick(n: int, cap: int) -> np.ndarray | None:
    """Evenly spaced indices (endpoints kept) when ``n > cap``, else None."""
    if n <= cap:
        return None
    return np.unique(np.linspace(0, n - 1, cap).round().astype(int))


def _line_data(line: Any, is3d: bool) -> dict:
    from matplotlib.colors import to_hex

    label = _text(line.get_label())
    out: dict[str, Any] = {"label": None if label.startswith("_") else label}
    if is3d and hasattr(line, "get_data_3d"):
        xs, ys, zs = (_floats(v) for v in line.get_data_3d())
    else:
        xs, ys, zs = _floats(line.get_xdata()), _floats(line.get_ydata()), None
    n = min(xs.size, ys.size)
    xs, ys = xs[:n], ys[:n]
    idx = _pick(n, MAX_LINE_POINTS)
    if idx is not None:
        xs, ys = xs[idx], ys[idx]
        zs = zs[idx] if zs is not None and zs.size == n else zs
    out.update(n=int(n), downsampled=idx is not None, x=_json_list(xs), y=_json_list(ys))
    if zs is not None:
        out["z"] = _json_list(zs[: len(xs)])
    try:
        out["color"] = to_hex(line.get_color(), keep_alpha=False)
    except (TypeError, ValueError):
        out["color"] = None
    out["linestyle"] = _text(line.get_linestyle())
    marker = line.get_marker()
    out["marker"] = None if marker in (None, "None", "none", "", " ") else _text(marker)
    out["visible"] = bool(line.get_visible())
    return out


def _collection_data(coll: Any) -> dict:
    from matplotlib.collections import PathCollection
    from matplotlib.quiver import Quiver

    if isinstance(coll, Quiver):
        xs, ys = _floats(coll.X), _floats(coll.Y)
        us, vs = _floats(coll.U), _floats(coll.V)
        mask = np.ma.getmaskarray(np.ma.array(us, mask=coll.Umask))
        us, vs = np.where(mask, np.nan, us), np.where(mask, np.nan, vs)
        n = min(xs.size, ys.size, us.size, vs.size)
        xs, ys, us, vs = xs[:n], ys[:n], us[:n], vs[:n]
        idx = _pick(n, MAX_COLLECTION_POINTS)
        if idx is not None:
            xs, ys, us, vs = xs[idx], ys[idx], us[idx], vs[idx]
        return {
            "kind": "quiver",
            "n": int(n),
            "truncated": idx is not None,
            "offsets": [_json_list(xs), _json_list(ys)],
            "U": _json_list(us),
            "V": _json_list(vs),
        }
    kind = "scatter" if isinstance(coll, PathCollection) else "other"
    offsets = np.asarray(coll.get_offsets(), dtype=float).reshape(-1, 2)
    n = len(offsets)
    idx = _pick(n, MAX_COLLECTION_POINTS)
    if idx is not None:
        offsets = offsets[idx]
    label = _text(coll.get_label())
    return {
        "kind": kind,
        "n": int(n),
        "truncated": idx is not None,
        "label": None if label.startswith("_") else label,
        "offsets": [_json_list(offsets[:, 0]), _json_list(offsets[:, 1])],
    }


def _axes_data(ax: Any, notes: list[str]) -> dict:
    is3d = getattr(ax, "name", "") == "3d"
    titles = [_text(ax.get_title(loc)) for loc in ("left", "center", "right")]
    legend = ax.get_legend()
    data: dict[str, Any] = {
        "title": " ".join(t for t in titles if t),
        "xlabel": _text(ax.get_xlabel()),
        "ylabel": _text(ax.get_ylabel()),
        "xlim": _json_list(ax.get_xlim()),
        "ylim": _json_list(ax.get_ylim()),
        "xscale": _text(ax.get_xscale()),
        "yscale": _text(ax.get_yscale()),
        "is3d": is3d,
        "colorbar": getattr(ax, "_colorbar", None) is not None,
        "legend": None if legend is None else [_text(t.get_text()) for t in legend.get_texts()],
        "lines": [],
        "collections": [],
        "images": len(ax.images),
        "patches": len(ax.patches),
    }
    if is3d:
        data["zlabel"] = _text(ax.get_zlabel())
    for line in ax.get_lines()[:MAX_ARTISTS]:
        try:
            data["lines"].append(_line_data(line, is3d))
        except Exception as exc:  # noqa: BLE001 - odd artists must not break extraction
            notes.append(f"a line could not be read ({type(exc).__name__})")
    for coll in ax.collections[:MAX_ARTISTS]:
        try:
            data["collections"].append(_collection_data(coll))
        except Exception as exc:  # noqa: BLE001
            notes.append(f"a collection could not be read ({type(exc).__name__})")
    if len(ax.get_lines()) > MAX_ARTISTS or len(ax.collections) > MAX_ARTISTS:
        notes.append(f"only the first {MAX_ARTISTS} artists of each kind were kept")
    if any(line.get("downsampled") for line in data["lines"]):
        notes.append(f"lines longer than {MAX_LINE_POINTS} points were downsampled")
    return data


def _all_axes(fig: Any) -> list[Any]:
    """Axes of ``fig`` and of its subfigures, each once, in figure order."""
    seen: dict[int, Any] = {}
    stack = [fig]
    while stack:
        f = stack.pop(0)
        for ax in f.axes:
            seen.setdefault(id(ax), ax)
        stack.extend(getattr(f, "subfigs", []))
    return list(seen.values())


def _as_figure(obj: Any) -> Any:
    """The Figure behind ``obj`` (Figure, SubFigure, Axes, ``(fig, ax)`` or an
    array of Axes), or None."""
    from matplotlib.axes import Axes
    from matplotlib.figure import FigureBase

    if isinstance(obj, FigureBase):
        return obj
    if isinstance(obj, Axes):
        return obj.get_figure(root=False)
    if isinstance(obj, (tuple, list)) or (isinstance(obj, np.ndarray) and obj.dtype == object):
        for item in list(np.ravel(np.asarray(obj, dtype=object)))[:16] if np.size(obj) else ():
            fig = _as_figure(item)
            if fig is not None:
                return fig
    return None


def figure_data(fig: Any = None) -> dict:
    """Plain, JSON-able description of a matplotlib figure.

    ``fig`` may be a Figure, an Axes (its figure is used), ``(fig, ax)`` or
    None for ``plt.gcf()``. Raises ``TypeError`` for anything else; odd
    figures (3D, twin axes, no axes) are described, never rejected.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [2, 3])
    >>> d = figure_data(ax)
    >>> d["axes"][0]["lines"][0]["y"], d["axes"][0]["lines"][0]["label"]
    ([2.0, 3.0], None)
    >>> plt.close(fig)
    """
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.gcf()
    figure = _as_figure(fig)
    if figure is None:
        raise TypeError(f"expected a matplotlib Figure or Axes, got {type(fig).__name__}")
    notes: list[str] = []
    axes = []
    for ax in _all_axes(figure):
        try:
            axes.append(_axes_data(ax, notes))
        except Exception as exc:  # noqa: BLE001
            notes.append(f"an Axes could not be read ({type(exc).__name__})")
    suptitle = getattr(figure, "_suptitle", None)
    legends = []
    for leg in getattr(figure, "legends", []):
        legends.append([_text(t.get_text()) for t in leg.get_texts()])
    return {
        "format": FORMAT,
        "suptitle": _text(suptitle.get_text()) if suptitle is not None else "",
        "supxlabel": _text(getattr(getattr(figure, "_supxlabel", None), "get_text", str)()),
        "supylabel": _text(getattr(getattr(figure, "_supylabel", None), "get_text", str)()),
        "legends": legends,
        "axes": axes,
        "notes": sorted(set(notes)),
    }


# --------------------------------------------------------------------------
# Checking: plain data + spec -> CheckResult
# --------------------------------------------------------------------------


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


def _arr(values: Any) -> np.ndarray:
    if values is None:
        return np.array([], dtype=float)
    return np.array([_float_or_nan(v) if v is not None else math.nan for v in values], float)


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
        rx, ry = _arr(ref.get("x")), _arr(ref.get("y"))
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
    x, y = _arr(line.get("x")), _arr(line.get("y"))
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
            out.append((False, f"the line labelled '{label}' does not match {name}", WRONG_DATA))
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
            out.append((False, f"no line matches {name}", note))
    return out


def _check_quiver(spec: Mapping, axes: list[dict], options: Mapping) -> tuple[bool, str, str]:
    name = spec.get("name") or "the vector field"
    quivers = [
        q
        for ax in axes
        for q in ax.get("collections") or []
        if isinstance(q, Mapping) and q.get("kind") == "quiver"
    ]
    if not quivers:
        return False, f"no arrow (quiver) plot of {name} was found", MISSING_CURVE
    func = spec["function"]
    angle_tol = math.radians(float(spec.get("angle_tol", options.get("angle_tol", 2.0))))
    normalized = bool(spec.get("normalized", False))
    rtol = float(spec.get("rtol", options.get("rtol", 1e-3)))
    for q in quivers:
        x, y = (_arr(v) for v in (q.get("offsets") or [[], []])[:2])
        u, v = _arr(q.get("U")), _arr(q.get("V"))
        n = min(x.size, y.size, u.size, v.size)
        if n == 0:
            continue
        x, y, u, v = x[:n], y[:n], u[:n], v[:n]
        ru, rv = _eval_field(func, x, y)
        ref_mag = np.hypot(ru, rv)
        stu_mag = np.hypot(u, v)
        usable = np.isfinite(ref_mag)
        if usable.sum() == 0:
            continue
        big = float(np.max(ref_mag[usable]))
        moving = usable & (ref_mag > 1e-9 * max(big, 1e-300))
        # arrows where the field vanishes have no direction to check
        with np.errstate(all="ignore"):
            cos = (u * ru + v * rv) / (stu_mag * ref_mag)
        ok = np.isfinite(cos[moving]) & (cos[moving] >= math.cos(angle_tol) - 1e-12)
        if not normalized:
            tol = Tolerance(rtol=rtol, atol=rtol * big)
            ok &= tol.close(stu_mag[moving], ref_mag[moving])
        if moving.any() and bool(np.all(ok)):
            return True, "", "correct"
    return False, f"the arrows do not point like {name}", WRONG_FIELD


def _eval_field(func: Callable, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _text_element(want: Any, texts: list[str], what: str, missing: str) -> tuple[bool, str, str]:
    texts = [t for t in texts if t and t.strip()]
    if want is True:
        return (True, "", "correct") if texts else (False, missing, NO_LABELS)
    needle = str(want).lower()
    if any(needle in t.lower() for t in texts):
        return True, "", "correct"
    if not texts:
        return False, missing, NO_LABELS
    return False, f"no {what} mentions '{want}'", NO_LABELS


def _check_legend(want: Any, data: dict, axes: list[dict]) -> tuple[bool, str, str]:
    legends = [ax["legend"] for ax in axes if ax.get("legend") is not None]
    legends += [leg for leg in data.get("legends") or [] if leg is not None]
    texts = [str(t) for leg in legends for t in leg if str(t).strip()]
    if not legends:
        return False, "the legend is missing", NO_LEGEND
    if want is True:
        return (True, "", "correct") if texts else (False, "the legend is empty", NO_LEGEND)
    wanted = [want] if isinstance(want, str) else list(want)
    absent = [w for w in wanted if not any(str(w).lower() in t.lower() for t in texts)]
    if absent:
        return (
            False,
            "the legend has no entry for " + ", ".join(f"'{w}'" for w in absent),
            NO_LEGEND,
        )
    return True, "", "correct"


@answer_check
def check_figure(student: Any, spec: Mapping | None = None, **options: Any) -> CheckResult:
    """Grade a figure against ``spec``, one point per required element.

    ``student`` is a Figure, an Axes, ``(fig, ax)`` or the dict from
    :func:`figure_data`. ``spec`` keys (all optional): ``axes`` (exact number
    of plot axes), ``min_lines``, ``curves`` (list of ``{"function": f or
    {"x": [...], "y": [...]}, "label", "name", "rtol", "atol", "x_range",
    "axes"}``), ``title``/``xlabel``/``ylabel`` (True or a substring),
    ``legend`` (True, a substring or a list of them) and ``quiver``
    (``{"function": (X, Y) -> (U, V), "normalized": bool, "angle_tol": deg}``).
    Options ``rtol``/``atol``/``angle_tol`` set defaults for every element.

    >>> check_figure("a plot", {}).note
    'plot-invalid'
    """
    spec = dict(spec or {})
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

    results: list[tuple[bool, str, str]] = []
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
        results.append(_check_quiver(spec["quiver"], axes, options))
    if spec.get("title"):
        titles = [str(ax.get("title") or "") for ax in axes] + [str(data.get("suptitle") or "")]
        results.append(_text_element(spec["title"], titles, "title", "the axes have no title"))
    for key, axis in (("xlabel", "x"), ("ylabel", "y")):
        if spec.get(key):
            texts = [str(ax.get(key) or "") for ax in axes] + [str(data.get(f"sup{key}") or "")]
            missing = f"the {axis}-axis has no label"
            results.append(_text_element(spec[key], texts, f"{axis}-axis label", missing))
    if spec.get("legend"):
        results.append(_check_legend(spec["legend"], data, axes))

    if not results:
        return correct("Your figure has a plot.")
    good = sum(ok for ok, _, _ in results)
    failures = [(msg, note) for ok, msg, note in results if not ok]
    if not failures:
        return correct("Your plot has everything that was asked for.")
    notes = {note for _, note in failures}
    note = next(n for n in _NOTE_PRIORITY if n in notes)
    lines = "\n".join(f"- {msg[0].upper()}{msg[1:]}." for msg, _ in failures)
    feedback = f"Your plot has {good} of {len(results)} required parts right:\n{lines}"
    return CheckResult(good / len(results), feedback, note)
