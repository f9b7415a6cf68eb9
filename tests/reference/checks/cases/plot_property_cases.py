"""Every property a plot task states, each with a row proving that its check can fail.

The lessons' plot parts (lesson01.plot, lesson02.plot, lesson03.quiver,
lesson06.plot) are graded through their collectors and judges, from figures
drawn as the notebooks ask; each row breaks one stated property and names the
note the feedback must carry. Rows for :func:`check_figure` alone cover the
properties no lesson states (axis labels on y, limits).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from reference.checks.plots import check_figure

from . import Case, mistake, part_check


def f1(x):
    return x**3 - 2 * x**2 + 1


def rule(x):
    return 3 * x**2 - 4 * x


def rate(x, h=1e-4):
    return (f1(x + h) - f1(x)) / h


def lesson01(
    *, labels=("rule", "rate"), legend=True, only=None, title="f' two ways", subplots=1,
    xs=None, rule_y=rule, rate_kind="line",
):  # fmt: skip
    """Figure data of the lesson 1 plot, with one property broken at a time."""
    xs = np.linspace(-10, 10, 500) if xs is None else xs
    fig = Figure()
    axes = fig.subplots(1, subplots, squeeze=False)[0]
    ax = axes[0]
    handles = [ax.plot(xs, rule_y(xs), label=labels[0])[0]]
    if rate_kind == "line":
        handles.append(ax.plot(xs, rate(xs), label=labels[1])[0])
    elif rate_kind == "scatter":
        handles.append(ax.scatter(xs, rate(xs), label=labels[1]))
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(handles=handles[:only] if only else handles)
    for other in axes[1:]:
        other.plot(xs, rule(xs))
    return fig


def lesson02(*, shift=0.0, labels=("antiderivative", "running sum"), legend=True, title="t"):
    xs = np.arange(-10, 10, 0.1)
    running = np.cumsum((3 * xs**2 - 4 * xs) * 0.1)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(xs, xs**3 - 2 * xs**2 + shift, label=labels[0])
    ax.plot(xs, running, label=labels[1])
    if title:
        ax.set_title(title)
    if legend:
        ax.legend()
    return fig


def lesson03(
    *, lo=-10.0, hi=10.0, n=20, unit=True, colour="size", cmap="viridis", title="field",
    field=None, kind="quiver",
):  # fmt: skip
    grid = np.linspace(lo, hi, n)
    xv, yv = np.meshgrid(grid, grid, indexing="ij")
    fx, fy = (2 * xv, 3 * yv**2) if field is None else field(xv, yv)
    size = np.hypot(fx, fy)
    with np.errstate(all="ignore"):
        u, v = (fx / size, fy / size) if unit else (fx, fy)
    fig = Figure()
    ax = fig.subplots()
    if kind == "streamplot":
        ax.plot(xv.ravel(), yv.ravel(), ".")
    elif colour is None:
        ax.quiver(xv, yv, u, v)
    else:
        c = {"size": size, "log": np.log1p(size), "fx": fx, "scaled": 5 * size + 2}[colour]
        ax.quiver(xv, yv, u, v, c, cmap=cmap)
    if title:
        ax.set_title(title)
    return fig


def lesson06(*, label="log x", func=np.log, title="log", xlabel="x", legend=True, lo=0.01):
    xs = np.linspace(lo, 10, 500)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(xs, func(xs), label=label)
    if title:
        ax.set_title(title)
    if xlabel:
        ax.set_xlabel(xlabel)
    if legend:
        ax.legend()
    return fig


def _p(id_, data, part, note, says=None, want="partial"):
    return mistake(f"pp-{id_}", part_check, data, part, note, want, says)


def _f(id_, data, spec, note, says=None, want="partial"):
    return mistake(f"pp-spec-{id_}", check_figure, data, spec, note, want, says)


L1, L2, L3, L6 = "lesson01.plot", "lesson02.plot", "lesson03.quiver", "lesson06.plot"
SIMPLE = {
    "curves": [{"function": rule, "label": "rule"}],
    "ylabel": True,
    "xlim": (-10, 10),
    "ylim": (0, 100),
}

CASES: list[Case] = [
    # lesson 1: one axes, two lines with data and range, labels, title, legend entries
    _p("l1-two-axes", lesson01(subplots=2), L1, "plot-missing-curve", "1 plot(s) (axes)"),
    _p(
        "l1-rule-data",
        lesson01(rule_y=lambda x: 2 * rule(x)),
        L1,
        "plot-wrong-data",
        "constant factor",
    ),  # fmt: skip
    _p("l1-rule-sign", lesson01(rule_y=lambda x: -rule(x)), L1, "plot-wrong-data", "sign"),
    _p("l1-range", lesson01(xs=np.linspace(-2, 2, 500)), L1, "plot-wrong-data", "does not cover"),
    _p("l1-labels", lesson01(labels=("f'", "secant")), L1, "plot-no-legend", "its label"),
    _p("l1-no-title", lesson01(title=None), L1, "plot-no-labels", "title"),
    _p("l1-no-legend", lesson01(legend=False), L1, "plot-no-legend", "legend is missing"),
    _p("l1-legend-entry", lesson01(only=1), L1, "plot-no-legend", "no entry for 'rate'"),
    _p("l1-one-line", lesson01(rate_kind=None), L1, "plot-missing-curve", "at least 2 lines"),
    _p("l1-scatter", lesson01(rate_kind="scatter"), L1, "plot-wrong-kind", "scatter"),
    # lesson 2: the antiderivative with no constant, the running sum, labels, title, legend
    _p("l2-constant", lesson02(shift=1200.0), L2, "plot-wrong-data", "shifted"),
    _p(
        "l2-area-label",
        lesson02(labels=("antiderivative", "area")),
        L2,
        "plot-no-legend",
        "running sum",
    ),  # fmt: skip
    _p("l2-no-title", lesson02(title=None), L2, "plot-no-labels", "title"),
    _p("l2-no-legend", lesson02(legend=False), L2, "plot-no-legend", "legend"),
    # lesson 3: arrows, their direction, unit length, colours, colour map, grid, title
    _p("l3-no-arrows", lesson03(kind="streamplot"), L3, "plot-missing-curve", "quiver", "partial"),
    _p("l3-not-unit", lesson03(unit=False), L3, "plot-not-unit", "unit length"),
    _p("l3-no-colour", lesson03(colour=None), L3, "plot-no-colour", "no colour array"),
    _p("l3-colour-fx", lesson03(colour="fx"), L3, "plot-no-colour", "not by the length"),
    _p("l3-cmap", lesson03(cmap="plasma"), L3, "plot-wrong-colormap", "viridis"),
    _p("l3-grid", lesson03(lo=-5.0, hi=5.0), L3, "plot-wrong-range", "from -10 to 10"),
    _p(
        "l3-fy-2y",
        lesson03(field=lambda x, y: (2 * x, 2 * y)),
        L3,
        "plot-wrong-field",
        "arrows do not point",
    ),  # fmt: skip
    _p(
        "l3-swapped",
        lesson03(field=lambda x, y: (3 * y**2, 2 * x)),
        L3,
        "plot-wrong-field",
        "swapped",
    ),  # fmt: skip
    _p(
        "l3-opposite",
        lesson03(field=lambda x, y: (-2 * x, -3 * y**2)),
        L3,
        "plot-wrong-field",
        "opposite",
    ),  # fmt: skip
    _p("l3-no-title", lesson03(title=None), L3, "plot-no-labels", "title"),
    # lesson 6: log x from 0.01 to 10, label, title, x-axis label, legend
    _p("l6-log10", lesson06(func=np.log10), L6, "plot-wrong-data", "constant factor"),
    _p("l6-range", lesson06(lo=1.0), L6, "plot-wrong-data", "does not cover"),
    _p("l6-label", lesson06(label="ln"), L6, "plot-no-legend", "label does not contain 'log'"),
    _p("l6-no-title", lesson06(title=None), L6, "plot-no-labels", "title"),
    _p("l6-no-xlabel", lesson06(xlabel=None), L6, "plot-no-labels", "x-axis"),
    _p("l6-no-legend", lesson06(legend=False), L6, "plot-no-legend", "legend"),
    # properties no lesson states: the y-axis label and the axis limits
    _f("no-ylabel", lesson01(), SIMPLE, "plot-no-labels", "y-axis"),
    _f(
        "xlim",
        lesson01(xs=np.linspace(-10, 10, 50)),
        {**SIMPLE, "xlim": (-20, 20)},
        "plot-wrong-range",
        "x from -20 to 20",
    ),  # fmt: skip
    _f(
        "ylim",
        lesson01(),
        {**SIMPLE, "ylim": (-1000, 1000)},
        "plot-wrong-range",
        "y from -1000 to 1000",
    ),  # fmt: skip
]

# Plots drawn other ways that have every stated property: never a mistake.
CASES += [
    Case("pp-ok-l1", part_check, lesson01(), L1, "pass"),
    Case("pp-ok-l1-labels", part_check, lesson01(labels=("by rule", "rate of change")), L1, "pass"),
    Case("pp-ok-l2", part_check, lesson02(), L2, "pass"),
    Case("pp-ok-l3", part_check, lesson03(), L3, "pass"),
    Case("pp-ok-l3-origin", part_check, lesson03(n=21), L3, "pass"),  # NaN arrow at (0, 0)
    Case("pp-ok-l3-scaled-colours", part_check, lesson03(colour="scaled"), L3, "pass"),
    Case("pp-ok-l3-log-colours", part_check, lesson03(colour="log"), L3, "pass"),
    Case("pp-ok-l6", part_check, lesson06(), L6, "pass"),
    Case("pp-ok-l6-label", part_check, lesson06(label="log(x)"), L6, "pass"),
]
