"""Case rows for :func:`reference.checks.plots.check_figure`.

Students are ``figure_data`` dicts built at import time from small figures.
The figures are made with ``matplotlib.figure.Figure`` directly, not pyplot,
so no backend is chosen and no global figure is left open.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from reference.checks.plots import check_figure, figure_data

from . import Case

H = 0.1  # large enough that the forward difference is visibly not f'


def _f(x):
    return x**3 - 2 * x**2


def _df(x):
    return 3 * x**2 - 4 * x


def _rate(x):
    return (_f(x + H) - _f(x)) / H


X = np.linspace(-1, 3, 161)

L1 = {
    "axes": 1,
    "min_lines": 2,
    "curves": [
        {"function": _df, "label": "rule", "name": "the derivative by the rules"},
        {"function": _rate, "label": "rate", "name": "the forward difference", "x_range": (-1, 3)},
    ],
    "title": True,
    "xlabel": True,
    "legend": True,
}


def _grad(X, Y):
    return 2 * X, 3 * Y**2


FIELD = {"quiver": {"function": _grad, "name": "the gradient field"}}
FIELD_NORMALIZED = {"quiver": {"function": _grad, "normalized": True}}


def _data(draw: Callable[[Figure], None]) -> dict:
    fig = Figure()
    draw(fig)
    return figure_data(fig)


def _l1(
    *,
    rule=_df,
    rate=_rate,
    labels=("rule", "rate"),
    title="Derivative of f",
    xlabel="x",
    legend="axes",
    rate_x=X,
    suptitle=None,
    subplots=1,
) -> dict:
    def draw(fig: Figure) -> None:
        axes = fig.subplots(1, subplots, squeeze=False)[0]
        ax = axes[0]
        if rule is not None:
            ax.plot(X, rule(X), label=labels[0])
        if rate is not None:
            ax.plot(rate_x, rate(rate_x), "--", label=labels[1])
        if title:
            ax.set_title(title)
        if xlabel:
            ax.set_xlabel(xlabel)
        if suptitle:
            fig.suptitle(suptitle)
        if legend == "axes":
            ax.legend()
        elif legend == "figure":
            fig.legend()
        for other in axes[1:]:
            other.plot(X, _f(X))

    return _data(draw)


def _field(u=lambda X, Y: 2 * X, v=lambda X, Y: 3 * Y**2, normalize=False) -> dict:
    def draw(fig: Figure) -> None:
        ax = fig.subplots()
        gx, gy = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
        U, V = u(gx, gy), v(gx, gy)
        if normalize:
            M = np.hypot(U, V)
            M[M == 0] = 1
            U, V = U / M, V / M
        ax.quiver(gx, gy, U, V)

    return _data(draw)


def _single(y: Callable, label: str | None = None) -> dict:
    def draw(fig: Figure) -> None:
        ax = fig.subplots()
        x = np.linspace(-2, 2, 81)
        ax.plot(x, y(x), label=label)

    return _data(draw)


def _poly(x):
    return 2 * x**3 - x + 5


def _c(id: str, student, spec, want: str, **kw) -> Case:
    return Case(f"plot-{id}", check_figure, student, spec, want, **kw)


CASES: list[Case] = [
    # Lesson 1: f'(x) by the rules and by a forward difference
    _c("l1-correct", _l1(), L1, "pass", note="correct"),
    _c("l1-figure-legend", _l1(legend="figure"), L1, "pass"),
    _c("l1-suptitle-only", _l1(title=None, suptitle="Lesson 1"), L1, "pass"),
    _c("l1-label-case", _l1(labels=("By RULE", "Rate of change")), L1, "pass"),
    _c("l1-no-legend", _l1(legend=None), L1, "partial", note="plot-no-legend", says="legend"),
    _c(
        "l1-wrong-rule",
        _l1(rule=lambda x: 2 * x**2 - 4 * x),
        L1,
        "partial",
        note="plot-wrong-data",
        says="derivative by the rules",
    ),
    _c("l1-no-title", _l1(title=None), L1, "partial", note="plot-no-labels", says="no title"),
    _c("l1-no-xlabel", _l1(xlabel=None), L1, "partial", note="plot-no-labels", says="x-axis"),
    _c("l1-swapped-labels", _l1(labels=("rate", "rule")), L1, "partial", note="plot-wrong-data"),
    _c(
        "l1-unlabelled",
        _l1(labels=(None, None), legend=None),
        L1,
        "partial",
        note="plot-no-legend",
        says="label does not contain 'rule'",
    ),
    _c("l1-only-rule", _l1(rate=None), L1, "partial", note="plot-missing-curve"),
    _c(
        "l1-short-rate",
        _l1(rate_x=np.linspace(0, 1, 20)),
        L1,
        "partial",
        note="plot-wrong-data",
        says="does not cover",
    ),
    _c("l1-two-subplots", _l1(subplots=2), L1, "partial", says="axes"),
    _c("title-substring", _l1(), {"title": "derivative"}, "pass"),
    _c("title-substring-absent", _l1(), {"title": "integral"}, "fail", says="mentions"),
    _c("legend-entries", _l1(), {"legend": ["rule", "rate"]}, "pass"),
    _c("legend-entry-missing", _l1(), {"legend": ["rule", "secant"]}, "fail", says="'secant'"),
    # empty and invalid answers
    _c("no-axes", _data(lambda fig: None), L1, "message", note="plot-empty", says="no axes"),
    _c(
        "empty-axes",
        _data(lambda fig: fig.subplots()),
        L1,
        "message",
        note="plot-empty",
        says="nothing is plotted",
    ),
    _c("none", None, L1, "message", note="missing"),
    _c("string", "plt.plot(x, y)", L1, "message", note="plot-invalid", says="text"),
    _c("number", 42, L1, "message", note="plot-invalid", says="int"),
    _c("foreign-dict", {"x": [1, 2]}, L1, "message", note="plot-invalid", says="figure data"),
    # Lesson 3: gradient field of x^2 + y^3
    _c("field-correct", _field(), FIELD, "pass"),
    _c("field-normalized", _field(normalize=True), FIELD_NORMALIZED, "pass"),
    _c("field-normalized-vs-raw", _field(normalize=True), FIELD, "fail", note="plot-wrong-field"),
    _c(
        "field-fy-2y",
        _field(v=lambda X, Y: 2 * Y),
        FIELD,
        "fail",
        note="plot-wrong-field",
        says="gradient field",
    ),
    _c(
        "field-swapped",
        _field(u=lambda X, Y: 3 * Y**2, v=lambda X, Y: 2 * X),
        FIELD_NORMALIZED,
        "fail",
        note="plot-wrong-field",
    ),
    _c("field-missing", _single(_poly), FIELD, "fail", note="plot-missing-curve"),
    # reference given as data, tolerance options
    _c(
        "data-reference",
        _single(_poly),
        {"curves": [{"function": {"x": X.tolist(), "y": _poly(X).tolist()}}]},
        "pass",
    ),
    _c("poly-shifted", _single(lambda x: _poly(x) + 1), {"curves": [{"function": _poly}]}, "fail"),
    _c(
        "poly-off-half-percent",
        _single(lambda x: 1.005 * _poly(x)),
        {"curves": [{"function": _poly}]},
        "fail",
        note="plot-wrong-data",
    ),
    _c(
        "poly-off-half-percent-loose",
        _single(lambda x: 1.005 * _poly(x)),
        {"curves": [{"function": _poly}]},
        "pass",
        options={"rtol": 1e-2},
    ),
]
