"""Tests for the figure extractor and the plot check."""

from __future__ import annotations

import json
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reference.checks.plots import check_figure, figure_data  # noqa: E402
from reference.checks.result import NOTES, CheckResult  # noqa: E402

H = 1e-3


def f(x):
    return x**3 - 2 * x**2


def df(x):
    return 3 * x**2 - 4 * x


def rate(x):
    return (f(x + H) - f(x)) / H


L1_SPEC = {
    "axes": 1,
    "min_lines": 2,
    "curves": [
        {"function": df, "label": "rule", "name": "the derivative by the rules"},
        {"function": rate, "label": "rate", "name": "the forward difference", "x_range": (-1, 3)},
    ],
    "title": True,
    "xlabel": True,
    "legend": True,
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def l1_figure(*, legend=True, rule=df, title="Derivative of f"):
    fig, ax = plt.subplots()
    x = np.linspace(-1, 3, 201)
    ax.plot(x, rule(x), label="rule")
    ax.plot(x, rate(x), "--", label="rate")
    if title:
        ax.set_title(title)
    ax.set_xlabel("x")
    ax.set_ylabel("f'(x)")
    if legend:
        ax.legend()
    return fig


def field_figure(fy):
    fig, ax = plt.subplots()
    X, Y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
    ax.quiver(X, Y, 2 * X, fy(Y))
    ax.set_title("gradient of x^2 + y^3")
    return fig


FIELD_SPEC = {"quiver": {"function": lambda X, Y: (2 * X, 3 * Y**2), "name": "the gradient"}}


def test_correct_l1_plot_passes():
    r = check_figure(l1_figure(), L1_SPEC)
    assert r == CheckResult(1.0, r.feedback, "correct"), r


def test_axes_and_fig_ax_tuple_are_accepted():
    fig = l1_figure()
    assert check_figure(fig.axes[0], L1_SPEC).passed
    assert check_figure((fig, fig.axes[0]), L1_SPEC).passed


def test_missing_legend_is_partial():
    r = check_figure(l1_figure(legend=False), L1_SPEC)
    assert 0 < r.score < 1
    assert r.note == "plot-no-legend"
    assert "legend is missing" in r.feedback


def test_wrong_curve_is_partial_and_names_it():
    r = check_figure(l1_figure(rule=lambda x: 2 * x**2 - 4 * x), L1_SPEC)
    assert 0 < r.score < 1
    assert r.note == "plot-wrong-data"
    assert "derivative by the rules" in r.feedback
    assert "forward difference" not in r.feedback


def test_feedback_never_prints_reference_numbers():
    r = check_figure(l1_figure(rule=lambda x: 2 * x**2 - 4 * x), L1_SPEC)
    assert "3*x" not in r.feedback and "4.0" not in r.feedback


def test_unlabelled_lines_match_by_data_one_to_one():
    fig, ax = plt.subplots()
    x = np.linspace(0, 1, 50)
    ax.plot(x, x**2)
    spec = {"curves": [{"function": lambda t: t**2}, {"function": lambda t: t**2 + 0}]}
    r = check_figure(fig, spec)
    assert r.score == 0.5 and r.note == "plot-missing-curve", r


def test_wrong_label_is_named():
    fig, ax = plt.subplots()
    x = np.linspace(0, 1, 50)
    ax.plot(x, df(x), label="slope")
    spec = {"curves": [{"function": df, "label": "rule"}]}
    r = check_figure(fig, spec)
    assert r.score == 0 and r.note == "plot-no-labels" and "'rule'" in r.feedback


def test_missing_title_says_so():
    r = check_figure(l1_figure(title=None), L1_SPEC)
    assert 0 < r.score < 1 and r.note == "plot-no-labels"
    assert "the axes have no title" in r.feedback.lower()


def test_empty_figure_scores_zero_with_message():
    r = check_figure(plt.figure(), L1_SPEC)
    assert r.score == 0 and r.note == "plot-empty" and "no axes" in r.feedback
    fig, _ = plt.subplots()
    r = check_figure(fig, L1_SPEC)
    assert r.score == 0 and r.note == "plot-empty" and "nothing is plotted" in r.feedback


@pytest.mark.parametrize("bad", [None, "fig", 3, [1, 2], {"a": 1}, np.zeros(3)])
def test_invalid_input_scores_zero_with_message(bad, capfd):
    r = check_figure(bad, L1_SPEC)
    assert r.score == 0 and r.feedback.strip()
    assert r.note in ("missing", "plot-invalid")
    assert capfd.readouterr().err == ""


def test_gradient_field_wrong_component():
    assert check_figure(field_figure(lambda Y: 3 * Y**2), FIELD_SPEC).passed
    r = check_figure(field_figure(lambda Y: 2 * Y), FIELD_SPEC)
    assert r.score == 0 and r.note == "plot-wrong-field", r


def test_normalized_field_needs_only_directions():
    fig, ax = plt.subplots()
    X, Y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
    U, V = 2 * X, 3 * Y**2
    M = np.hypot(U, V)
    with np.errstate(all="ignore"):
        ax.quiver(X, Y, U / M, V / M)
    spec = {"quiver": dict(FIELD_SPEC["quiver"], normalized=True)}
    assert check_figure(fig, spec).passed
    assert not check_figure(fig, FIELD_SPEC).passed


def test_missing_quiver():
    r = check_figure(l1_figure(), FIELD_SPEC)
    assert r.score == 0 and r.note == "plot-missing-curve"


def test_json_round_trip_gives_same_result():
    for fig, spec in [
        (l1_figure(), L1_SPEC),
        (l1_figure(legend=False), L1_SPEC),
        (l1_figure(rule=lambda x: 2 * x**2 - 4 * x), L1_SPEC),
        (field_figure(lambda Y: 2 * Y), FIELD_SPEC),
    ]:
        data = figure_data(fig)
        loaded = json.loads(json.dumps(data, allow_nan=False))
        assert loaded == data
        assert check_figure(loaded, spec) == check_figure(fig, spec)


def test_figure_data_content():
    fig = l1_figure()
    fig.suptitle("Lesson 1")
    d = figure_data(fig)
    (ax,) = d["axes"]
    assert d["suptitle"] == "Lesson 1" and ax["title"] == "Derivative of f"
    assert ax["xlabel"] == "x" and ax["legend"] == ["rule", "rate"]
    assert [ln["label"] for ln in ax["lines"]] == ["rule", "rate"]
    assert ax["lines"][1]["linestyle"] == "--" and ax["lines"][0]["color"].startswith("#")
    assert ax["xscale"] == "linear" and not ax["is3d"]


def test_figure_data_defaults_to_gcf_and_auto_labels_are_none():
    plt.figure()
    plt.plot([1, 2], [3, np.nan])
    d = figure_data()
    line = d["axes"][0]["lines"][0]
    assert line["label"] is None and line["y"] == [3.0, None]


def test_figure_data_rejects_non_figures():
    with pytest.raises(TypeError):
        figure_data("not a figure")


def test_odd_figures_do_not_raise():
    fig = plt.figure()
    ax3 = fig.add_subplot(1, 2, 1, projection="3d")
    t = np.linspace(0, 1, 20)
    ax3.plot(t, t**2, t**3)
    ax3.scatter(t, t, t)
    ax3.quiver(0, 0, 0, 1, 1, 1)
    ax = fig.add_subplot(1, 2, 2)
    ax.plot(t, t)
    ax.twinx().plot(t, -t)
    im = ax.imshow(np.eye(3))
    fig.colorbar(im)
    d = figure_data(fig)
    json.dumps(d, allow_nan=False)
    assert d["axes"][0]["is3d"] and "z" in d["axes"][0]["lines"][0]
    assert sum(a["colorbar"] for a in d["axes"]) == 1
    assert check_figure(d, {"axes": 3}).passed  # 3d, main and twin; colorbar not counted


def test_scatter_is_extracted_and_capped():
    fig, ax = plt.subplots()
    ax.scatter(np.arange(50_000), np.arange(50_000))
    (coll,) = figure_data(fig)["axes"][0]["collections"]
    assert coll["kind"] == "scatter" and coll["n"] == 50_000 and coll["truncated"]
    assert len(coll["offsets"][0]) <= 10_000


def test_huge_line_is_quick_and_capped():
    fig, ax = plt.subplots()
    x = np.linspace(-1, 3, 1_000_000)
    ax.plot(x, df(x), label="rule")
    start = time.process_time()
    d = figure_data(fig)
    r = check_figure(fig, {"curves": [{"function": df, "label": "rule"}]})
    assert time.process_time() - start < 5
    assert r.passed
    line = d["axes"][0]["lines"][0]
    assert line["n"] == 1_000_000 and line["downsampled"] and len(line["x"]) <= 20_000
    assert len(json.dumps(d)) < 2_000_000


def test_reference_as_data_and_coverage():
    fig, ax = plt.subplots()
    x = np.linspace(0, 1, 30)
    ax.plot(x, np.sin(x))
    ref = {"x": np.linspace(-1, 2, 3001).tolist(), "y": np.sin(np.linspace(-1, 2, 3001)).tolist()}
    assert check_figure(fig, {"curves": [{"function": ref, "rtol": 1e-3}]}).passed
    r = check_figure(fig, {"curves": [{"function": np.sin, "x_range": (-2, 2)}]})
    assert r.score == 0 and "does not cover" in r.feedback


def test_notes_are_registered():
    for tag in (
        "plot-missing-curve",
        "plot-wrong-data",
        "plot-no-legend",
        "plot-no-labels",
        "plot-empty",
        "plot-wrong-field",
        "plot-invalid",
    ):
        assert tag in NOTES


def test_student_function_that_breaks_is_not_our_problem():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0, 1, 4])

    def bad(x):
        raise ZeroDivisionError

    r = check_figure(fig, {"curves": [{"function": bad}]})
    assert r.score == 0 and r.note in ("plot-wrong-data", "plot-missing-curve")


