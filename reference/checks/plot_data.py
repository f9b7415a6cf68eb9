"""Turn a live matplotlib figure into plain, JSON-able data (:func:`figure_data`).

The data hold what a plot check needs: titles, labels, limits, legend texts,
line data, scatter data and quiver fields (positions, arrows, colour array and
colour map), with sizes capped so a huge plot cannot make the data huge. It is
read in the student's process and judged elsewhere (:mod:`.plots`).

Format ``figure-data/2`` added a quiver's colour array ``C`` (None when the
arrows have none) and its colour map ``cmap``; every field of
``figure-data/1`` is unchanged, and checks read data of either format.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: Format tag written into every :func:`figure_data` result.
FORMAT = "figure-data/2"
#: Formats whose data checks can read; ``figure-data/1`` has no quiver colours.
FORMATS = ("figure-data/1", FORMAT)
#: Lines longer than this are evenly downsampled.
MAX_LINE_POINTS = 20_000
#: Scatter/quiver collections longer than this are evenly downsampled.
MAX_COLLECTION_POINTS = 10_000
#: Longest text (title, label) kept.
MAX_TEXT = 500
#: Most artists of one kind kept per Axes.
MAX_ARTISTS = 200


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
        colors = coll.get_array()
        cs = None if colors is None else _floats(colors)
        if cs is not None and cs.size != n:
            cs = cs[:n] if cs.size > n else np.concatenate([cs, np.full(n - cs.size, np.nan)])
        idx = _pick(n, MAX_COLLECTION_POINTS)
        if idx is not None:
            xs, ys, us, vs = xs[idx], ys[idx], us[idx], vs[idx]
            cs = None if cs is None else cs[idx]
        cmap = coll.get_cmap()
        return {
            "kind": "quiver",
            "n": int(n),
            "truncated": idx is not None,
            "offsets": [_json_list(xs), _json_list(ys)],
            "U": _json_list(us),
            "V": _json_list(vs),
            "C": None if cs is None else _json_list(cs),
            "cmap": None if cmap is None else _text(getattr(cmap, "name", "")),
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
