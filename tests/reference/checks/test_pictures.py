"""Unit and property tests for :mod:`reference.checks.pictures` and pictures on results."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.checks.pictures import MAX_POINTS, MAX_TEXT, check_picture, curve_picture
from reference.checks.result import CheckResult

#: Any float at all, NaN and infinities included.
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)


def _finite(values) -> bool:
    return all(v is None or (isinstance(v, float) and math.isfinite(v)) for v in values)


@settings(max_examples=150, deadline=None)
@given(
    data=st.lists(st.tuples(ANY_FLOAT, ANY_FLOAT, ANY_FLOAT), min_size=1, max_size=900),
    marks=st.sets(st.integers(min_value=0, max_value=899)),
    log=st.sampled_from(["", "x", "y", "xy"]),
    max_points=st.integers(min_value=1, max_value=MAX_POINTS),
)
def test_any_input_gives_a_bounded_finite_json_spec_or_a_clear_error(data, marks, log, max_points):
    xs, ys, refs = (list(col) for col in zip(*data, strict=True))
    marked = sorted(m for m in marks if m < len(xs))
    drawable = [math.isfinite(x) and (x > 0 or "x" not in log) for x in xs]
    if not any(drawable):
        with pytest.raises(ValueError, match="drawable x"):
            curve_picture(xs, ys, reference=refs, marked=marked, log=log, max_points=max_points)
        return
    p = curve_picture(xs, ys, reference=refs, marked=marked, log=log, max_points=max_points)
    n = len(p["x"])
    assert 1 <= n <= min(max_points, sum(drawable))
    assert len(p["student"]) == len(p["reference"]) == n
    assert all(math.isfinite(x) for x in p["x"]) and _finite(p["student"] + p["reference"])
    if "x" in log:
        assert all(x > 0 for x in p["x"])
    if "y" in log:
        assert all(v > 0 for v in p["student"] + p["reference"] if v is not None)
    assert p["marked"] == sorted(set(p["marked"])) and all(0 <= m < n for m in p["marked"])
    # marked points are kept first when thinning: none is lost unless they alone overflow
    kept_marks = sum(1 for m in marked if drawable[m])
    assert len(p["marked"]) == min(kept_marks, max_points)
    assert json.loads(json.dumps(p, allow_nan=False)) == p
    assert check_picture(p) == p  # validation is idempotent on what the builder makes


def test_nan_and_infinity_become_none_and_a_bad_x_drops_its_point_and_mark():
    p = curve_picture(
        [0.0, float("nan"), 2.0, 3.0],
        [float("inf"), 1.0, float("nan"), 9.0],
        reference=[0.0, 1.0, 4.0, float("-inf")],
        marked=[0, 1, 3],
    )
    assert p["x"] == [0.0, 2.0, 3.0]
    assert p["student"] == [None, None, 9.0]
    assert p["reference"] == [0.0, 4.0, None]
    assert p["marked"] == [0, 2]


def test_log_axes_blank_non_positive_values_and_drop_non_positive_x():
    p = curve_picture([-1.0, 0.0, 1e-3, 1e-2], [1.0, 1.0, 0.0, 5e-7], log="xy")
    assert p["x"] == [1e-3, 1e-2] and p["student"] == [None, 5e-7]


def test_numbers_are_rounded_to_six_digits_and_thinning_keeps_the_marks():
    xs = np.linspace(0.0, 1.0, 1000)
    p = curve_picture(xs, np.pi * xs, marked=[3, 500, 997], max_points=50)
    assert len(p["x"]) == 50
    assert [p["x"][m] for m in p["marked"]] == [round(xs[i], 6) for i in (3, 500, 997)]
    assert all(v == float(f"{v:.6g}") for v in p["student"])
    assert p["student"][-1] == 3.14159 and np.pi * xs[-1] != 3.14159


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"x": [0, 1], "student": [1]}, ValueError),
        ({"x": [0, 1], "student": [1, 2], "reference": [1]}, ValueError),
        ({"x": [0, 1], "student": [1, 2], "marked": [2]}, ValueError),
        ({"x": [0, 1], "student": [1, 2], "marked": [-1]}, ValueError),
        ({"x": [0, 1], "student": [1, 2], "marked": [0.5]}, TypeError),
        ({"x": [0, 1], "student": [1, 2], "marked": np.array([True, False])}, TypeError),
        ({"x": [0, 1], "student": [1, 2], "log": "z"}, ValueError),
        ({"x": [0, 1], "student": [1, 2], "max_points": 0}, ValueError),
        ({"x": [0, 1], "student": [1, 2], "max_points": MAX_POINTS + 1}, ValueError),
        ({"x": [[0, 1]], "student": [[1, 2]]}, ValueError),
        ({"x": "01", "student": [1, 2]}, TypeError),
        ({"x": [0, 1], "student": ["a", "b"]}, TypeError),
        ({"x": [0, 1], "student": [True, False]}, TypeError),
        ({"x": [0, 1], "student": [1, 2], "title": "t" * (MAX_TEXT + 1)}, ValueError),
    ],
)
def test_caller_misuse_raises(kwargs, error):
    kwargs = dict(kwargs)
    x, student = kwargs.pop("x"), kwargs.pop("student")
    with pytest.raises(error):
        curve_picture(x, student, **kwargs)


GOOD = {"kind": "curve", "x": [1.0, 2.0], "student": [1.0, None], "marked": [1]}


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "bar"},
        {"extra": 1},
        {"x": [1.0, float("nan")]},
        {"x": [1.0]},
        {"x": [float(i) for i in range(MAX_POINTS + 1)]},
        {"student": [1.0, float("inf")]},
        {"student": [1.0, "2"]},
        {"reference": [1.0]},
        {"marked": [1, 0]},
        {"marked": [1, 1]},
        {"marked": [2]},
        {"marked": [True]},
        {"log": "y", "student": [0.0, None]},
        {"log": "x", "x": [-1.0, 2.0]},
        {"title": 3},
    ],
)
def test_check_picture_rejects_malformed_specs(change):
    check_picture(GOOD)
    with pytest.raises(ValueError):
        check_picture({**GOOD, **change})


def test_result_without_picture_is_unchanged():
    r = CheckResult(0.25, "Sign flipped.", "wrong")
    assert r.picture is None
    assert r.to_dict() == {"score": 0.25, "feedback": "Sign flipped.", "note": "wrong"}
    assert tuple(r) == (0.25, "Sign flipped.", "wrong")
    assert repr(r) == "CheckResult(score=0.25, feedback='Sign flipped.', note='wrong')"
    assert hash(r) == hash(CheckResult(0.25, "Sign flipped.", "wrong"))


def test_result_carries_its_picture_through_json_and_ignores_it_in_comparisons():
    pic = curve_picture([0, 1, 2], [0, 1, 5], reference=[0, 1, 4], marked=[2])
    r = CheckResult(0.0, "No.", "wrong", picture=pic)
    data = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    back = CheckResult.from_dict(data)
    assert back.picture == pic and back == r == CheckResult(0.0, "No.", "wrong")
    assert tuple(back) == (0.0, "No.", "wrong") and "picture" not in repr(back)
    assert hash(back) == hash(CheckResult(0.0, "No.", "wrong"))
    assert r.with_picture(None).to_dict() == {"score": 0.0, "feedback": "No.", "note": "wrong"}
    data["picture"]["student"][0] = 99.0  # the dict handed out is a copy
    assert r.picture["student"][0] == 0.0


def test_result_rejects_a_malformed_picture():
    with pytest.raises(ValueError):
        CheckResult(0.0, "No.", "wrong", picture={"kind": "curve", "x": [], "student": []})
    with pytest.raises(ValueError):
        CheckResult.from_dict({"score": 0, "feedback": "", "note": "wrong", "picture": [1]})