coefficients = st.lists(st.integers(min_value=-10, max_value=10), min_size=1, max_size=5).filter(
    lambda c: any(c)
)


@settings(max_examples=40, deadline=None)
@given(coefficients)
def test_polynomial_plot_matches_itself_not_shifted(coeffs):
    poly = np.polynomial.Polynomial(coeffs)
    fig, ax = plt.subplots()
    x = np.linspace(-2, 2, 101)
    ax.plot(x, poly(x), label="p")
    try:
        data = figure_data(fig)
    finally:
        plt.close(fig)
    assert check_figure(data, {"curves": [{"function": poly, "label": "p"}]}).passed
    shifted = check_figure(data, {"curves": [{"function": lambda t: poly(t) + 1}]})
    assert shifted.score == 0 and shifted.note == "plot-wrong-data"


def test_quiver_colours_are_extracted_as_plain_data():
    fig, ax = plt.subplots()
    X, Y = np.meshgrid(np.linspace(-1, 1, 3), np.linspace(-1, 1, 3))
    ax.quiver(X, Y, X, Y, np.hypot(X, Y), cmap="plasma")
    ax.quiver(X, Y, X, Y)
    d = figure_data(fig)
    json.dumps(d, allow_nan=False)
    coloured, plain = d["axes"][0]["collections"]
    assert d["format"] == "figure-data/2"
    assert coloured["cmap"] == "plasma" and len(coloured["C"]) == 9
    assert coloured["C"][4] == 0.0 and plain["C"] is None
    assert {"offsets", "U", "V", "n", "truncated", "kind"} <= set(plain)  # the old fields


def test_figure_data_of_the_old_format_is_still_read():
    """Data without quiver colours (figure-data/1) is judged on what it has."""
    fig, ax = plt.subplots()
    X, Y = np.meshgrid(np.linspace(-10, 10, 9), np.linspace(-10, 10, 9))
    U, V = 2 * X, 3 * Y**2
    M = np.hypot(U, V)
    with np.errstate(all="ignore"):
        ax.quiver(X, Y, U / M, V / M)
    ax.set_title("g")
    old = figure_data(fig)
    old["format"] = "figure-data/1"
    for q in old["axes"][0]["collections"]:
        del q["C"], q["cmap"]
    spec = {
        "quiver": dict(FIELD_SPEC["quiver"], unit=True, color="magnitude", cmap="viridis"),
        "title": True,
    }
    assert check_figure(old, spec).passed
    new = check_figure(figure_data(fig), spec)
    assert not new.passed and new.note == "plot-no-colour"


def test_every_stated_plot_property_has_a_failing_case_row():
    from .cases import all_cases

    notes = {c.note for c in all_cases() if c.typical and c.id.startswith("pp-")}
    for tag in (
        "plot-missing-curve",
        "plot-wrong-data",
        "plot-no-legend",
        "plot-no-labels",
        "plot-wrong-field",
        "plot-wrong-kind",
        "plot-not-unit",
        "plot-no-colour",
        "plot-wrong-colormap",
        "plot-wrong-range",
    ):
        assert tag in notes, tag
